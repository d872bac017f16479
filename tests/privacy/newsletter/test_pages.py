"""The newsletter's public pages (P1, P3, P6): the sign-up page and the inquiry forms'
choice start the double opt-in, a real mail carries the link, only the button behind
it subscribes; the same answer for every address."""

import re

import pytest
from django.test import Client

from inquiries.forms import InformationRequestForm
from privacy.models import NewsletterSubscription, Person
from privacy.newsletter_forms import NewsletterSignupForm
from privacy.policy import current_version
from privacy.services.newsletter import newsletter_subscribers
from roochi_site.models import SubmissionCount
from tests.conftest import text_of
from tests.inquiries.conftest import shown_seconds_ago, valid_post
from tests.privacy.newsletter.conftest import (
    CONFIRM_LINK,
    confirm_path,
    confirm_press,
    confirmation_mails,
    subscribe,
)

ANA = "ana@example.com"
Status = NewsletterSubscription.Status


def signup_post(client: Client, email: str, **extra):
    return client.post("/newsletter/", {
        "email": email, "form_token": shown_seconds_ago(30, "NewsletterSignupForm"),
        "policy_version_shown": current_version().number, "website": "", **extra,
    }, headers={"Sec-Fetch-Site": "same-origin"})


@pytest.mark.django_db
def test_the_sign_up_page_shows_the_notice_the_words_and_no_cookie(client):
    response = client.get("/newsletter/")
    assert response.status_code == 200
    assert response.cookies == {}
    html = response.text
    assert "How we use what you send" in html
    assert f'href="{current_version().get_absolute_url()}"' in html
    assert NewsletterSignupForm().wording in html
    assert 'name="email"' in html
    assert 'href="/newsletter/"' in client.get("/").text  # the footer links to it


@pytest.mark.usefixtures("committed_db")
def test_double_opt_in_from_the_page_through_a_real_mail(smtp_server, run_tasks):
    visitor = Client()
    response = signup_post(visitor, " Ana@Example.com")
    assert response.status_code == 302
    assert response["Location"] == "/newsletter/sent/"
    assert "Check your email" in visitor.get(response["Location"]).text
    run_tasks()

    [message] = smtp_server.messages
    assert message["To"] == ANA
    path = CONFIRM_LINK.search(text_of(message)).group(1)
    assert NewsletterSignupForm().wording in text_of(message)

    shown = visitor.get(path)  # what a mail scanner does
    assert shown.status_code == 200
    assert shown.cookies == {}
    assert "Yes, send me the newsletter" in shown.text
    assert list(newsletter_subscribers()) == []

    confirmed = confirm_press(visitor, path)
    assert confirmed.status_code == 200
    assert confirmed.cookies == {}
    assert "Subscription confirmed" in confirmed.text
    assert list(newsletter_subscribers()) == [ANA]
    subscription = NewsletterSubscription.objects.get()
    assert subscription.source == "newsletter-signup"
    assert subscription.wording == NewsletterSignupForm().wording
    assert subscription.policy_version == current_version()


@pytest.mark.django_db
def test_the_answer_is_the_same_for_a_stranger_a_subscriber_and_a_repeat(client):
    subscribe("bob@example.com")
    Person.objects.create(email="carla@example.com")
    answers = [signup_post(client, email) for email in
               ["new@example.com", "bob@example.com", "carla@example.com", "new@example.com"]]
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, "/newsletter/sent/")}
    assert len(confirmation_mails("new@example.com")) == 1


@pytest.mark.django_db
def test_bad_input_is_a_clear_message_and_stores_nothing(client):
    cases = {
        "Enter an email address like name@example.com.": {"email": "ana@"},
        "We could not accept this form.": {"website": "https://spam.example"},
        "Our privacy policy changed while you were filling in": {"policy_version_shown": "999"},
        "This form was open for too long": {"form_token": "forged"},
    }
    for message, changes in cases.items():
        response = signup_post(client, changes.pop("email", ANA), **changes)
        assert response.status_code == 400
        assert response.cookies == {}
        assert message in response.text
    assert not NewsletterSubscription.objects.exists()


@pytest.mark.django_db
def test_the_sign_up_page_has_the_per_client_limit(client, settings):
    settings.NEWSLETTER_SIGNUP_LIMIT_PER_HOUR = 2
    for number in range(2):
        assert signup_post(client, f"person{number}@example.com").status_code == 302
    refused = signup_post(client, "person9@example.com")
    assert refused.status_code == 400
    assert "several requests from your connection" in refused.text
    assert not NewsletterSubscription.objects.filter(email="person9@example.com").exists()
    assert SubmissionCount.objects.filter(scope="newsletter").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("form", "path", "source"), [
    ("information", "/information-request/", "information-request"),
    ("support", "/support-request/", "support-request"),
])
def test_the_inquiry_forms_choice_starts_the_same_double_opt_in(browser_client, form, path,
                                                                 source):
    assert browser_client.post(path, valid_post(form, newsletter="on")).status_code == 302
    subscription = NewsletterSubscription.objects.get()
    assert subscription.email == "ana.perez@example.com"
    assert (subscription.status, subscription.source) == (Status.PENDING, source)
    assert subscription.wording == InformationRequestForm().fields["newsletter"].label
    assert subscription.wording == "Send me the Roochi Traders newsletter (optional)."
    assert subscription.policy_version == current_version()
    assert list(newsletter_subscribers()) == []
    assert confirm_press(Client(), confirm_path("ana.perez@example.com")).status_code == 200
    assert list(newsletter_subscribers()) == ["ana.perez@example.com"]


@pytest.mark.django_db
def test_an_inquiry_without_the_choice_signs_nobody_up(browser_client):
    assert browser_client.post("/information-request/", valid_post()).status_code == 302
    assert not NewsletterSubscription.objects.exists()


@pytest.mark.django_db
def test_an_unknown_or_used_confirmation_link_is_a_clear_404(client):
    response = client.get("/newsletter/confirm/not-a-token/")
    assert response.status_code == 404
    assert "This link does not work" in response.text
    assert re.search(r"unsubscribe", response.text)
