import re

from django.test import Client
from django.utils import timezone

from communications.models import OutboundMail
from privacy.models import PrivacyRequest
from privacy.models.people import email_hash
from privacy.services.copies import copy_token_new
from roochi_site.csrf import form_token_new
from tests.inquiries.conftest import shown_seconds_ago

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


def copy_link_path(email: str, *, reference: str = "PR-COPY01") -> str:
    """The path of a copy link, as staff's "send a copy" mails it, for a completed copy
    request of this address."""
    from privacy.policy import current_version

    request = PrivacyRequest.objects.create(
        reference=reference, kind="copy", email=email, email_hash=email_hash(email),
        status="completed", verify_by=timezone.now(), verified_at=timezone.now(),
        due_at=timezone.now(), policy_version=current_version(), purpose="privacy-request")
    return f"/privacy/requests/copy/{copy_token_new(request)}/"


def request_confirm(client: Client, email: str) -> PrivacyRequest:
    """Open the link of the newest confirmation mail to this address and confirm."""
    mail = OutboundMail.objects.filter(to=email, purpose="privacy-request-verify").first()
    path = link_in(mail.body)
    response = client.post(path, {"form_token": form_token_new("ConfirmForm")},
                           headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 200, response.content.decode()
    return PrivacyRequest.objects.get(reference=re.search(r"PR-\w+", mail.body).group(0))
