"""What the staff home page shows of mailings (roochi_site/dashboard.py): those
being sent, whose mails are not all written or not all delivered yet."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse

from communications.models import OutboundMail
from mailings.models import NewsletterIssue, ServiceAnnouncement, StaffMailing
from roochi_site.dashboard import DashboardCount, DashboardPanel

IN_PROGRESS = "in-progress"


def in_progress(items: QuerySet[StaffMailing]) -> QuerySet[StaffMailing]:
    """Sent, and its recipients' mails still being written or waiting to go."""
    waiting = OutboundMail.objects.filter(mailing=OuterRef("mailing"),
                                          status=OutboundMail.Status.QUEUED)
    return items.filter(mailing__isnull=False).filter(
        Q(mailing__prepared_at__isnull=True) | Exists(waiting))


def mailings_panel(request: HttpRequest) -> DashboardPanel:
    counts = []
    for model, label in [(NewsletterIssue, "newsletter issues being sent"),
                         (ServiceAnnouncement, "service announcements being sent")]:
        opts = model._meta
        counts.append(DashboardCount(
            label, in_progress(model.objects.all()).count(),
            f"{reverse(f'admin:{opts.app_label}_{opts.model_name}_changelist')}"
            f"?sending={IN_PROGRESS}",
            permission=f"{opts.app_label}.view_{opts.model_name}"))
    return DashboardPanel(title="Mailings", counts=counts)
