"""While PostgreSQL is away, cached public pages are still served, and anything that
needs the database answers a clear "try again in a moment" (503, Retry-After): never a
traceback, never the 500 page, never a cookie (P1)."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from roochi_site import page_cache
from tests.inquiries.conftest import valid_post

pytestmark = pytest.mark.usefixtures("committed_db")


@pytest.fixture
def database_away(monkeypatch):
    """The site's connection points at a socket where no server listens: every query
    fails as it does when PostgreSQL stops, until the fixture ends."""
    # The last failure's one-second pause would hold into the next test.
    monkeypatch.setattr(page_cache, "_database_failed_at", float("-inf"))

    host = connection.settings_dict["HOST"]

    def away():
        connection.close()
        connection.settings_dict["HOST"] = "/nonexistent-postgres"

    yield away
    connection.close()
    connection.settings_dict["HOST"] = host  # before the test's data is flushed


def browser() -> Client:
    return Client(raise_request_exception=False, headers={"Sec-Fetch-Site": "same-origin"})


def assert_try_again_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Please try again in a moment" in html
    assert "support@roochi.com" in html
    assert "(323) 722-5592 ext. 118" in html
    assert "Traceback" not in html
    assert "Something went wrong" not in html  # not the 500 page
    assert not response.cookies
    assert "Content-Security-Policy" in response.headers


def test_a_form_post_while_the_database_is_away_gets_the_try_again_page(
        database_away, caplog):
    client = browser()
    data = valid_post("support")
    database_away()
    assert_try_again_page(client.post("/support-request/", data))
    # An outage is expected now and then: a warning, not an error with a traceback.
    assert [record.levelname for record in caplog.records] == ["WARNING"]


def test_a_page_never_cached_gets_the_try_again_page(database_away):
    database_away()
    assert_try_again_page(browser().get("/about/"))


def test_a_cached_page_is_still_served_while_the_database_is_away(database_away):
    client = browser()
    before = client.get("/")
    assert before.status_code == 200
    database_away()
    for _ in range(3):  # the first finds the database away, the next do not ask again
        during = client.get("/")
        assert during.status_code == 200
        assert during.content == before.content


class DatabaseAwayMiddleware:
    """A middleware that needs the database (as the admin's sessions do) and finds it
    away: DatabaseUnavailableMiddleware never sees that error, the 500 handler does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("the server closed the connection unexpectedly")


def test_a_database_error_outside_any_view_still_gets_the_try_again_page(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE,
                           "tests.roochi_site.test_database_unavailable.DatabaseAwayMiddleware"]
    assert_try_again_page(browser().get("/about/"))
