"""The public request page (P1, P3, P8): what a visitor sees, the same answer for
every address, single-use links that expire."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communications.models import OutboundMail
from privacy.models import Person, PrivacyRequest
from privacy.services.requests import privacy_requests_purge_expired
from roochi_site.csrf import form_token_new
from tests.privacy.requests.conftest import link_in, request_confirm, request_submit

pytestmark = pytest.mark.django_db


def test_the_page_offers_every_request_with_the_collection_notice(client):
    response = client.get("/privacy/requests/")
    page = response.content.decode()
    assert response.status_code == 200
    assert not response.cookies
    for label in ["Send me a copy of the data you hold about me", "Correct or update something",
                  "Delete my data", "Deactivate: stop all use and all contact",
                  "Stop the newsletter", "Stop all communication"]:
        assert label in page
    assert "How we use what you send" in page
    assert "privacy policy, version 1" in page


def test_the_footer_and_every_mail_link_to_the_page(client):
    assert 'href="/privacy/requests/"' in client.get("/").content.decode()
    request_submit(client, "ana@example.com", "copy")
    assert "http://127.0.0.1:8000/privacy/requests/" in OutboundMail.objects.get().body


def test_a_correction_without_what_is_wrong_is_shown_again_with_the_input(client):
    response = request_submit(client, "ana@example.com", "correct", should_be="Ana Example")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tell us what is wrong, so we can correct it." in page
    assert 'href="#id_wrong"' in page  # the error summary links to the field
    assert "Ana Example" in page
    assert 'value="ana@example.com"' in page
    assert not PrivacyRequest.objects.exists()
    assert not OutboundMail.objects.exists()


@pytest.mark.parametrize(("email", "error"), [
    ("", "This field is required."),
    ("not-an-address", "Enter a valid email address."),
    ("a@" + "b" * 300 + ".com", "Ensure this value has at most 254 characters"),
])
def test_a_bad_address_is_refused_next_to_the_field(client, email, error):
    response = request_submit(client, email, "copy")
    assert response.status_code == 400
    html = response.content.decode()
    # The field is marked invalid and described by the text of its error, which a
    # screen reader reads with it and a sighted person sees under it.
    email_input = re.search(r'<input[^>]*name="email"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in email_input
    described_by = re.search(r'aria-describedby="([^"]+)"', email_input).group(1).split()
    descriptions = [re.search(rf'id="{element}"[^>]*>(.*?)</div>', html, flags=re.DOTALL)
                    for element in described_by]
    assert any(error in found.group(1) for found in descriptions if found)
    assert not PrivacyRequest.objects.exists()


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(client):
    Person.objects.create(email="known@example.com")
    answers = []
    for email in ["known@example.com", "stranger@example.com"]:
        with CaptureQueriesContext(connection) as queries:
            response = request_submit(client, email, "delete")
        followed = client.get(response["Location"])
        answers.append((response.status_code, response["Location"], followed.content,
                        len(queries), OutboundMail.objects.filter(to=email).count()))
    known, unknown = answers
    # Same redirect, same page, the same work in the database (nothing branches on
    # whether we know the address), one confirmation mail each.
    assert known == unknown
    assert known[0] == 302
    known_mail, unknown_mail = (OutboundMail.objects.get(to=e).body for e in
                                ["known@example.com", "stranger@example.com"])
    assert known_mail.split("request PR-")[0] == unknown_mail.split("request PR-")[0]


def test_only_a_confirmed_request_is_verified_and_the_link_works_once(client):
    request_submit(client, "ana@example.com", "copy")
    privacy_request = PrivacyRequest.objects.get()
    assert privacy_request.status == PrivacyRequest.Status.UNVERIFIED
    assert privacy_request.policy_version.number == 1
    assert privacy_request.purpose == "privacy-request"
    path = link_in(OutboundMail.objects.get().body)

    # Following the link only asks; a mail scanner that fetches it confirms nothing.
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm my request" in page.content.decode()
    privacy_request.refresh_from_db()
    assert privacy_request.status == PrivacyRequest.Status.UNVERIFIED

    privacy_request = request_confirm(client, "ana@example.com")
    assert privacy_request.status == PrivacyRequest.Status.VERIFIED
    assert privacy_request.due_at - privacy_request.verified_at == timedelta(days=30)
    assert Person.objects.get(email="ana@example.com").status == Person.Status.ACTIVE

    again = client.post(path, {"form_token": form_token_new("ConfirmForm")},
                        headers={"Sec-Fetch-Site": "same-origin"})
    assert again.status_code == 404
    assert "This link does not work" in again.content.decode()


def test_an_expired_link_confirms_nothing_and_the_request_is_purged(client, settings):
    settings.PRIVACY_REQUEST_VERIFY_HOURS = 1
    request_submit(client, "ana@example.com", "delete")
    path = link_in(OutboundMail.objects.get().body)
    PrivacyRequest.objects.update(verify_by=timezone.now() - timedelta(seconds=1))

    assert client.get(path).status_code == 404
    response = client.post(path, {"form_token": form_token_new("ConfirmForm")},
                           headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 404
    assert privacy_requests_purge_expired() == {
        "communications.OutboundMail": 1, "privacy.PrivacyRequestEvent": 1,
        "privacy.PrivacyRequest": 1}
    assert not PrivacyRequest.objects.exists()
    assert not OutboundMail.objects.exists()  # the mail that carried the dead link


def test_a_request_after_an_expired_link_is_accepted_and_the_purge_keeps_its_mail(
        client, settings):
    request_submit(client, "ana@example.com", "delete")
    request_submit(client, "bob@example.com", "delete")
    PrivacyRequest.objects.update(verify_by=timezone.now() - timedelta(seconds=1))
    # A post deletes nobody's expired request: not its row to lock (the hourly job's).
    with CaptureQueriesContext(connection) as queries:
        request_submit(client, "ana@example.com", "copy")
    assert not [query["sql"] for query in queries.captured_queries
                if query["sql"].startswith("DELETE") or "FOR UPDATE" in query["sql"]]
    assert PrivacyRequest.objects.count() == 3
    assert {"command": "purge_privacy_requests", "every": 3600} in settings.SCHEDULED_JOBS
    privacy_requests_purge_expired()
    assert PrivacyRequest.objects.get().kind == "copy"
    # The mail that carried each dead link goes with it; the new request's stays.
    [kept] = OutboundMail.objects.all()
    assert PrivacyRequest.objects.get().reference in kept.subject


def test_a_confirmed_request_is_not_purged(client):
    request_submit(client, "ana@example.com", "copy")
    request_confirm(client, "ana@example.com")
    PrivacyRequest.objects.update(verify_by=timezone.now() - timedelta(days=1))
    assert set(privacy_requests_purge_expired().values()) == {0}


def test_a_forged_link_is_refused(client):
    assert client.get("/privacy/requests/confirm/not-a-token/").status_code == 404
    assert client.get("/privacy/requests/copy/not-a-token/").status_code == 404


def test_the_purge_command_deletes_expired_unconfirmed_requests(client):
    from io import StringIO

    from django.core.management import call_command

    request_submit(client, "ana@example.com", "delete")
    request_submit(client, "bob@example.com", "delete")
    PrivacyRequest.objects.filter(email="ana@example.com").update(
        verify_by=timezone.now() - timedelta(minutes=1))

    out = StringIO()
    call_command("purge_privacy_requests", "--dry-run", stdout=out)
    assert out.getvalue() == (
        "Would erase expired unconfirmed privacy requests (communications.OutboundMail: 1, "
        "privacy.PrivacyRequestEvent: 1, privacy.PrivacyRequest: 1).\n")
    assert PrivacyRequest.objects.count() == 2
    assert OutboundMail.objects.count() == 2
    call_command("purge_privacy_requests", stdout=out)
    assert list(OutboundMail.objects.values_list("to", flat=True)) == ["bob@example.com"]
    assert list(PrivacyRequest.objects.values_list("email", flat=True)) == ["bob@example.com"]


@given(email=st.text(max_size=300), kind=st.text(max_size=30), wrong=st.text(max_size=3000))
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_input_makes_the_page_fail(client, email, kind, wrong):
    response = request_submit(client, email, kind, wrong=wrong)
    assert response.status_code in {302, 400}
    assert not response.cookies
