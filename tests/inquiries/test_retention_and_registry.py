"""Closed inquiries are erased once their retention period is over, through the
personal-data registry, with their timeline and the mail sent about them."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from communications.models import OutboundMail
from inquiries.models import Inquiry, InquiryEvent, Status, months_before
from inquiries.services import inquiries_purge, inquiry_add_note, inquiry_reply_by_email
from roochi_site import personal_data
from roochi_site.models import SubmissionCount
from tests.inquiries.conftest import InquiryFactory

pytestmark = pytest.mark.django_db


def closed_inquiry(months_ago: int, staff, **fields) -> Inquiry:
    closed_at = months_before(timezone.now(), months_ago) - timedelta(days=1)
    inquiry = InquiryFactory(**fields)
    inquiry_reply_by_email(inquiry=inquiry, author=staff, body="Here is your answer, Ana.")
    inquiry_add_note(inquiry=inquiry, author=staff, text="Ana is a regular client.")
    Inquiry.objects.filter(pk=inquiry.pk).update(status=Status.CLOSED, closed_at=closed_at)
    return inquiry


def test_closed_inquiries_past_retention_are_erased_with_timeline_and_mail(staff, settings):
    settings.INQUIRY_RETENTION_MONTHS = 24
    old = closed_inquiry(25, staff, email="old@example.com")
    recent = closed_inquiry(23, staff, email="recent@example.com")
    still_open = InquiryFactory(collected_at=timezone.now() - timedelta(days=1000))

    assert inquiries_purge() == 1

    assert set(Inquiry.objects.all()) == {recent, still_open}
    assert not InquiryEvent.objects.filter(inquiry_id=old.pk).exists()
    assert not OutboundMail.objects.filter(to="old@example.com").exists()
    assert OutboundMail.objects.filter(to="recent@example.com").exists()
    # No column of any declared table holds the erased person's address (P8).
    for declaration in personal_data.declarations():
        assert not declaration.rows_for("old@example.com").exists(), declaration.model


def test_the_command_has_a_dry_run_that_erases_nothing(staff, capsys):
    closed_inquiry(30, staff)
    call_command("purge_inquiries", "--dry-run")
    assert "Would erase 1 closed inquiry older than 24 months." in capsys.readouterr().out
    assert Inquiry.objects.count() == 1
    call_command("purge_inquiries")
    assert "Erased 1 closed inquiry" in capsys.readouterr().out
    assert not Inquiry.objects.exists()


def test_months_are_calendar_months_clamped_to_the_month_end():
    moment = timezone.datetime(2026, 3, 31, 12, tzinfo=timezone.UTC)
    assert months_before(moment, 1) == moment.replace(month=2, day=28)
    assert months_before(moment, 24) == moment.replace(year=2024, month=3)
    assert months_before(moment, 3) == moment.replace(year=2025, month=12)


def test_every_inquiry_field_holding_personal_data_is_declared():
    declared = {declaration.model: set(declaration.fields)
                for declaration in personal_data.declarations()}
    assert declared[Inquiry] == {"name", "email", "phone", "company", "order_number",
                                 "message"}
    assert declared[InquiryEvent] == {"text"}


def test_a_person_s_inquiries_and_timeline_are_found_and_erased_through_the_registry(staff):
    inquiry = InquiryFactory(email="ana@example.com")
    inquiry_add_note(inquiry=inquiry, author=staff, text="Prefers mornings.")
    InquiryFactory(email="bo@example.com")
    by_model = {declaration.model: declaration for declaration in personal_data.declarations()}
    for model in (InquiryEvent, Inquiry):
        declaration = by_model[model]
        declaration.erase_rows(declaration.rows_for("ana@example.com"))
    assert list(Inquiry.objects.values_list("email", flat=True)) == ["bo@example.com"]
    assert not InquiryEvent.objects.exists()


def test_the_command_deletes_spam_counts_of_past_hours():
    now = timezone.now()
    SubmissionCount.objects.create(scope="inquiries", client_key="a" * 64,
                                   hour=now - timedelta(hours=2), count=1)
    current = SubmissionCount.objects.create(
        scope="inquiries", client_key="b" * 64,
        hour=now.replace(minute=0, second=0, microsecond=0), count=1)
    call_command("purge_inquiries")
    assert list(SubmissionCount.objects.all()) == [current]
