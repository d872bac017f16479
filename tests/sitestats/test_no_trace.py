"""P4: after any number of visits, no table and no log holds a visitor's address or
browser string, behind a proxy too; only counts and one day's hashes remain."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from sitestats import recorder
from sitestats.models import Count, VisitorDay
from sitestats.services import visit_days_close
from tests.database import traces

pytestmark = pytest.mark.usefixtures("stats")

ADDRESS = "198.51.100.173"
FORWARDED = "203.0.113.219"
AGENT = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/131.0.0.0 Safari/537.36 Qzvx/4.4")


@pytest.fixture
def every_log(caplog):
    """Every record of every logger, the SQL with its parameters included."""
    connection.force_debug_cursor = True
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG,
                                                         logger="django.db.backends"):
        yield caplog
    connection.force_debug_cursor = False


def test_no_table_and_no_log_holds_an_address_or_a_browser_string(client, settings,
                                                                   every_log):
    settings.TRUSTED_PROXIES = frozenset({"10.0.0.1"})
    start = datetime(2026, 11, 29, 23, 58, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for n in range(40):
            path = ["/", "/about/", "/no-such-page/", "/shipping/"][n % 4]
            client.get(path, headers={"user-agent": AGENT, "referer": "https://example.net/a"},
                       REMOTE_ADDR=ADDRESS)
            client.get(path, headers={"user-agent": AGENT, "x-forwarded-for": FORWARDED},
                       REMOTE_ADDR="10.0.0.1")
            if n % 10 == 9:
                recorder.buffer_write()
            traveller.shift(timedelta(minutes=2))
        visit_days_close()
    assert Count.objects.exists()
    assert VisitorDay.objects.exists()  # today's visitors, as hashes

    # The search works: the browser's family is there, parsed from the string.
    assert traces("Chrome")
    for needle in [ADDRESS, FORWARDED, AGENT, "Qzvx", "10.0.0.1", "example.net/a"]:
        assert traces(needle) == [], needle
        assert needle not in every_log.text, needle
    # The SQL was logged, so the logs would have shown what the writer sent.
    assert "sitestats_count" in every_log.text
