"""Mail is stored with what caused it and delivered in the background through a real
SMTP conversation; a mail server outage loses nothing and sends nothing twice."""

import time

import pytest
from django.db import transaction

from communications.models import OutboundMail
from communications.services import mail_queue
from tests.conftest import text_of

# The worker commits and closes connections, as in production.
pytestmark = pytest.mark.usefixtures("committed_db")


def queue_test_mail(to="ana@example.com") -> OutboundMail:
    return mail_queue(
        to=to,
        subject="Your request RT-TEST",
        template_name="communications/mail/footer.txt",
        context={},
        category=OutboundMail.Category.REPLY,
        purpose="test",
    )


def test_a_queued_mail_is_delivered_by_the_worker(smtp_server, run_tasks):
    mail = queue_test_mail()
    assert smtp_server.messages == []
    run_tasks()
    [message] = smtp_server.messages
    assert message["To"] == "ana@example.com"
    assert message["Subject"] == "Your request RT-TEST"
    assert "support@roochi.com" in text_of(message)
    mail.refresh_from_db()
    assert mail.status == OutboundMail.Status.SENT
    assert mail.attempts == 1


def test_an_outage_keeps_the_mail_and_it_is_sent_once_the_server_is_back(
    smtp_server, run_tasks, settings
):
    settings.MAIL_RETRY_DELAYS = [1, 1]
    smtp_server.stop()
    mail = queue_test_mail()
    run_tasks()
    mail.refresh_from_db()
    assert mail.status == OutboundMail.Status.QUEUED
    assert mail.attempts == 1
    assert "ConnectionRefusedError" in mail.last_error

    smtp_server.start()
    time.sleep(1.1)  # the retry is due one second after the failure
    run_tasks()
    mail.refresh_from_db()
    assert mail.status == OutboundMail.Status.SENT
    assert len(smtp_server.messages) == 1


def test_a_server_that_keeps_refusing_ends_in_failed_not_in_a_loop(
    smtp_server, run_tasks, settings
):
    settings.MAIL_RETRY_DELAYS = [0]
    smtp_server.refuse = True
    mail = queue_test_mail()
    run_tasks()
    mail.refresh_from_db()
    assert mail.status == OutboundMail.Status.FAILED
    assert mail.attempts == 2
    assert smtp_server.messages == []


def test_a_mail_is_not_stored_when_its_cause_rolls_back(run_tasks):
    def cause_that_fails():
        with transaction.atomic():
            queue_test_mail()
            raise RuntimeError("the inquiry failed to save")

    with pytest.raises(RuntimeError):
        cause_that_fails()
    run_tasks()
    assert not OutboundMail.objects.exists()


def test_no_unasked_mail_goes_to_an_address_that_bounced(smtp_server, run_tasks):
    from django.utils import timezone

    from communications.models import UndeliverableAddress

    reply = queue_test_mail(to="gone@example.com")
    UndeliverableAddress.objects.create(email="gone@example.com", marked_at=timezone.now(),
                                        status_code="5.1.1")
    news = mail_queue(to="Gone@Example.com", subject="News",
                      template_name="communications/mail/footer.txt", context={},
                      category=OutboundMail.Category.NEWSLETTER, purpose="test")
    run_tasks()
    assert smtp_server.messages == []
    for mail in (reply, news):
        mail.refresh_from_db()
        assert mail.status == OutboundMail.Status.UNDELIVERABLE
        assert mail.get_status_display() == "Not sent: the address bounced"


def test_a_reply_to_a_request_made_after_the_bounce_goes(smtp_server, run_tasks):
    """The person asked again: perhaps their mailbox works again; one bounce at most."""
    from datetime import timedelta

    from django.utils import timezone

    from communications.models import UndeliverableAddress

    UndeliverableAddress.objects.create(email="back@example.com",
                                        marked_at=timezone.now() - timedelta(days=3))
    mail_queue(to="back@example.com", subject="We received your request",
               template_name="communications/mail/footer.txt", context={},
               category=OutboundMail.Category.REPLY, purpose="test",
               answers_request_of=timezone.now())
    run_tasks()
    assert [message["To"] for message in smtp_server.messages] == ["back@example.com"]
