"""Fixtures of the quality gates: the tools from node_modules (installed by `make
test` from package-lock.json) and Debian's Chromium, shared with tests/browser."""

from pathlib import Path

import pytest

from tests.browser.conftest import start_visit
from tests.conftest import initial_content_restore
from tests.quality.documents import (
    Document,
    document,
    form_documents,
    public_client,
    public_documents,
    staff_documents,
)
from tests.quality.targets import FORM_TARGETS

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"


def node_tool(relative: str) -> Path:
    path = NODE_MODULES / relative
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make test`, or `npm ci --ignore-scripts`")
    return path


@pytest.fixture
def documents(db) -> list[Document]:
    initial_content_restore()
    return public_documents() + staff_documents()


# For the tests that prove a gate can fail, and need one page rather than all of them.
@pytest.fixture
def home_document(db) -> Document:
    initial_content_restore()
    return document("page /", "/", public_client().get("/"))


@pytest.fixture
def form_states(db) -> list[Document]:
    """Each form target as shown, with errors, and once sent."""
    initial_content_restore()
    client = public_client()
    states = []
    for target in FORM_TARGETS:
        target.prepare()
        states += form_documents(client, target)
    return states


@pytest.fixture
def visit(browser, live_server, committed_db):
    visit = start_visit(browser, live_server)
    yield visit
    visit.page.context.close()


def database_url_of_tests() -> str:
    from django.db import connection
    from psycopg.conninfo import make_conninfo

    params = connection.settings_dict
    return make_conninfo(**{key: value for key, value in {
        "host": params["HOST"], "port": params["PORT"], "dbname": params["NAME"],
        "user": params["USER"], "password": params["PASSWORD"], **params["OPTIONS"],
    }.items() if value})


@pytest.fixture(scope="session")
def production_media(tmp_path_factory) -> Path:
    """Where the production site finds uploaded pictures (a test stores some there)."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def production_site(django_db_setup, django_db_blocker, collected_static, production_media):
    """The site under gunicorn and WhiteNoise as a deployment runs it (debug off,
    collected static files), on the test database. Tests that use it commit their
    data (transactional_db) so that its workers see it.

    An earlier transactional test may have left the tables empty, and the server's
    first request would then keep "no policy in force" in its cache for a while: the
    initial content is put back before it starts. Its workers re-read the content
    generation at every request, as the tests' own settings do: a test that changes a
    page and then weighs it must not be served what an earlier test left cached."""
    from bench.server import gunicorn_serving

    with django_db_blocker.unblock():
        initial_content_restore()
    env = {"DJANGO_HTTPS": "false", "STATIC_ROOT": str(collected_static),
           "DATABASE_URL": database_url_of_tests(), "DATABASE_CONN_MAX_AGE": "0",
           "LOG_LEVEL": "WARNING", "MEDIA_ROOT": str(production_media),
           "PUBLIC_PAGE_CACHE_RECHECK_SECONDS": "0"}
    with gunicorn_serving(app="roochi_site.wsgi", env=env, workers=1,
                          ready_path="/robots.txt") as server:
        yield server
