"""What the staff home page shows of privacy requests (roochi_site/dashboard.py):
the confirmed requests waiting for staff, and their legal deadline (P8)."""

from datetime import datetime
from urllib.parse import urlencode

from django.db.models import Count, Min, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from privacy.models import PrivacyRequest
from roochi_site.dashboard import DashboardCount, DashboardPanel


def privacy_request_list_url(**filters: str) -> str:
    return f"{reverse('admin:privacy_privacyrequest_changelist')}?{urlencode(filters)}"


def privacy_request_counts(at: datetime | None = None) -> dict:
    """Open requests, the overdue among them, and the soonest deadline: one query."""
    now = at or timezone.now()
    open_requests = PrivacyRequest.objects.filter(status=PrivacyRequest.Status.VERIFIED)
    return open_requests.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)),
                                   next_deadline=Min("due_at"))


def privacy_requests_panel(request: HttpRequest) -> DashboardPanel:
    counts = privacy_request_counts()
    deadline = counts["next_deadline"]
    return DashboardPanel(title="Privacy requests", counts=[
        DashboardCount("awaiting action", counts["open"],
                       privacy_request_list_url(status__exact=PrivacyRequest.Status.VERIFIED),
                       note=f"the soonest legal deadline: "
                       f"{date_format(timezone.localtime(deadline), 'j F Y, H:i')}"
                       if deadline else ""),
        DashboardCount("past their legal deadline", counts["overdue"],
                       privacy_request_list_url(deadline="overdue"), overdue=True),
    ])
