"""Working days skip weekends and the public holidays of the company's jurisdiction,
counted in the staff's time zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import checks

from roochi_site.working_days import is_working_day, working_days_after

LOS_ANGELES = ZoneInfo("America/Los_Angeles")


@pytest.fixture(autouse=True)
def california(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    settings.COMPANY_HOLIDAYS_COUNTRY = "US"
    settings.COMPANY_HOLIDAYS_SUBDIVISION = "CA"


def test_thanksgiving_and_the_day_after_are_skipped():
    wednesday = datetime(2026, 11, 25, 10, 0, tzinfo=LOS_ANGELES)
    # Thursday 26 and Friday 27 are holidays in California, then the weekend.
    assert working_days_after(wednesday, 1) == datetime(2026, 11, 30, 10, 0, tzinfo=LOS_ANGELES)
    assert working_days_after(wednesday, 2) == datetime(2026, 12, 1, 10, 0, tzinfo=LOS_ANGELES)


def test_christmas_is_skipped():
    thursday = datetime(2026, 12, 24, 9, 30, tzinfo=LOS_ANGELES)
    assert working_days_after(thursday, 1).date() == date(2026, 12, 28)


def test_a_state_holiday_depends_on_the_subdivision(settings):
    cesar_chavez_day = date(2027, 3, 31)  # a Wednesday, a holiday in California only
    assert not is_working_day(cesar_chavez_day)
    settings.COMPANY_HOLIDAYS_SUBDIVISION = "NY"
    assert is_working_day(cesar_chavez_day)


def test_another_country_has_its_own_holidays(settings):
    settings.COMPANY_HOLIDAYS_COUNTRY, settings.COMPANY_HOLIDAYS_SUBDIVISION = "DE", ""
    assert is_working_day(date(2026, 11, 26))  # no Thanksgiving in Germany
    assert not is_working_day(date(2026, 10, 3))  # German Unity Day (a Saturday anyway)
    assert not is_working_day(date(2026, 12, 25))


def test_the_deadline_keeps_its_local_hour_across_the_change_of_summer_time():
    friday = datetime(2026, 10, 30, 15, 0, tzinfo=LOS_ANGELES)  # summer time ends 1 November
    due = working_days_after(friday, 1)
    assert (due.date(), due.hour) == (date(2026, 11, 2), 15)


def test_the_deadline_is_counted_in_the_staff_time_zone(settings):
    # 23:30 on Wednesday in Los Angeles is already Thursday (Thanksgiving) in UTC.
    late = datetime(2026, 11, 26, 7, 30, tzinfo=ZoneInfo("UTC"))
    due = working_days_after(late, 1)
    assert due.astimezone(LOS_ANGELES) == datetime(2026, 11, 30, 23, 30, tzinfo=LOS_ANGELES)


def test_an_unknown_jurisdiction_fails_the_system_check(settings):
    settings.COMPANY_HOLIDAYS_COUNTRY = "XX"
    errors = [message for message in checks.run_checks() if message.id == "roochi_site.E130"]
    assert errors
    assert "COMPANY_HOLIDAYS_COUNTRY" in errors[0].msg
