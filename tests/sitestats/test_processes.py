"""The site as deployed: gunicorn with two worker processes, each with its own buffer
and writer thread, agree on the day's salt, so a visitor served by both is one
visitor; and a worker that stops writes what it still holds."""

import concurrent.futures
import urllib.request

import pytest

from bench.server import gunicorn_serving
from sitestats.models import Count, DaySalt, VisitorDay
from tests.quality.conftest import database_url_of_tests
from tests.sitestats.conftest import IPHONE
from tests.waiting import wait_until

pytestmark = pytest.mark.usefixtures("committed_db")


@pytest.fixture
def site_env(collected_static):
    def env(write_seconds: int) -> dict[str, str]:
        return {"DJANGO_HTTPS": "false", "DATABASE_URL": database_url_of_tests(),
                "STATIC_ROOT": str(collected_static), "LOG_LEVEL": "WARNING",
                "SITESTATS_WRITE_SECONDS": str(write_seconds)}
    return env


def views_sent(url: str, count: int) -> None:
    def one(_):
        request = urllib.request.Request(url + "/about/",  # noqa: S310 (our own test server)
                                         headers={"User-Agent": IPHONE})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            assert response.status == 200

    # Several at once, so that both workers serve some.
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        list(pool.map(one, range(count)))


def page_views() -> int:
    return sum(Count.objects.filter(kind=Count.Kind.VIEWS).values_list("count", flat=True))


def test_two_worker_processes_count_one_visitor_under_one_salt(site_env):
    with gunicorn_serving(app="roochi_site.wsgi", env=site_env(1), workers=2,
                          ready_path="/robots.txt") as site:
        views_sent(site.url, 60)
        wait_until(lambda: page_views() == 60, 15, "the writers wrote every view")
        served_by = len(site.worker_pids())
    assert served_by == 2
    assert DaySalt.objects.count() == 1
    visitor = VisitorDay.objects.get()
    assert visitor.views == 60
    assert visitor.last_path == "/about/"


def test_a_stopping_worker_writes_what_it_holds(site_env):
    with gunicorn_serving(app="roochi_site.wsgi", env=site_env(3600), workers=1,
                          ready_path="/robots.txt") as site:
        views_sent(site.url, 5)
        assert page_views() == 0  # not written yet: the next write is an hour away
    assert page_views() == 5
