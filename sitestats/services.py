"""Writing the visit statistics (P4): a batch of page views becomes counts, the day's
visitor rows are kept under the day's salt, and a day that is over is closed: its
visitors become counts and its salt and visitor rows are deleted, in one transaction.

Only the background writer (sitestats/recorder.py) and `manage.py sitestats_close_days`
call these; no request waits for them.
"""

import hashlib
import hmac
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count as RowCount
from django.db.models import QuerySet
from django.http.request import split_domain_port
from django.utils import timezone

from roochi_site.access_log import path_for_log
from sitestats.dimensions import agent, referring_site
from sitestats.models import Count, DaySalt, VisitorDay

# A day is closed this long after it ended (UTC), so that the views each process still
# holds from its last seconds are written under its salt first (they are written every
# SITESTATS_WRITE_SECONDS).
CLOSING_DELAY = timedelta(minutes=5)
# Two processes closing days at once would count a day twice.
CLOSING_LOCK = 0x5173_7461_7473  # "sitestats", as a number
# Page views per visit are shown in these groups: exact up to 5, then ranges.
CLICK_GROUPS = [(1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5"), (10, "6-10"),
                (20, "11-20")]
CLICKS_MORE = "more than 20"
PATH_LENGTH = 300

CountKey = tuple[date, int | None, str, str]


@dataclass(frozen=True)
class PageView:
    """What the request leaves for the writer, in memory only: the address and the
    browser string never reach the database or a log (P4)."""

    at: float  # time.time()
    path: str
    status: int
    host: str
    referer: str
    user_agent: str
    address: str


@dataclass
class Visit:
    views: int
    last_seen: datetime
    last_path: str


def clicks_group(views: int) -> str:
    return next((label for limit, label in CLICK_GROUPS if views <= limit), CLICKS_MORE)


def visitor_hash(*, salt: bytes, address: str, user_agent: str) -> str:
    """Who this is, for one day only: the day's random salt and the site's secret key
    make the key, so neither a database dump nor the code alone can test an address."""
    key = hashlib.sha256(b"sitestats.visitor|" + settings.SECRET_KEY.encode() + salt).digest()
    return hmac.new(key, f"{address}\n{user_agent}".encode(), hashlib.sha256).hexdigest()[:32]


def page_views_write(views: Iterable[PageView], *, now: datetime | None = None) -> None:
    """Count a batch of page views, in one transaction."""
    today = (now or timezone.now()).astimezone(UTC).date()
    counts: Counter[CountKey] = Counter()
    visits: dict[tuple[date, str, str], Visit] = {}  # (day, address, agent) -> visit
    site_host = split_domain_port(urlsplit(settings.SITE_URL).netloc)[0]
    for view in views:
        moment = datetime.fromtimestamp(view.at, UTC)
        day = moment.date()
        who = agent(view.user_agent)
        if who.bot:
            # Counted apart: a crawler's views are not visits (P4 "trends").
            counts[day, None, Count.Kind.BOT, who.bot] += 1
            continue
        path = path_for_log(view.path)[:PATH_LENGTH]
        counts[day, moment.hour, Count.Kind.VIEWS, ""] += 1
        counts[day, None, Count.Kind.STATUS, str(view.status)] += 1
        if view.status == 404:
            counts[day, None, Count.Kind.NOT_FOUND, path] += 1
        elif view.status < 400:
            counts[day, None, Count.Kind.PAGE, path] += 1
        own_hosts = {site_host, split_domain_port(view.host)[0]}
        if site := referring_site(view.referer, own_hosts):
            counts[day, None, Count.Kind.REFERRER, site] += 1
        counts[day, None, Count.Kind.BROWSER, who.browser] += 1
        counts[day, None, Count.Kind.PLATFORM, who.platform] += 1
        counts[day, None, Count.Kind.DEVICE, who.device] += 1
        visit = visits.setdefault((day, view.address, view.user_agent),
                                  Visit(views=0, last_seen=moment, last_path=path))
        visit.views += 1
        if moment >= visit.last_seen:
            visit.last_seen, visit.last_path = moment, path
    with transaction.atomic():
        counts_add(counts)
        for day in sorted({day for day, _, _ in visits}):
            salt = day_salt(day, create=day == today)
            if salt is None:
                continue  # the day was closed already: its visitors are counted
            visitor_days_add({
                visitor_hash(salt=salt, address=address, user_agent=user_agent): visit
                for (visit_day, address, user_agent), visit in visits.items()
                if visit_day == day}, day=day)


def day_salt(day: date, *, create: bool) -> bytes | None:
    """The day's salt, made by the first process that needs it. Locked for share until
    the caller's transaction ends, so a day cannot be closed while its visitors are
    being written (the closing locks it for update)."""
    if create:
        DaySalt.objects.bulk_create([DaySalt(day=day, key=secrets.token_bytes(32))],
                                    ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key FROM {DaySalt._meta.db_table} WHERE day = %s FOR SHARE",  # noqa: S608
                       [day])
        found = cursor.fetchone()
    return bytes(found[0]) if found else None


def stored_text(value: str) -> str:
    """PostgreSQL text cannot hold NUL, which a visitor can put in a path."""
    return value.replace("\x00", "")


def counts_add(counts: Mapping[CountKey, int]) -> None:
    table = Count._meta.db_table
    merged: Counter[CountKey] = Counter()
    for (day, hour, kind, value), n in counts.items():
        merged[day, hour, str(kind), stored_text(value)] += n
    rows = [(day, hour, kind, value, n) for (day, hour, kind, value), n in merged.items()]
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (day, hour, kind, value, count) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (day, hour, kind, value) "
            f"DO UPDATE SET count = {table}.count + EXCLUDED.count", rows)


