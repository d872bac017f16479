"""What the staff home page shows of inquiries (roochi_site/dashboard.py): what is
waiting, and how the last quarter went, week by week."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Aggregate, Count, DurationField, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Inquiry, InquiryEvent, Status
from privacy import registry
from roochi_site.dashboard import DashboardCount, DashboardPanel

# The last quarter: this week and the twelve before it.
WEEKS_SHOWN = 13
STAFF_REPLIES = (InquiryEvent.Kind.EMAIL_REPLY, InquiryEvent.Kind.PHONE_REPLY)


class Median(Aggregate):
    """PostgreSQL's median: the continuous 50th percentile, of intervals too."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def first_staff_reply():
    """When staff first answered the inquiry, by email or phone (its timeline)."""
    return Subquery(InquiryEvent.objects.filter(inquiry=OuterRef("pk"), kind__in=STAFF_REPLIES)
                    .order_by().values("inquiry").annotate(first=Min("happened_at"))
                    .values("first"))


def inquiry_list_url(**filters: str) -> str:
    return f"{reverse('admin:inquiries_inquiry_changelist')}?{urlencode(filters)}"


def inquiry_counts(at: datetime | None = None) -> dict[str, int]:
    """The numbers the home page shows, in one query, of the rows the inquiry list
    shows (a deactivated person's are in neither, P6, P8)."""
    now = at or timezone.now()
    inquiries = registry.excluding_inactive(Inquiry.objects.all())
    return inquiries.aggregate(
        new=Count("pk", filter=Q(status=Status.NEW)),
        due_today=Count("pk", filter=Q(pk__in=Inquiry.objects.due_today(now).values("pk"))),
        overdue=Count("pk", filter=Q(pk__in=Inquiry.objects.overdue(now).values("pk"))),
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
    )


@dataclass(frozen=True)
class Week:
    start: date
    received: int
    answered: int  # inquiries first answered that week


@dataclass(frozen=True)
class Quarter:
    weeks: list[Week]
    answered: int  # of the inquiries received in these weeks
    median_first_reply: timedelta | None

    @property
    def start(self) -> date:
        return self.weeks[0].start


def quarter_start(now: datetime) -> datetime:
    """Local midnight of the Monday WEEKS_SHOWN - 1 weeks before this week's."""
    local = timezone.localtime(now)
    monday = local - timedelta(days=local.weekday(), weeks=WEEKS_SHOWN - 1)
    return monday.replace(hour=0, minute=0, second=0, microsecond=0)


def inquiry_quarter(at: datetime | None = None) -> Quarter:
    """Inquiries received and first answered per week, and the median time from
    receiving one to its first reply (three queries, whatever the number of rows)."""
    start = quarter_start(at or timezone.now())
    tz = timezone.get_current_timezone()
    with_reply = Inquiry.objects.annotate(first_reply=first_staff_reply())

    def per_week(rows, moment: str) -> dict[date, int]:
        return {week.date(): number for week, number in
                rows.annotate(week=TruncWeek(moment, tzinfo=tz)).order_by()
                .values("week").annotate(number=Count("pk")).values_list("week", "number")}

    received = per_week(Inquiry.objects.filter(collected_at__gte=start), "collected_at")
    answered = per_week(with_reply.filter(first_reply__gte=start), "first_reply")
    of_quarter = with_reply.filter(collected_at__gte=start, first_reply__isnull=False)
    figures = of_quarter.aggregate(answered=Count("pk"),
                                   median=Median(F("first_reply") - F("collected_at")))
    mondays = [(start + timedelta(weeks=n)).date() for n in range(WEEKS_SHOWN)]
    return Quarter(
        weeks=[Week(start=monday, received=received.get(monday, 0),
                    answered=answered.get(monday, 0)) for monday in mondays],
        answered=figures["answered"], median_first_reply=figures["median"])


def duration_in_words(duration: timedelta) -> str:
    hours = duration.total_seconds() / 3600
    if hours < 1:
        return "under an hour"
    if hours < 48:
        return f"{round(hours)} hour{'s' if round(hours) != 1 else ''}"
    return f"{hours / 24:.1f} days"


def inquiries_panel(request: HttpRequest) -> DashboardPanel:
    counts = inquiry_counts()
    quarter = inquiry_quarter()
    median = quarter.median_first_reply
    return DashboardPanel(
        title="Inquiries",
        counts=[
            DashboardCount("new", counts["new"], inquiry_list_url(status__exact=Status.NEW)),
            DashboardCount("due today", counts["due_today"],
                           inquiry_list_url(first_reply="due-today")),
            DashboardCount("overdue", counts["overdue"], inquiry_list_url(first_reply="overdue"),
                           overdue=True),
            DashboardCount("waiting for the customer", counts["waiting"],
                           inquiry_list_url(status__exact=Status.WAITING)),
        ],
        template_name="admin/inquiries/quarter.html",
        context={"quarter": quarter,
                 "median": duration_in_words(median) if median is not None else "",
                 "chart_url": reverse("admin:inquiries_inquiry_quarter_chart")},
    )
