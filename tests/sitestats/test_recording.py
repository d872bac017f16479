"""P4: each public page view is counted by path, referring site, browser, platform,
device, status and hour; bots apart; unique visitors a day without a cookie."""

import io
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from privacy.policy import current_version
from sitestats import recorder
from sitestats.models import Count, DaySalt, VisitorDay
from sitestats.reports import report_counts
from sitestats.services import (
    PageView,
    hourly_counts_roll_up,
    page_views_write,
    visit_days_close,
)
from tests.sitestats.conftest import DESKTOP_FIREFOX, GOOGLEBOT, IPHONE, counts

pytestmark = pytest.mark.usefixtures("stats")
Kind = Count.Kind
NOON = datetime(2026, 11, 30, 12, 30, tzinfo=UTC)


def visit(client, path, *, agent=IPHONE, address="203.0.113.7", referer=None, **headers):
    if referer:
        headers["referer"] = referer
    return client.get(path, headers={"user-agent": agent, **headers}, REMOTE_ADDR=address)


def test_a_page_view_is_counted_by_each_dimension(client):
    with time_machine.travel(NOON, tick=False):
        visit(client, "/about/", referer="https://www.example.org/search?q=roochi+traders")
        assert recorder.buffer_write() == 1
    day = NOON.date()
    assert counts(Kind.VIEWS, day=day) == {"": 1}
    assert Count.objects.get(kind=Kind.VIEWS).hour == 12
    assert counts(Kind.PAGE) == {"/about/": 1}
    assert counts(Kind.STATUS) == {"200": 1}
    # The referring site's domain only: not its path, not what the visitor searched.
    assert counts(Kind.REFERRER) == {"www.example.org": 1}
    assert counts(Kind.BROWSER) == {"Mobile Safari": 1}
    assert counts(Kind.PLATFORM) == {"iOS": 1}
    assert counts(Kind.DEVICE) == {"Mobile": 1}
    assert counts(Kind.NOT_FOUND) == {}
    live = report_counts(day, day)
    assert live[day, None, Kind.VISITORS, ""] == 1
    assert live[day, None, Kind.CLICKS, "1"] == 1
    assert live[day, None, Kind.EXIT, "/about/"] == 1


def test_a_link_from_our_own_site_is_not_a_referring_site(client, settings):
    settings.SITE_URL = "https://www.roochi.com"
    visit(client, "/about/", referer="http://testserver/")
    visit(client, "/about/", referer="https://www.roochi.com/shipping/")
    visit(client, "/about/", referer="not a url at all")
    recorder.buffer_write()
    assert counts(Kind.REFERRER) == {}
    assert sum(counts(Kind.VIEWS).values()) == 3


def test_a_page_not_found_counts_as_such(client):
    visit(client, "/no-such-page/")
    visit(client, "/no-such-page/")
    visit(client, "/about/")
    recorder.buffer_write()
    assert counts(Kind.NOT_FOUND) == {"/no-such-page/": 2}
    assert counts(Kind.PAGE) == {"/about/": 1}
    assert counts(Kind.STATUS) == {"200": 1, "404": 2}


def test_bots_and_crawlers_are_counted_apart(client):
    visit(client, "/about/", agent=GOOGLEBOT)
    visit(client, "/", agent="")
    visit(client, "/", agent=DESKTOP_FIREFOX)
    recorder.buffer_write()
    assert counts(Kind.BOT) == {"Googlebot": 1, "(no browser string)": 1}
    # Not mixed into the visitors' numbers.
    assert sum(counts(Kind.VIEWS).values()) == 1
    assert counts(Kind.BROWSER) == {"Firefox": 1}
    assert counts(Kind.DEVICE) == {"Desktop": 1}
    assert counts(Kind.PAGE) == {"/": 1}
    assert VisitorDay.objects.count() == 1


def test_what_is_not_a_page_view_is_not_counted(client, admin_client):
    visit(client, "/robots.txt")
    visit(client, "/sitemap.xml")
    visit(client, "/favicon.ico")  # a redirect
    client.post("/about/", headers={"user-agent": IPHONE})
    admin_client.get("/admin/")
    assert recorder.buffered() == []


def test_tokens_in_paths_are_not_counted(client):
    visit(client, "/privacy/requests/confirm/a-secret-token/")
    recorder.buffer_write()
    assert list(counts(Kind.NOT_FOUND) | counts(Kind.PAGE)) == [
        "/privacy/requests/confirm/:token/"]


