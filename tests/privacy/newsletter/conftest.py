"""Helpers for the newsletter tests: sign up and confirm as the person would."""

import re

from django.test import Client

from communications.models import OutboundMail
from privacy.models import NewsletterSource
from privacy.policy import current_version
from privacy.services.newsletter import newsletter_signup_start
from roochi_site.csrf import form_token_new
from roochi_site.email_address import email_canonical

CONFIRM_LINK = re.compile(r"http://127\.0\.0\.1:8000(/newsletter/confirm/\S+/)")
WORDING = "Send me the Roochi Traders newsletter."


def confirmation_mails(email: str) -> list[OutboundMail]:
    return list(OutboundMail.objects.filter(to=email_canonical(email),
                                            purpose="newsletter-confirm"))


def confirm_path(email: str) -> str:
    """The link of the newest confirmation mail to this address."""
    return CONFIRM_LINK.search(confirmation_mails(email)[0].body).group(1)


def confirm_press(client: Client, path: str):
    """Press the confirmation page's button, as a browser sends it."""
    return client.post(path, {"form_token": form_token_new("ConfirmForm")},
                       headers={"Sec-Fetch-Site": "same-origin"})


def subscribe(email: str, client: Client | None = None) -> None:
    """Sign up and confirm, the whole double opt-in."""
    newsletter_signup_start(email=email, source=NewsletterSource.NEWSLETTER_SIGNUP,
                            wording=WORDING, policy_version=current_version())
    response = confirm_press(client or Client(), confirm_path(email))
    assert response.status_code == 200, response.text
