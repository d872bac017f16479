"""Working days: Monday to Friday in the staff's time zone (TIME_ZONE), less the public
holidays of the company's jurisdiction (COMPANY_HOLIDAYS_COUNTRY and
COMPANY_HOLIDAYS_SUBDIVISION, as the maintained `holidays` package knows them).

Every deadline that counts working days (an inquiry's first reply, and any app that
needs one) counts them here, so the staff's calendar is written once.
"""

from datetime import date, datetime, timedelta
from functools import cache

import holidays
from django.conf import settings
from django.core import checks
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone


@cache
def public_holidays(country: str, subdivision: str) -> holidays.HolidayBase:
    # Years are filled in on demand as dates are looked up (the package's expand).
    return holidays.country_holidays(country, subdiv=subdivision or None)


def is_working_day(day: date) -> bool:
    if day.weekday() >= 5:  # Saturday, Sunday
        return False
    return day not in public_holidays(settings.COMPANY_HOLIDAYS_COUNTRY,
                                      settings.COMPANY_HOLIDAYS_SUBDIVISION)


def working_days_after(moment: datetime, days: int) -> datetime:
    """The same local time `days` working days later, in the staff's time zone: a
    request on Wednesday before Thanksgiving with two days is due on Monday."""
    local = timezone.localtime(moment)
    while days > 0:
        local += timedelta(days=1)
        if is_working_day(local.date()):
            days -= 1
    # An aware datetime in a zoneinfo zone adds days on the wall clock: the same local
    # hour across a change of summer time.
    return local


@receiver(setting_changed)
def public_holidays_forget(*, setting, **kwargs):
    if setting.startswith("COMPANY_HOLIDAYS_"):
        public_holidays.cache_clear()


@checks.register()
def holidays_jurisdiction_check(**kwargs) -> list[checks.CheckMessage]:
    """A jurisdiction the package does not know would fail the first deadline, inside
    a visitor's submission: say so at start-up instead."""
    try:
        public_holidays(settings.COMPANY_HOLIDAYS_COUNTRY, settings.COMPANY_HOLIDAYS_SUBDIVISION)
    except NotImplementedError as error:
        return [checks.Error(
            f"COMPANY_HOLIDAYS_COUNTRY / COMPANY_HOLIDAYS_SUBDIVISION: {error}",
            hint="Use an ISO 3166 country code and one of its subdivisions that the "
            "holidays package lists (e.g. US and CA).", id="roochi_site.E130")]
    return []
