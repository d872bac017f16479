"""A mailing reaches each address of its audience exactly once: however it is spelled,
when a batch is cut off mid-way and runs again, when two preparations run at once, and
through a mail server that goes away during the sending."""

import threading

import pytest
from django.db import connection

from communications.content import MailContent, text_as_html
from communications.mailings import (
    mailing_kind_register,
    mailing_prepare,
    mailing_progress,
    mailing_start,
)
from communications.models import Mailing, OutboundMail

pytestmark = pytest.mark.usefixtures("committed_db")

AUDIENCE = [f"reader{number}@example.com" for number in range(25)]
# The mailing's audience, and the recipient at which writing its mails fails, if any.
audience = list(AUDIENCE)
failing = {"at": None}


def announcement_for(mailing: Mailing, address: str) -> MailContent:
    if address == failing["at"]:
        raise RuntimeError("the worker died here")
    text = f"Hello {address}, our warehouse moves on Monday."
    return MailContent(subject="Planned maintenance", text=text, html=text_as_html(text))


mailing_kind_register("test-announcement", category=OutboundMail.Category.SERVICE,
                      audience=lambda mailing: audience, message=announcement_for)


@pytest.fixture(autouse=True)
def audience_reset():
    audience[:] = AUDIENCE
    failing["at"] = None


def mails_per_address() -> dict[str, int]:
    counts: dict[str, int] = {}
    for address in OutboundMail.objects.values_list("to", flat=True):
        counts[address] = counts.get(address, 0) + 1
    return counts


def test_each_address_gets_one_mail_in_whatever_spelling(run_tasks, smtp_server):
    audience[:] = [*AUDIENCE, "Reader1@Example.COM", "reader2@example.com"]
    mailing = mailing_start(kind="test-announcement")
    run_tasks()
    assert mails_per_address() == dict.fromkeys(AUDIENCE, 1)
    assert sorted(message["To"] for message in smtp_server.messages) == sorted(AUDIENCE)
    mailing.refresh_from_db()
    progress = mailing_progress(mailing)
    assert (progress.sent, progress.queued, progress.finished) == (25, 0, True)


def test_a_batch_cut_off_mid_way_leaves_nothing_and_the_next_run_goes_on(run_tasks, smtp_server):
    mailing = Mailing.objects.create(kind="test-announcement")
    failing["at"] = AUDIENCE[13]
    with pytest.raises(RuntimeError):
        mailing_prepare(mailing_id=mailing.pk, batch_size=10)
    # The first batch of ten committed; the second died whole.
    assert sorted(mails_per_address()) == sorted(AUDIENCE[:10])

    failing["at"] = None
    assert mailing_prepare(mailing_id=mailing.pk, batch_size=10) == 15
    assert mailing_prepare(mailing_id=mailing.pk, batch_size=10) == 0
    run_tasks()
    assert mails_per_address() == dict.fromkeys(AUDIENCE, 1)
    assert len(smtp_server.messages) == 25


def test_two_preparations_at_once_mail_nobody_twice():
    mailing = Mailing.objects.create(kind="test-announcement")
    errors = []

    def prepare():
        try:
            mailing_prepare(mailing_id=mailing.pk, batch_size=3)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=prepare) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert mails_per_address() == dict.fromkeys(AUDIENCE, 1)


def test_the_database_refuses_a_second_mail_of_a_mailing_to_one_address():
    from django.db import IntegrityError, transaction

    mailing = Mailing.objects.create(kind="test-announcement")
    row = {"to": "ana@example.com", "subject": "s", "body": "b", "category": "service",
           "purpose": "test-announcement", "mailing": mailing}
    OutboundMail.objects.create(message_id="<1@test>", **row)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboundMail.objects.create(message_id="<2@test>", **row)


def test_a_mail_server_outage_during_a_mailing_loses_nobody(run_tasks, smtp_server, settings):
    from django.utils import timezone
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    # A retry an hour later, so that however slow this machine, none runs meanwhile.
    settings.MAIL_RETRY_DELAYS = [3600]
    mailing = mailing_start(kind="test-announcement")
    smtp_server.stop()
    run_tasks()
    mailing.refresh_from_db()
    progress = mailing_progress(mailing)
    assert (progress.prepared, progress.queued, progress.sent) == (True, 25, 0)

    smtp_server.start()
    # The hour has passed: each mail's retry is due.
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
    run_tasks()
    assert mailing_progress(mailing).sent == 25
    assert sorted(message["To"] for message in smtp_server.messages) == sorted(AUDIENCE)


def test_each_mail_of_a_mailing_is_a_delivery_task_of_its_own():
    """Several workers share a mailing's thousands, and a task of one mail never runs
    for longer than the recovery's patience (mails_store's delivered_apart)."""
    from django_tasks_db.models import DBTaskResult

    from communications.tasks import mails_deliver_task

    mailing = mailing_start(kind="test-announcement")
    mailing_prepare(mailing_id=mailing.pk)
    deliveries = DBTaskResult.objects.filter(task_path=mails_deliver_task.module_path)
    assert sorted(len(task.args_kwargs["kwargs"]["mail_ids"]) for task in deliveries) == [1] * 25
