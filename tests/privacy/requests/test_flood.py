"""Nobody can be mailed without limit (P6, P8): the privacy-request form has the spam
rules of every public form, and an address gets at most one confirmation link in a
window, whoever asks and however often."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from communications.models import OutboundMail
from privacy import registry
from privacy.models import Person, PrivacyRequest
from roochi_site.csrf import form_token_new
from roochi_site.models import SubmissionCount
from tests.privacy.requests.conftest import request_confirm, request_submit

pytestmark = pytest.mark.django_db

ANA = "ana@example.com"


@pytest.fixture
def unlimited_clients(settings):
    settings.PRIVACY_REQUEST_LIMIT_PER_HOUR = 1000


def confirmations(to: str = ANA) -> list[OutboundMail]:
    return list(OutboundMail.objects.filter(to=to, purpose="privacy-request-verify"))


@pytest.mark.usefixtures("unlimited_clients")
def test_a_flood_of_requests_for_one_address_sends_one_mail(client):
    answers = {request_submit(client, spelling, kind)["Location"]
               for spelling in [ANA, "ANA@example.com", '"ana"@example.com']
               for kind in ["copy", "delete", "stop_all"] * 5}
    assert answers == {"/privacy/requests/sent/"}
    assert len(confirmations()) == 1
    assert PrivacyRequest.objects.count() == 1


@pytest.mark.usefixtures("unlimited_clients")
def test_a_new_link_goes_once_the_window_is_over_or_the_earlier_link_was_used(client, settings):
    settings.PRIVACY_REQUEST_CONFIRMATION_WINDOW_HOURS = 24
    request_submit(client, ANA, "copy")
    PrivacyRequest.objects.update(collected_at=timezone.now() - timedelta(hours=23))
    request_submit(client, ANA, "copy")
    assert len(confirmations()) == 1
    PrivacyRequest.objects.update(collected_at=timezone.now() - timedelta(hours=25))
    request_submit(client, ANA, "delete")
    assert len(confirmations()) == 2

    request_confirm(client, ANA)  # the newest link is used: a new one may go at once
    request_submit(client, ANA, "stop_newsletter")
    assert len(confirmations()) == 3


def test_the_form_refuses_a_client_past_its_hourly_limit_and_counts_no_address(
        client, settings):
    settings.PRIVACY_REQUEST_LIMIT_PER_HOUR = 3
    for number in range(3):
        request_submit(client, f"person{number}@example.com", "copy")
    refused = request_submit(client, "person9@example.com", "copy")
    assert refused.status_code == 400
    assert "several requests from your connection" in refused.text
    assert not PrivacyRequest.objects.filter(email="person9@example.com").exists()
    [count] = SubmissionCount.objects.filter(scope="privacy-requests")
    assert "127.0.0.1" not in count.client_key
    # Another visitor is not held up.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert request_submit(other, "person9@example.com", "copy").status_code == 302


def test_behind_a_trusted_proxy_the_limit_counts_visitors_not_the_proxy(settings):
    settings.PRIVACY_REQUEST_LIMIT_PER_HOUR = 1
    settings.TRUSTED_PROXIES = frozenset({"10.0.0.2"})
    via_proxy = Client(REMOTE_ADDR="10.0.0.2")

    def from_visitor(address: str, email: str):
        # A visitor's own X-Forwarded-For stands left of what our proxy appended.
        return request_submit(via_proxy, email, "copy",
                              headers={"X-Forwarded-For": f"203.0.113.99, {address}"})

    assert from_visitor("192.0.2.1", "a@example.com").status_code == 302
    assert from_visitor("192.0.2.2", "b@example.com").status_code == 302
    assert from_visitor("192.0.2.1", "c@example.com").status_code == 400
    # An untrusted client naming someone else is counted as itself.
    direct = Client(REMOTE_ADDR="192.0.2.50")
    assert request_submit(direct, "d@example.com", "copy",
                          headers={"X-Forwarded-For": "192.0.2.77"}).status_code == 302
    assert request_submit(direct, "e@example.com", "copy",
                          headers={"X-Forwarded-For": "192.0.2.78"}).status_code == 400


@pytest.mark.parametrize(("rule", "post", "message"), [
    ("honeypot", {"website": "https://spam.example"}, "Leave this field empty"),
    ("too fast", {"form_token": "FRESH"}, "quicker than we expected"),
])
def test_the_spam_rules_of_the_inquiry_forms_hold_here(client, settings, rule, post, message):
    settings.FORM_MIN_FILL_SECONDS = 3
    if post.get("form_token") == "FRESH":
        post = {**post, "form_token": form_token_new("PrivacyRequestForm")}
    response = request_submit(client, ANA, "copy", **post)
    assert response.status_code == 400
    assert message in response.text
    assert not PrivacyRequest.objects.exists()
    assert not OutboundMail.objects.exists()


def test_the_confirmation_mail_is_the_same_for_a_known_and_an_unknown_address(client):
    Person.objects.create(email="known@example.com")
    request_submit(client, "known@example.com", "copy")
    request_submit(client, "stranger@example.com", "copy")
    known, stranger = (OutboundMail.objects.get(to=to) for to in
                       ["known@example.com", "stranger@example.com"])

    def general(mail: OutboundMail) -> tuple[str, str]:
        def blank(text):
            text = text.replace(mail.to, "ADDRESS")
            text = re.sub(r"PR-\w+", "REFERENCE", text)
            return re.sub(r"/confirm/[^/]+/", "/confirm/TOKEN/", text)
        return blank(mail.subject), blank(mail.body)

    assert general(known) == general(stranger)


def test_a_request_for_an_erased_address_never_brings_the_address_back_to_the_person(client):
    Person.objects.create(email=ANA)
    registry.erase_person(ANA)
    request_submit(client, ANA, "copy")
    [person] = Person.objects.all()
    assert person.email is None
    assert person.status == Person.Status.ERASED
    # The unconfirmed request holds the address only until its link expires and the
    # hourly purge runs.
    PrivacyRequest.objects.update(verify_by=timezone.now() - timedelta(seconds=1))
    call_command("purge_privacy_requests", stdout=StringIO())
    assert not PrivacyRequest.objects.filter(email=ANA).exists()
    assert not OutboundMail.objects.filter(to=ANA).exists()
