"""A delivery whose worker died is taken up again and still reaches its recipient once:
the worker killed while it talked to the mail server, as it happens, and the recovery's
rules one by one."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from communications.content import mail_content_render
from communications.models import OutboundMail
from communications.services import (
    MAIL_DELIVERY_RECOVERIES,
    mail_delivery_recover,
    mail_queue,
    mail_row,
    mails_store,
)
from tests.conftest import StallingSMTPServer
from tests.quality.conftest import database_url_of_tests
from tests.waiting import wait_until

pytestmark = pytest.mark.usefixtures("committed_db")

ROOT = Path(__file__).resolve().parents[2]


def queue_test_mail(to="ana@example.com") -> OutboundMail:
    return mail_queue(
        to=to, subject="Your request RT-TEST", template_name="communications/mail/footer.txt",
        context={}, category=OutboundMail.Category.REPLY, purpose="test",
    )


def deliveries_of(mail: OutboundMail):
    return DBTaskResult.objects.filter(args_kwargs__kwargs__mail_ids__contains=[mail.pk])


def queue_test_mails(*addresses: str) -> list[OutboundMail]:
    """Mails of one cause, as a submission stores its acknowledgement and staff notice:
    one delivery task for all of them."""
    content = mail_content_render(subject="Your request RT-TEST", context={},
                                  template_name="communications/mail/footer.txt")
    with transaction.atomic():
        return mails_store([mail_row(to=address, content=content, purpose="test",
                                     category=OutboundMail.Category.REPLY)
                            for address in addresses])


@pytest.fixture
def stalling_smtp_server():
    server = StallingSMTPServer(stall={"ana@example.com"})
    server.start()
    yield server
    server.released.set()
    server.stop()


def task_worker(smtp_port: int, log: Path, **environment: str) -> subprocess.Popen:
    """`manage.py task_worker` in its own process, on the test database."""
    env = {**os.environ, "DJANGO_HTTPS": "false", "DATABASE_URL": database_url_of_tests(),
           "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), "EMAIL_USE_TLS": "false",
           **environment}
    with log.open("a") as output:
        return subprocess.Popen(
            [sys.executable, "manage.py", "task_worker", "--no-startup-delay", "--interval", "0.2"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


@pytest.fixture
def workers():
    started: list[subprocess.Popen] = []
    yield started
    for process in started:  # before the test's data is flushed
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=20)


def test_a_mail_whose_worker_was_killed_mid_conversation_is_sent_once_by_the_next(
        stalling_smtp_server, workers, tmp_path):
    log = tmp_path / "workers.log"
    mail = queue_test_mail()
    stale = {"MAIL_DELIVERY_STALE_SECONDS": "2"}
    workers.append(task_worker(stalling_smtp_server.port, log, **stale))
    assert stalling_smtp_server.stalled.wait(timeout=30), log.read_text()

    workers[0].send_signal(signal.SIGKILL)
    workers[0].wait(timeout=10)
    stalling_smtp_server.released.set()  # the dead worker's conversation ends; others pass
    [task] = deliveries_of(mail)
    assert task.status == TaskResultStatus.RUNNING  # for ever, without the recovery
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (OutboundMail.Status.QUEUED, 0)

    workers.append(task_worker(stalling_smtp_server.port, log, **stale))
    wait_until(lambda: OutboundMail.objects.get(pk=mail.pk).status == OutboundMail.Status.SENT,
               30, f"the mail was not sent again: {log.read_text()}")
    assert [message["To"] for message in stalling_smtp_server.messages] == ["ana@example.com"]
    mail.refresh_from_db()
    assert mail.attempts == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert "the worker stopped" in task.traceback
    time.sleep(2.5)  # one more recovery pass of the live worker: nothing more is sent
    assert len(stalling_smtp_server.messages) == 1


def test_a_worker_killed_between_two_mails_of_one_task_leaves_the_first_sent_once(
        stalling_smtp_server, workers, tmp_path):
    """The first mail is sent, the worker dies talking about the second: the next worker
    sends the second and only the second."""
    log = tmp_path / "workers.log"
    first, second = queue_test_mails("bo@example.com", "ana@example.com")
    [task] = deliveries_of(first)
    assert list(deliveries_of(second)) == [task]
    stale = {"MAIL_DELIVERY_STALE_SECONDS": "2"}
    workers.append(task_worker(stalling_smtp_server.port, log, **stale))
    assert stalling_smtp_server.stalled.wait(timeout=30), log.read_text()

    workers[0].send_signal(signal.SIGKILL)
    workers[0].wait(timeout=10)
    stalling_smtp_server.released.set()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (OutboundMail.Status.SENT,
                                             OutboundMail.Status.QUEUED)

    workers.append(task_worker(stalling_smtp_server.port, log, **stale))
    wait_until(lambda: OutboundMail.objects.get(pk=second.pk).status == OutboundMail.Status.SENT,
               30, f"the second mail was not sent again: {log.read_text()}")
    time.sleep(2.5)  # one more recovery pass of the live worker: nothing more is sent
    assert sorted(message["To"] for message in stalling_smtp_server.messages) == [
        "ana@example.com", "bo@example.com"]
    first.refresh_from_db()
    assert first.attempts == 1
    [retry] = deliveries_of(second).exclude(pk=task.pk)
    assert retry.args_kwargs["kwargs"] == {"mail_ids": [second.pk]}


def test_the_mails_of_one_cause_are_one_delivery_task():
    acknowledgement, notice = queue_test_mails("ana@example.com", "info@roochi.com")
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {
        "mail_ids": [acknowledgement.pk, notice.pk]}


def running_since(mail: OutboundMail, seconds: float) -> None:
    deliveries_of(mail).filter(status=TaskResultStatus.READY).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(seconds=seconds))


def test_a_delivery_running_longer_than_the_timeout_is_queued_again(
        settings, smtp_server, run_tasks):
    settings.MAIL_DELIVERY_STALE_SECONDS = 300
    mail = queue_test_mail()
    running_since(mail, 301)
    assert mail_delivery_recover() == [mail.pk]
    assert sorted(deliveries_of(mail).values_list("status", flat=True)) == [
        TaskResultStatus.FAILED, TaskResultStatus.READY]
    run_tasks()
    mail.refresh_from_db()
    assert mail.status == OutboundMail.Status.SENT
    assert len(smtp_server.messages) == 1


def test_a_delivery_waiting_or_under_way_is_left_alone(settings):
    settings.MAIL_DELIVERY_STALE_SECONDS = 300
    waiting = queue_test_mail()
    running = queue_test_mail()
    running_since(running, 299)
    assert mail_delivery_recover() == []
    assert deliveries_of(waiting).get().status == TaskResultStatus.READY
    assert deliveries_of(running).get().status == TaskResultStatus.RUNNING


def test_a_slow_delivery_still_holding_its_row_is_not_doubled(settings):
    """Past the timeout, but its worker is alive: it holds the row's lock."""
    settings.MAIL_DELIVERY_STALE_SECONDS = 300
    mail = queue_test_mail()
    running_since(mail, 1000)
    locked, done = threading.Event(), threading.Event()

    def slow_delivery():
        try:
            with transaction.atomic():
                OutboundMail.objects.select_for_update().get(pk=mail.pk)
                locked.set()
                done.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_delivery)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        assert mail_delivery_recover() == []
    finally:
        done.set()
        thread.join()
    assert deliveries_of(mail).get().status == TaskResultStatus.RUNNING


def test_a_delivery_cut_off_again_and_again_is_given_up(settings):
    settings.MAIL_DELIVERY_STALE_SECONDS = 300
    mail = queue_test_mail()
    for _ in range(MAIL_DELIVERY_RECOVERIES - 1):
        running_since(mail, 301)
        assert mail_delivery_recover() == [mail.pk]
    running_since(mail, 301)
    assert mail_delivery_recover() == []
    mail.refresh_from_db()
    assert mail.status == OutboundMail.Status.FAILED
    assert "cut off 5 times" in mail.last_error
    assert not deliveries_of(mail).exclude(status=TaskResultStatus.FAILED).exists()
