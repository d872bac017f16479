"""Slow clients cannot stall the site: ten connections that send one header line every
two seconds, and another visitor is answered at once while all ten are still open.
Gunicorn runs as `make run` starts it (its command line, the site's configuration)."""

import time
import urllib.request

import pytest

from bench.server import gunicorn_serving
from bench.slow_clients import SLOW_CLIENTS, slow_clients_open
from roochi_site import serve
from tests.quality.conftest import database_url_of_tests

pytestmark = pytest.mark.usefixtures("committed_db")
# Far below the 30 s after which gunicorn would kill a stalled worker.
ANSWERED_WITHIN = 5


def make_run_options() -> tuple[int, list[str]]:
    """The worker count and the options of `make run`'s web server, less its bind."""
    command = serve.children(8000, dev=False)["web server"]
    workers = int(command[command.index("--workers") + 1])
    return workers, command[command.index("-c"):command.index("-c") + 2]


@pytest.fixture
def make_run_site(collected_static):
    workers, options = make_run_options()
    env = {"DJANGO_HTTPS": "false", "STATIC_ROOT": str(collected_static),
           "DATABASE_URL": database_url_of_tests(), "LOG_LEVEL": "WARNING"}
    with gunicorn_serving(app="roochi_site.wsgi", env=env, workers=workers,
                          ready_path="/robots.txt", options=options) as server:
        yield server


def read(url: str) -> int:
    with urllib.request.urlopen(url, timeout=ANSWERED_WITHIN) as response:  # noqa: S310
        response.read()
        return response.status


def test_a_visitor_is_answered_while_ten_slow_clients_hold_their_connections(make_run_site):
    with slow_clients_open(make_run_site.url, SLOW_CLIENTS) as clients:
        assert clients.still_open() == SLOW_CLIENTS
        started = time.monotonic()
        for path in ["/robots.txt", "/", "/privacy/", "/information-request/"] * 3:
            assert read(make_run_site.url + path) == 200
        assert time.monotonic() - started < ANSWERED_WITHIN
        # They were answered while every slow client still held its connection.
        assert clients.still_open() == SLOW_CLIENTS
