"""What /health/ (roochi_site/health.py) asks of the mail: is a task worker alive, and
is mail waiting that a worker should have tried by now. Registered at ready()."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from communications.models import OutboundMail, WorkerHeartbeat
from roochi_site.health import CheckResult

HEARTBEAT_ROW = 1


def worker_heartbeat_write() -> None:
    """One UPDATE of the one row (its first write creates it)."""
    now = timezone.now()
    if not WorkerHeartbeat.objects.filter(pk=HEARTBEAT_ROW).update(beat_at=now):
        WorkerHeartbeat.objects.update_or_create(pk=HEARTBEAT_ROW, defaults={"beat_at": now})


def worker_heartbeat_check() -> CheckResult:
    beat_at = WorkerHeartbeat.objects.filter(pk=HEARTBEAT_ROW).values_list(
        "beat_at", flat=True).first()
    if beat_at is None:
        return CheckResult(ok=False, detail={"last_heartbeat_seconds_ago": None})
    age = (timezone.now() - beat_at).total_seconds()
    return CheckResult(ok=age <= settings.HEALTH_WORKER_HEARTBEAT_MAX_SECONDS,
                       detail={"last_heartbeat_seconds_ago": round(age)})


def outbox_backlog_check() -> CheckResult:
    """Mail people wait for (a reply, a confirmation link), not yet tried once after
    HEALTH_OUTBOX_WAIT_MINUTES: the workers are missing or cannot keep up. A mailing's
    mails are left out (10,000 of them wait their turn by design), and so is mail
    waiting for a retry after the mail server failed (its last error is on its row)."""
    queued = OutboundMail.objects.filter(status=OutboundMail.Status.QUEUED)
    overdue = queued.filter(
        mailing__isnull=True, attempts=0,
        created_at__lt=timezone.now() - timedelta(minutes=settings.HEALTH_OUTBOX_WAIT_MINUTES),
    ).count()
    return CheckResult(ok=overdue == 0, detail={"queued": queued.count(), "overdue": overdue})