def test_recording_is_off_with_the_setting(client, settings):
    settings.SITESTATS_ENABLED = False
    visit(client, "/about/")
    assert recorder.buffered() == []


@pytest.mark.usefixtures("deployment_page_cache")
def test_a_cached_page_is_counted_and_recording_costs_no_query(client,
                                                               django_assert_num_queries):
    visit(client, "/")  # rendered and cached
    current_version()  # kept per process (privacy/policy.py), not the recording's
    with django_assert_num_queries(0):
        response = visit(client, "/")
    assert response.status_code == 200
    assert len(recorder.buffered()) == 2
    recorder.buffer_write()
    assert counts(Kind.PAGE) == {"/": 2}


def test_clicks_and_the_exit_page_of_each_visit(client):
    with time_machine.travel(NOON, tick=False) as traveller:
        for path in ["/", "/about/", "/shipping/"]:
            visit(client, path)
            traveller.shift(60)
        visit(client, "/about/", agent=DESKTOP_FIREFOX)
        recorder.buffer_write()
    live = report_counts(NOON.date(), NOON.date())
    day = NOON.date()
    assert live[day, None, Kind.VISITORS, ""] == 2
    assert {value: n for (_, _, kind, value), n in live.items() if kind == Kind.CLICKS} == {
        "3": 1, "1": 1}
    assert {value: n for (_, _, kind, value), n in live.items() if kind == Kind.EXIT} == {
        "/shipping/": 1, "/about/": 1}


def test_two_processes_agree_on_a_visitor_and_its_last_page():
    """Each process writes its own batches: the visitor's views add up, and the later
    view is the exit page whichever batch is written first."""
    at = NOON.timestamp()
    view = {"status": 200, "host": "testserver", "referer": "", "user_agent": IPHONE,
            "address": "198.51.100.4"}
    page_views_write([PageView(at=at + 60, path="/shipping/", **view)], now=NOON)
    page_views_write([PageView(at=at, path="/", **view),
                      PageView(at=at + 30, path="/about/", **view)], now=NOON)
    row = VisitorDay.objects.get()
    assert (row.views, row.last_path) == (3, "/shipping/")
    assert DaySalt.objects.count() == 1


def test_unique_visitors_across_two_days_with_the_salt_rotated(client):
    first, second = NOON.date(), NOON.date() + timedelta(days=1)
    with time_machine.travel(NOON, tick=False):
        visit(client, "/")
        visit(client, "/about/")
        visit(client, "/", agent=DESKTOP_FIREFOX)
        recorder.buffer_write()
    first_salt = DaySalt.objects.get(day=first).key
    first_hashes = set(VisitorDay.objects.values_list("visitor", flat=True))
    assert len(first_hashes) == 2

    # Just after midnight the day stays open a few minutes for views still buffered.
    with time_machine.travel(datetime(2026, 12, 1, 0, 2, tzinfo=UTC), tick=False):
        assert visit_days_close() == []
        visit(client, "/")
        recorder.buffer_write()
    with time_machine.travel(datetime(2026, 12, 1, 0, 6, tzinfo=UTC), tick=False):
        assert visit_days_close() == [first]

    # The first day is counted, and its salt and visitor rows are gone.
    assert counts(Kind.VISITORS, day=first) == {"": 2}
    assert counts(Kind.CLICKS, day=first) == {"2": 1, "1": 1}
    assert counts(Kind.EXIT, day=first) == {"/about/": 1, "/": 1}
    assert not DaySalt.objects.filter(day=first).exists()
    assert not DaySalt.objects.filter(key=first_salt).exists()
    assert not VisitorDay.objects.filter(day=first).exists()
    # The same visitor the next day is a new hash under a new salt: not recognised.
    second_day = VisitorDay.objects.get()
    assert second_day.day == second
    assert second_day.visitor not in first_hashes
    assert DaySalt.objects.get().key != first_salt
    assert report_counts(second, second)[second, None, Kind.VISITORS, ""] == 1
    # Closing again counts nothing twice.
    with time_machine.travel(datetime(2026, 12, 1, 1, 0, tzinfo=UTC), tick=False):
        assert visit_days_close() == []
    assert counts(Kind.VISITORS, day=first) == {"": 2}


