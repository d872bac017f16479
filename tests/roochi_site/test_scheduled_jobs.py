"""The scheduled jobs run at their intervals; a failing job stops none of the others;
finished task results are pruned, so the queue stays quick after months of mail."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from communications.models import OutboundMail
from communications.services import mail_queue

pytestmark = pytest.mark.usefixtures("committed_db")


def test_every_job_runs_and_a_failing_one_stops_none_of_the_others(settings, caplog):
    settings.SCHEDULED_JOBS = [
        {"command": "no_such_command", "every": 60},
        {"command": "prune_db_task_results", "every": 60, "args": ["--min-age-days", "0"]},
    ]
    mail_queue(to="ana@example.com", subject="s", template_name="communications/mail/footer.txt",
               context={}, category=OutboundMail.Category.REPLY, purpose="test")
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now())
    with caplog.at_level(logging.ERROR):
        call_command("scheduled_jobs", "--once")
    assert "The scheduled job no_such_command failed" in caplog.text
    assert not DBTaskResult.objects.exists()


def test_the_configured_pruning_keeps_recent_and_unfinished_tasks(run_tasks, smtp_server):
    for number in range(3):
        mail_queue(to=f"reader{number}@example.com", subject="s",
                   template_name="communications/mail/footer.txt", context={},
                   category=OutboundMail.Category.REPLY, purpose="test")
    run_tasks()
    old, recent, waiting = DBTaskResult.objects.order_by("pk")
    DBTaskResult.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=15))
    DBTaskResult.objects.filter(pk=waiting.pk).update(
        status=TaskResultStatus.READY, finished_at=None)
    call_command("scheduled_jobs", "--once")
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
