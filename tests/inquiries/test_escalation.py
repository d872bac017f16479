"""Escalation: the team hears once that an inquiry passed its first-reply deadline,
and gets one list a day of what is overdue; never twice, whatever runs when."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from communications.models import OutboundMail
from inquiries import services
from inquiries.models import Form, Inquiry, OverdueDigest, Status, Topic
from inquiries.services import inquiries_overdue_notify, overdue_digest_send
from tests.conftest import text_of
from tests.inquiries.conftest import InquiryFactory

LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def overdue(**fields) -> Inquiry:
    return InquiryFactory(first_response_due=timezone.now() - timedelta(hours=1), **fields)


def notices() -> list[OutboundMail]:
    return list(OutboundMail.objects.filter(purpose__endswith="-overdue"))


@pytest.fixture(autouse=True)
def teams(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    settings.INQUIRY_INFORMATION_TO = "info-team@roochi.com"
    settings.INQUIRY_SUPPORT_TO = "support-team@roochi.com"
    settings.INQUIRY_OVERDUE_DIGEST_HOUR = 8


@pytest.mark.django_db
def test_an_overdue_inquiry_is_notified_once_not_on_every_run():
    inquiry = overdue(purpose=Form.SUPPORT, topic=Topic.ORDER)
    call_command("notify_overdue_inquiries")
    call_command("notify_overdue_inquiries")
    [notice] = notices()
    assert notice.to == "support-team@roochi.com"
    assert notice.category == OutboundMail.Category.STAFF_NOTICE
    assert inquiry.reference in notice.subject
    assert f"/admin/inquiries/inquiry/{inquiry.reference}/change/" in notice.body
    inquiry.refresh_from_db()
    assert inquiry.overdue_notified_at is not None


@pytest.mark.django_db
def test_the_notice_holds_no_personal_data():
    inquiry = overdue(name="Zelda Quintero", email="zelda.q@example.com",
                      message="My secret shipment of saffron")
    inquiries_overdue_notify()
    [notice] = notices()
    for detail in [inquiry.name, inquiry.email, "saffron", "+1 323", inquiry.phone]:
        assert detail not in notice.body + notice.subject + notice.html_body


@pytest.mark.django_db
def test_what_is_not_late_is_not_notified():
    InquiryFactory(first_response_due=timezone.now() + timedelta(minutes=5))
    overdue(first_responded_at=timezone.now())  # answered late, but answered
    overdue(status=Status.CLOSED, closed_at=timezone.now())
    assert inquiries_overdue_notify() == 0
    assert notices() == []


@pytest.mark.django_db
def test_a_crash_midway_leaves_no_notice_and_no_mark(monkeypatch):
    overdue()
    overdue()
    real_mail_queue = services.mail_queue
    calls = []

    def mail_queue_then_crash(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise ConnectionError("the process died here")
        return real_mail_queue(**kwargs)

    monkeypatch.setattr(services, "mail_queue", mail_queue_then_crash)
    with pytest.raises(ConnectionError):
        inquiries_overdue_notify()
    assert notices() == []
    assert not Inquiry.objects.exclude(overdue_notified_at=None).exists()
    monkeypatch.setattr(services, "mail_queue", real_mail_queue)
    assert inquiries_overdue_notify() == 2
    assert inquiries_overdue_notify() == 0


def two_schedulers_at_once(run) -> tuple[int, int]:
    """``run`` in a first scheduler's transaction, and again in a second's while the
    first has not committed yet (it commits half a second later, or once the second is
    done); what each returned."""
    first_ran, release, results = threading.Event(), threading.Event(), {}

    def first_scheduler():
        try:
            with transaction.atomic():
                results["first"] = run()
                first_ran.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=first_scheduler)
    thread.start()
    assert first_ran.wait(10)
    # A second that waits on the first's rows gets them once the first commits.
    threading.Timer(0.5, release.set).start()
    second = run()
    release.set()
    thread.join(10)
    return results["first"], second


@pytest.mark.usefixtures("committed_db")
def test_two_schedulers_at_once_send_one_notice():
    overdue()
    assert two_schedulers_at_once(inquiries_overdue_notify) == (1, 0)
    assert inquiries_overdue_notify() == 0
    assert len(notices()) == 1


@pytest.mark.usefixtures("committed_db")
def test_the_notice_goes_out_by_smtp(run_tasks, smtp_server):
    inquiry = overdue()
    inquiries_overdue_notify()
    run_tasks()
    [message] = [m for m in smtp_server.messages if m["To"] == "info-team@roochi.com"]
    assert message["Subject"] == f"Overdue: information request {inquiry.reference}"
    assert f"/admin/inquiries/inquiry/{inquiry.reference}/change/" in text_of(message)


# --- The daily digest ------------------------------------------------------------------


def local(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, 0, tzinfo=LOS_ANGELES)


def digest_mails() -> list[OutboundMail]:
    return list(OutboundMail.objects.filter(purpose__endswith="-overdue-digest"))


@pytest.mark.django_db
def test_the_digest_lists_each_form_overdue_once_a_day():
    late = [InquiryFactory(first_response_due=local(1, 7) - timedelta(days=n))
            for n in range(2)]
    support = InquiryFactory(purpose=Form.SUPPORT, topic=Topic.ORDER,
                             first_response_due=local(1, 6))
    InquiryFactory(first_response_due=local(3, 9))  # not late yet
    assert overdue_digest_send(at=local(1, 7)) == []  # before the digest's hour
    sent = overdue_digest_send(at=local(1, 9))
    assert {digest.purpose for digest in sent} == {Form.INFORMATION, Form.SUPPORT}
    information_mail = OutboundMail.objects.get(to="info-team@roochi.com")
    assert information_mail.subject == "2 overdue information requests on 01 December 2026"
    # The longest overdue first, each with its due date and its link.
    body = information_mail.body
    assert body.index(late[1].reference) < body.index(late[0].reference)
    assert "due Mon 30 Nov 2026, 07:00 PST" in body
    assert f"/admin/inquiries/inquiry/{late[0].reference}/change/" in body
    assert support.reference in OutboundMail.objects.get(to="support-team@roochi.com").body
    # Later the same day: nothing more; the next day: again.
    assert overdue_digest_send(at=local(1, 17)) == []
    assert len(overdue_digest_send(at=local(2, 8))) == 2
    assert len(digest_mails()) == 4


@pytest.mark.django_db
def test_no_digest_when_nothing_is_overdue():
    InquiryFactory(first_response_due=local(2, 9))
    InquiryFactory(first_response_due=local(1, 6), first_responded_at=local(1, 5))
    assert overdue_digest_send(at=local(1, 9)) == []
    assert digest_mails() == []
    assert not OverdueDigest.objects.exists()


@pytest.mark.django_db
def test_the_digest_holds_no_personal_data():
    inquiry = InquiryFactory(first_response_due=local(1, 6), name="Zelda Quintero",
                             email="zelda.q@example.com", message="saffron")
    overdue_digest_send(at=local(1, 9))
    [mail] = digest_mails()
    for detail in [inquiry.name, inquiry.email, "saffron"]:
        assert detail not in mail.body + mail.html_body


@pytest.mark.usefixtures("committed_db")
def test_two_schedulers_at_once_send_one_digest():
    InquiryFactory(first_response_due=local(1, 6))
    assert two_schedulers_at_once(lambda: len(overdue_digest_send(at=local(1, 9)))) == (1, 0)
    assert len(digest_mails()) == 1
