"""Closed inquiries are erased once their retention period is over, through the
personal-data registry, with their timeline and the mail sent about them."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from communications.models import OutboundMail
from inquiries.models import Inquiry, InquiryEvent, Status, months_before
from inquiries.services import inquiries_purge, inquiry_add_note, inquiry_reply_by_email
from privacy import registry
from roochi_site import personal_data
from roochi_site.models import SubmissionCount
from tests.database import traces
from tests.inquiries.conftest import InquiryFactory, valid_post

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


# What a person types into the support form, each value findable in a database dump.
TYPED = {
    "name": "Zofia Kowalczyk-Nowak",
    "email": "zofia.k@example.com",
    "phone": "(323) 555-0188",
    "reply_by": "phone",
    "company": "Baltic Grain Traders",
    "order_number": "SO-77665544",
    "message": "Where is the rye shipped to Gdynia last week?",
}


def test_everything_a_person_typed_is_in_their_copy_and_gone_after_their_erasure(
    browser_client, staff
):
    """P8 for every field of the form and of its timeline: the registry finds each of
    them for the person's copy, and nothing of them survives the person's erasure."""
    response = browser_client.post("/support-request/", valid_post("support", **TYPED))
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    inquiry_add_note(inquiry=inquiry, author=staff, text="Zofia prefers a call after 4 pm.")
    stored = {"name": TYPED["name"], "email": TYPED["email"], "phone": "+13235550188",
              "company": TYPED["company"], "order_number": TYPED["order_number"],
              "message": TYPED["message"]}

    copy = registry.records_for(TYPED["email"])["inquiries"]
    [record] = copy["inquiries.Inquiry"]
    assert {name: record.get(name) for name in stored} == stored
    assert [event["text"] for event in copy["inquiries.InquiryEvent"]] == [
        "Zofia prefers a call after 4 pm."]

    assert traces(TYPED["company"])  # the search finds what is there
    registry.erase_person(TYPED["email"])
    for value in [*stored.values(), "3235550188", "Zofia prefers a call"]:
        assert traces(value) == [], value


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
