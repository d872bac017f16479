import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from communications.models import OutboundMail
from privacy.models import PrivacyRequest
from roochi_site.csrf import form_token_new
from tests.inquiries.conftest import shown_seconds_ago
from tests.staff import staff_sign_in

LINK = re.compile(r"http://\S+/privacy/requests/\S+/")


def request_submit(client: Client, email: str, kind: str, *, headers=None, **extra) -> object:
    """Send the public form as a browser does (its fields in ``extra``)."""
    from privacy.policy import current_version

    return client.post(
        "/privacy/requests/",
        {"email": email, "kind": kind, "form_token": shown_seconds_ago(30, "PrivacyRequestForm"),
         "policy_version_shown": current_version().number, "wrong": "", "should_be": "", **extra},
        headers={"Sec-Fetch-Site": "same-origin", **(headers or {})},
    )


def link_in(body: str) -> str:
    return LINK.search(body).group(0).removeprefix("http://127.0.0.1:8000")


def request_confirm(client: Client, email: str) -> PrivacyRequest:
    """Open the link of the newest confirmation mail to this address and confirm."""
    mail = OutboundMail.objects.filter(to=email, purpose="privacy-request-verify").first()
    path = link_in(mail.body)
    response = client.post(path, {"form_token": form_token_new("ConfirmForm")},
                           headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 200, response.content.decode()
    return PrivacyRequest.objects.get(reference=re.search(r"PR-\w+", mail.body).group(0))


@pytest.fixture
def staff(db):
    user = get_user_model().objects.create_superuser("privacy-officer", "po@roochi.com",
                                                     "a-long-staff-password")
    client = Client()
    staff_sign_in(client, user)
    client.user = user
    return client
