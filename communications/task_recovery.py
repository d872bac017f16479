"""Tasks whose worker died are run again: a task an app registers here as safe to run
twice (idempotent) that is still marked running after MAIL_DELIVERY_STALE_SECONDS is
marked failed and queued anew: the preparation of a mailing, and from the privacy app
the task that finishes an erasure (P8: it erases the notice that carried the address).
Mail delivery has its own, finer recovery (communications.services.mail_delivery_recover)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

_recoverable = {}


def recoverable_task_register(task) -> None:
    """Declare a task safe to run again when its worker died mid-way."""
    _recoverable[task.module_path] = task


def stale_tasks_recover(*, stale_after: timedelta | None = None) -> list[int]:
    """Queue again each registered task left running by a dead worker; the ids of the
    results given up. Safe from several workers at once: only the worker whose update
    marks a result failed queues it again."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if stale_after is None:
        stale_after = timedelta(seconds=settings.MAIL_DELIVERY_STALE_SECONDS)
    now = timezone.now()
    stale = DBTaskResult.objects.filter(
        task_path__in=list(_recoverable), status=TaskResultStatus.RUNNING,
        started_at__lt=now - stale_after)
    recovered = []
    for result in stale:
        taken = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=now,
            traceback=f"No result after {stale_after}: the worker stopped. Queued again.")
        if not taken:
            continue  # another worker took it up first
        arguments = result.args_kwargs
        _recoverable[result.task_path].using(priority=result.priority).enqueue(
            *arguments.get("args", []), **arguments.get("kwargs", {}))
        recovered.append(result.pk)
    if recovered:
        logger.warning("Queued again tasks %s: their worker stopped",
                       ", ".join(map(str, recovered)))
    return recovered
