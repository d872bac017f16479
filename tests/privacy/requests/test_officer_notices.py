"""The privacy officer hears of a confirmed request at once, in the confirmation's
transaction, and once more PRIVACY_REQUEST_REMINDER_DAYS before its legal deadline;
never twice, and never with the person's address."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from communications.models import OutboundMail
from privacy.models import PrivacyRequest
from privacy.services import requests as request_services
from privacy.services.requests import privacy_requests_deadline_remind
from tests.privacy.requests.conftest import request_confirm, request_submit

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
ANA = "ana.officer-test@example.com"


@pytest.fixture(autouse=True)
def officer(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    settings.PRIVACY_OFFICER_EMAIL = "privacy-officer@roochi.com"
    settings.FORM_MIN_FILL_SECONDS = 0
    settings.PRIVACY_REQUEST_REMINDER_DAYS = 7


def officer_mails(purpose: str) -> list[OutboundMail]:
    return list(OutboundMail.objects.filter(to="privacy-officer@roochi.com", purpose=purpose))


def confirmed(client, kind: str = "copy", email: str = ANA) -> PrivacyRequest:
    request_submit(client, email, kind)
    return request_confirm(client, email)


@pytest.mark.django_db
def test_a_confirmed_request_notifies_the_officer_at_once(client):
    assert officer_mails("privacy-request-officer-confirmed") == []
    privacy_request = confirmed(client, "delete")
    [notice] = officer_mails("privacy-request-officer-confirmed")
    assert notice.category == OutboundMail.Category.STAFF_NOTICE
    assert privacy_request.reference in notice.subject
    assert "Delete my data" in notice.body
    due = timezone.localtime(privacy_request.due_at)
    assert f"Legal deadline: {due:%A} {due.day} {due:%B %Y, %H:%M}" in notice.body
    assert f"/admin/privacy/privacyrequest/{privacy_request.pk}/change/" in notice.body
    assert ANA not in notice.body + notice.subject + notice.html_body


@pytest.mark.django_db
def test_a_request_that_needs_no_staff_notifies_nobody(client):
    confirmed(client, "stop_newsletter")
    assert officer_mails("privacy-request-officer-confirmed") == []


@pytest.mark.django_db
def test_the_notice_is_part_of_the_confirmation(client, monkeypatch):
    """A crash while queueing the notice confirms nothing: the person's link still works."""
    request_submit(client, ANA, "copy")

    def crash(*args, **kwargs):
        raise ConnectionError("the process died here")

    monkeypatch.setattr(request_services, "officer_notice", crash)
    with pytest.raises(ConnectionError):
        request_confirm(client, ANA)
    assert PrivacyRequest.objects.get().status == PrivacyRequest.Status.UNVERIFIED
    monkeypatch.undo()
    request_confirm(client, ANA)
    assert len(officer_mails("privacy-request-officer-confirmed")) == 1


def open_request_due(due_at: datetime) -> PrivacyRequest:
    privacy_request = PrivacyRequest.objects.get()
    PrivacyRequest.objects.filter(pk=privacy_request.pk).update(due_at=due_at)
    return privacy_request


@pytest.mark.django_db
def test_the_reminder_goes_a_week_before_the_deadline_once(client):
    confirmed(client)
    due = datetime(2026, 12, 20, 17, 0, tzinfo=LOS_ANGELES)
    privacy_request = open_request_due(due)
    assert privacy_requests_deadline_remind(at=due - timedelta(days=7, minutes=1)) == 0
    assert privacy_requests_deadline_remind(at=due - timedelta(days=7)) == 1
    assert privacy_requests_deadline_remind(at=due - timedelta(days=6)) == 0
    [reminder] = officer_mails("privacy-request-officer-reminder")
    assert privacy_request.reference in reminder.subject
    assert "20 Dec 2026" in reminder.subject
    assert ANA not in reminder.body + reminder.subject
    privacy_request.refresh_from_db()
    assert privacy_request.deadline_reminded_at == due - timedelta(days=7)


@pytest.mark.django_db
def test_a_week_before_is_on_the_wall_clock_across_summer_time(client):
    confirmed(client)
    # Summer time begins on 14 March 2027: a week before 17:00 on the 17th is 17:00
    # on the 10th, which is 167 hours earlier, not 168.
    due = datetime(2027, 3, 17, 17, 0, tzinfo=LOS_ANGELES)
    open_request_due(due)
    week_before = datetime(2027, 3, 10, 17, 0, tzinfo=LOS_ANGELES)
    assert due.astimezone(UTC) - week_before.astimezone(UTC) == timedelta(hours=167)
    assert privacy_requests_deadline_remind(at=week_before - timedelta(minutes=1)) == 0
    assert privacy_requests_deadline_remind(at=week_before) == 1


@pytest.mark.django_db
def test_closed_requests_are_not_reminded(client):
    privacy_request = confirmed(client)
    PrivacyRequest.objects.filter(pk=privacy_request.pk).update(
        status=PrivacyRequest.Status.COMPLETED, closed_at=timezone.now(),
        due_at=timezone.now() + timedelta(days=1))
    call_command("remind_privacy_deadlines")
    assert officer_mails("privacy-request-officer-reminder") == []


@pytest.mark.django_db
def test_a_deadline_already_near_is_reminded_by_the_next_run(client, settings):
    settings.PRIVACY_REQUEST_DEADLINE_DAYS = 3
    confirmed(client)
    call_command("remind_privacy_deadlines")
    call_command("remind_privacy_deadlines")
    assert len(officer_mails("privacy-request-officer-reminder")) == 1
