"""P6: staff record an opt-out the person asked for by email to support or by phone
(ext. 118), on the person's admin page; the page shows who recorded what, when, how."""

from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.models import OptOut, Person
from privacy.services.newsletter import newsletter_subscribers
from tests.privacy.newsletter.conftest import subscribe
from tests.privacy.requests.conftest import request_confirm, request_submit

pytestmark = pytest.mark.django_db

ANA = "ana@example.com"


def record(staff, person: Person, **data):
    return staff.post(f"/admin/privacy/person/{person.pk}/act/record_opt_out/", data,
                      follow=True)


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(("channel", "scope"), [("email", "newsletter"), ("phone", "all")])
def test_staff_record_an_opt_out_and_the_page_shows_who_when_and_how(staff, channel, scope):
    subscribe(ANA)
    person = Person.objects.for_email(ANA).get()
    asked = timezone.now() - timedelta(days=1)
    response = record(staff, person, scope=scope, channel=channel, asked_at=local(asked),
                      note="Asked on the phone to stop everything")
    assert response.status_code == 200
    assert "Opt-out recorded" in response.text
    opt_out = OptOut.objects.get()
    assert (opt_out.scope, opt_out.channel, opt_out.recorded_by) == (scope, channel,
                                                                     staff.user)
    assert local(opt_out.asked_at) == local(asked)
    assert list(newsletter_subscribers()) == []
    person.refresh_from_db()
    assert person.communication_opt_out == (scope == "all")

    page = staff.get(f"/admin/privacy/person/{person.pk}/change/").text
    history = page[page.index('id="opt-outs"'):page.index('id="newsletter-consent"')]
    assert opt_out.get_channel_display() in history
    assert opt_out.get_scope_display() in history
    assert "privacy-officer" in history
    assert timezone.localtime(asked).strftime("%Y-%m-%d %H:%M") in history
    consent = page[page.index('id="newsletter-consent"'):]
    assert "Ended" in consent


def test_an_opt_out_in_the_future_or_without_a_channel_is_refused_with_a_message(staff):
    person = Person.objects.create(email=ANA)
    future = record(staff, person, scope="newsletter", channel="phone",
                    asked_at=local(timezone.now() + timedelta(days=2)))
    assert "cannot be asked for in the future" in future.text
    missing = record(staff, person, scope="newsletter", asked_at=local(timezone.now()))
    assert "This field is required" in missing.text
    one_click = record(staff, person, scope="newsletter", channel="one-click",
                       asked_at=local(timezone.now()))
    assert "Select a valid choice" in one_click.text
    assert not OptOut.objects.exists()


def test_the_choices_are_not_boxes_staff_can_tick_without_a_record(staff):
    person = Person.objects.create(email=ANA)
    page = staff.get(f"/admin/privacy/person/{person.pk}/change/").text
    assert 'name="newsletter_opt_out"' not in page
    assert 'name="communication_opt_out"' not in page
    assert "Record an opt-out" in page


def test_a_get_of_the_action_records_nothing(staff):
    person = Person.objects.create(email=ANA)
    staff.get(f"/admin/privacy/person/{person.pk}/act/record_opt_out/",
              {"scope": "all", "channel": "phone", "asked_at": local(timezone.now())})
    assert not OptOut.objects.exists()


def test_a_privacy_request_to_stop_the_newsletter_is_recorded_as_such(client):
    subscribe(ANA)
    request_submit(client, ANA, "stop_newsletter")
    request_confirm(client, ANA)
    assert OptOut.objects.get().channel == "privacy-request"
    assert list(newsletter_subscribers()) == []