def visitor_days_add(visits: Mapping[str, Visit], *, day: date) -> None:
    table = VisitorDay._meta.db_table
    rows = [(day, visitor, visit.views, stored_text(visit.last_path), visit.last_seen)
            for visitor, visit in visits.items()]
    if not rows:
        return
    with connection.cursor() as cursor:
        # Two processes may see one visitor: the later view is the exit page.
        cursor.executemany(
            f"INSERT INTO {table} AS v (day, visitor, views, last_path, last_seen) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (day, visitor) DO UPDATE SET "
            "views = v.views + EXCLUDED.views, "
            "last_path = CASE WHEN EXCLUDED.last_seen >= v.last_seen "
            "THEN EXCLUDED.last_path ELSE v.last_path END, "
            "last_seen = GREATEST(v.last_seen, EXCLUDED.last_seen)", rows)


def visitor_day_counts(rows: QuerySet[VisitorDay]) -> Counter[CountKey]:
    """Unique visitors, page views per visit and exit pages of days still open, from
    their visitor rows (three queries, whatever the number of days)."""
    counts: Counter[CountKey] = Counter()
    for row in rows.values("day").annotate(n=RowCount("id")):
        counts[row["day"], None, Count.Kind.VISITORS, ""] += row["n"]
    for row in rows.values("day", "views").annotate(n=RowCount("id")):
        counts[row["day"], None, Count.Kind.CLICKS, clicks_group(row["views"])] += row["n"]
    for row in rows.values("day", "last_path").annotate(n=RowCount("id")):
        counts[row["day"], None, Count.Kind.EXIT, row["last_path"]] += row["n"]
    return counts


def days_over(before: date) -> list[date]:
    """The days before this one that still have a salt or visitor rows."""
    return sorted(set(DaySalt.objects.filter(day__lt=before).values_list("day", flat=True))
                  | set(VisitorDay.objects.filter(day__lt=before)
                        .values_list("day", flat=True).distinct()))


def visit_days_close(*, now: datetime | None = None, dry_run: bool = False) -> list[date]:
    """Close every day that is over: count its visitors, then delete its visitor rows
    and its salt, in one transaction (P4: yesterday's visitor cannot be recognised
    today). The days closed (with dry_run, that would be)."""
    before = ((now or timezone.now()) - CLOSING_DELAY).astimezone(UTC).date()
    if dry_run:
        return days_over(before)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLOSING_LOCK])
        # Waits for writers that hold a salt for share (day_salt), then keeps them out.
        list(DaySalt.objects.select_for_update().filter(day__lt=before))
        days = days_over(before)
        if days:
            counts_add(visitor_day_counts(VisitorDay.objects.filter(day__in=days)))
            VisitorDay.objects.filter(day__in=days).delete()
            DaySalt.objects.filter(day__in=days).delete()
    return days


def hourly_counts_roll_up(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Sum the hourly page views of days older than SITESTATS_HOURLY_DAYS into one
    count a day, in one statement; the number of hourly rows rolled up (with dry_run,
    that would be)."""
    before = (now or timezone.now()).astimezone(UTC).date() - timedelta(
        days=settings.SITESTATS_HOURLY_DAYS)
    if dry_run:
        return Count.objects.filter(hour__isnull=False, day__lt=before).count()
    table = Count._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH hourly AS (DELETE FROM {table} WHERE hour IS NOT NULL AND day < %s "  # noqa: S608
            "RETURNING day, kind, value, count), "
            f"daily AS (INSERT INTO {table} (day, hour, kind, value, count) "
            "SELECT day, NULL, kind, value, sum(count) FROM hourly GROUP BY day, kind, value "
            f"ON CONFLICT (day, hour, kind, value) DO UPDATE SET count = {table}.count + "
            "EXCLUDED.count) SELECT count(*) FROM hourly", [before])
        return cursor.fetchone()[0]