def test_a_view_written_after_its_day_closed_is_counted_but_not_as_a_visitor():
    view = PageView(at=NOON.timestamp(), path="/", status=200, host="testserver",
                    referer="", user_agent=IPHONE, address="198.51.100.4")
    page_views_write([view], now=NOON + timedelta(days=1))
    assert counts(Kind.VIEWS) == {"": 1}
    assert VisitorDay.objects.count() == 0
    assert DaySalt.objects.count() == 0  # no salt is made for a past day


def test_old_hourly_views_are_rolled_up_into_days(settings):
    settings.SITESTATS_HOURLY_DAYS = 30
    old, recent = NOON.date() - timedelta(days=31), NOON.date() - timedelta(days=29)
    Count.objects.bulk_create([
        Count(day=old, hour=9, kind=Kind.VIEWS, value="", count=3),
        Count(day=old, hour=17, kind=Kind.VIEWS, value="", count=4),
        Count(day=old, hour=None, kind=Kind.VIEWS, value="", count=1),
        Count(day=recent, hour=9, kind=Kind.VIEWS, value="", count=5),
        Count(day=old, hour=None, kind=Kind.PAGE, value="/", count=8),
    ])
    assert hourly_counts_roll_up(now=NOON) == 2
    assert list(Count.objects.filter(kind=Kind.VIEWS).order_by("day").values_list(
        "day", "hour", "count")) == [(old, None, 8), (recent, 9, 5)]
    assert counts(Kind.PAGE) == {"/": 8}


def test_the_writer_thread_is_started_once_a_process(client, settings, monkeypatch):
    started = []

    class Thread:
        def __init__(self, **kwargs):
            started.append(kwargs)

        def start(self):
            """Not run: the test writes itself."""

    monkeypatch.setattr(recorder, "_writer_started", False)
    monkeypatch.setattr(recorder, "threading", SimpleNamespace(Thread=Thread))
    monkeypatch.setattr(recorder, "atexit", SimpleNamespace(register=lambda function: None))
    settings.SITESTATS_WRITE_SECONDS = 5
    visit(client, "/about/")
    visit(client, "/about/")
    assert [kwargs["name"] for kwargs in started] == ["sitestats-writer"]


def test_a_database_error_loses_the_batch_and_says_so_without_the_visitor(
        client, caplog, monkeypatch):
    visit(client, "/about/", address="192.0.2.99")

    def fail(views, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table_for_sitestats")

    monkeypatch.setattr(recorder, "page_views_write", fail)
    with caplog.at_level("WARNING", logger="sitestats"):
        assert recorder.buffer_write() == 0
    assert "1 page views not written (ProgrammingError)" in caplog.text
    assert "192.0.2.99" not in caplog.text
    assert recorder.buffered() == []


def test_the_daily_command_closes_past_days_and_says_so(client, settings):
    settings.SITESTATS_HOURLY_DAYS = 0
    with time_machine.travel(NOON, tick=False):
        visit(client, "/")
        recorder.buffer_write()
    with time_machine.travel(NOON + timedelta(days=1), tick=False):
        out = io.StringIO()
        call_command("sitestats_close_days", "--dry-run", stdout=out)
        assert out.getvalue() == (
            "Would close 1 day(s) (2026-11-30) and roll up 1 hourly count(s).\n")
        assert DaySalt.objects.count() == 1
        call_command("sitestats_close_days", stdout=out)
        assert out.getvalue().endswith(
            "Closed 1 day(s) (2026-11-30) and rolled up 1 hourly count(s).\n")
    assert DaySalt.objects.count() == 0
    assert VisitorDay.objects.count() == 0
    assert counts(Kind.VISITORS) == {"": 1}
    assert list(Count.objects.filter(kind=Kind.VIEWS).values_list("hour", "count")) == [(None, 1)]


ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@hypothesis_settings(max_examples=30, deadline=None)
@given(path=ANY_TEXT, host=ANY_TEXT, referer=ANY_TEXT, agent=ANY_TEXT,
       status=st.integers(100, 599))
@pytest.mark.django_db
def test_whatever_a_visitor_sends_the_writer_counts_it(path, host, referer, agent, status):
    """The writer drops a whole batch on an error: no visitor may cause one."""
    view = PageView(at=NOON.timestamp(), path="/" + path, status=status, host=host,
                    referer=referer, user_agent=agent, address="192.0.2.1")
    page_views_write([view], now=NOON)
