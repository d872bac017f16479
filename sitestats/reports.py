"""What staff see of the visit statistics: for a range of days, the daily totals, the
views by hour, and the top values of each dimension. A fixed number of queries,
whatever the range or the rows (the admin's query budget)."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum

from sitestats.models import Count, VisitorDay
from sitestats.services import CLICK_GROUPS, CLICKS_MORE, CountKey, visitor_day_counts

Kind = Count.Kind
# The tables of the report, in order, with the heading of their value column and of
# their count column.
TABLES = [
    (Kind.PAGE, "Page", "Page views"),
    (Kind.REFERRER, "Site", "Page views"),
    (Kind.BROWSER, "Browser", "Page views"),
    (Kind.PLATFORM, "Platform", "Page views"),
    (Kind.DEVICE, "Device", "Page views"),
    (Kind.EXIT, "Last page of the visit", "Visits"),
    (Kind.CLICKS, "Page views in the visit", "Visits"),
    (Kind.NOT_FOUND, "Address asked for", "Times"),
    (Kind.STATUS, "Status", "Answers"),
    (Kind.BOT, "Bot or crawler", "Page views"),
]
CLICK_ORDER = [label for _, label in CLICK_GROUPS] + [CLICKS_MORE]


@dataclass(frozen=True)
class Day:
    day: date
    views: int
    visitors: int
    bot_views: int


@dataclass(frozen=True)
class Table:
    kind: str
    title: str
    value_heading: str
    count_heading: str
    rows: list[tuple[str, int]]
    more: int  # values left out below the top ones


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    days: list[Day]
    hours: list[tuple[int, int]]
    tables: list[Table]

    @property
    def views(self) -> int:
        return sum(day.views for day in self.days)

    @property
    def visitors(self) -> int:
        return sum(day.visitors for day in self.days)


def report_counts(start: date, end: date) -> Counter[CountKey]:
    """Every count of the range, per day, kind and value (hours summed), with the days
    still open counted from their visitor rows."""
    counts: Counter[CountKey] = Counter()
    rows = (Count.objects.filter(day__range=(start, end))
            .values("day", "kind", "value").annotate(total=Sum("count")))
    for row in rows:
        counts[row["day"], None, row["kind"], row["value"]] += row["total"]
    counts.update(visitor_day_counts(VisitorDay.objects.filter(day__range=(start, end))))
    return counts


def report_build(start: date, end: date, *, top: int = 20) -> Report:
    counts = report_counts(start, end)
    per_day: dict[tuple[date, str], int] = defaultdict(int)
    per_value: dict[str, Counter[str]] = defaultdict(Counter)
    for (day, _, kind, value), n in counts.items():
        per_day[day, kind] += n
        per_value[kind][value] += n
    days = [Day(day=day, views=per_day[day, Kind.VIEWS], visitors=per_day[day, Kind.VISITORS],
                bot_views=per_day[day, Kind.BOT])
            for day in (start + timedelta(days=n) for n in range((end - start).days + 1))]
    hourly = (Count.objects.filter(day__range=(start, end), kind=Kind.VIEWS, hour__isnull=False)
              .values("hour").annotate(total=Sum("count")))
    by_hour = {row["hour"]: row["total"] for row in hourly}
    tables = []
    for kind, value_heading, count_heading in TABLES:
        values = per_value[kind]
        if kind == Kind.CLICKS:
            rows = [(label, values[label]) for label in CLICK_ORDER if values[label]]
        elif kind == Kind.STATUS:
            rows = sorted(values.items())
        else:
            rows = sorted(values.items(), key=lambda item: (-item[1], item[0]))
        tables.append(Table(kind=kind, title=Kind(kind).label, value_heading=value_heading,
                            count_heading=count_heading, rows=rows[:top],
                            more=max(0, len(rows) - top)))
    return Report(start=start, end=end, days=days,
                  hours=[(hour, by_hour.get(hour, 0)) for hour in range(24)] if by_hour else [],
                  tables=tables)


def export_rows(start: date, end: date) -> list[tuple[date, int | None, str, str, int]]:
    """Every stored count of the range, hours kept, plus the open days' visitor
    counts: what the CSV export holds."""
    stored = (Count.objects.filter(day__range=(start, end))
              .order_by("day", "hour", "kind", "value")
              .values_list("day", "hour", "kind", "value", "count"))
    live = visitor_day_counts(VisitorDay.objects.filter(day__range=(start, end)))
    rows = [*stored, *((day, hour, kind, value, n)
                       for (day, hour, kind, value), n in live.items())]
    return sorted(rows, key=lambda row: (row[0], -1 if row[1] is None else row[1], row[2], row[3]))
