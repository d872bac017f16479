import pytest

from sitestats import recorder
from sitestats.models import Count, DaySalt, VisitorDay

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")
DESKTOP_FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture
def stats(db):
    """Statistics from this test's requests only: other tests' views are still in this
    process's buffer, and a gunicorn of another test may have written rows."""
    recorder._buffer.clear()
    Count.objects.all().delete()
    VisitorDay.objects.all().delete()
    DaySalt.objects.all().delete()


def counts(kind, **filters) -> dict[str, int]:
    return {row.value: row.count for row in Count.objects.filter(kind=kind, **filters)}
