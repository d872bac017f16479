"""Every public form is drawn one way (templates/includes/form_fields.html) and answers
an invalid submission the same way: each error shown once next to its field and once
in the error summary (an error of no field: in the summary only), with status 400."""

import re
import time

import pytest
from django.conf import settings
from django.core import signing
from django.test import override_settings
from django.utils.html import escape

from communications.models import OutboundMail
from privacy.policy import current_version
from privacy.services.newsletter import newsletter_signup_start
from roochi_site.csrf import FORM_TOKEN_SALT
from roochi_site.forms import PublicFormMixin
from tests.privacy.newsletter.conftest import WORDING, confirm_path
from tests.privacy.requests.conftest import link_in, request_submit
from tests.quality.documents import hidden_fields, public_client
from tests.quality.targets import FORM_TARGETS, FormTarget

pytestmark = [pytest.mark.urls("tests.roochi_site.urls"), pytest.mark.django_db]

PUBLIC_FORMS = pytest.mark.parametrize("target", FORM_TARGETS, ids=lambda target: target.path)


def expired_token() -> str:
    """A genuine form token, issued longer ago than a token is valid."""
    issued = time.time() - settings.FORM_TOKEN_MAX_AGE - 60

    class IssuedThen(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(issued))

    return IssuedThen(salt=FORM_TOKEN_SALT).sign(f"{issued:.3f}-expired")


def sent(target: FormTarget, **changes):
    """The form as shown, filled in validly, with these changes, sent by a browser."""
    target.prepare()
    client = public_client()
    shown = client.get(target.path)
    with override_settings(**target.settings):
        return client.post(target.path, {**hidden_fields(shown.text), **target.valid, **changes})


def error_summary(html: str) -> str:
    start = html.index('id="error-summary"')
    return html[start:html.index("</div>", start)]


@PUBLIC_FORMS
def test_an_expired_form_says_so_once_in_the_error_summary(target):
    response = sent(target, form_token=expired_token())
    html = response.content.decode()
    message = escape(PublicFormMixin.stale_token_message)
    assert html.count(message) == 1, html
    assert error_summary(html).count(message) == 1


@PUBLIC_FORMS
def test_a_field_error_is_shown_once_next_to_its_field_and_once_in_the_summary(target):
    field = "email" if "email" in target.valid else "message"
    response = sent(target, **{field: "not an address" if field == "email" else ""})
    [error] = response.context["form"].errors[field]
    html = response.content.decode()
    assert html.count(escape(error)) == 2, html
    summary = error_summary(html)
    assert summary.count(escape(error)) == 1
    assert f'href="#id_{field}"' in summary
    next_to_field = re.search(
        rf'<div id="div_id_{field}".*?id="error_1_id_{field}"[^>]*><strong>(.*?)</strong>',
        html, flags=re.DOTALL)
    assert next_to_field, html
    assert next_to_field.group(1) == escape(error)


def test_every_public_form_answers_an_invalid_submission_with_400(browser_client):
    """The same honest answer everywhere: the request was not accepted as sent."""
    statuses = {}
    for target in FORM_TARGETS:
        target.prepare()
        client = public_client()
        shown = client.get(target.path)
        statuses[target.path] = client.post(target.path, hidden_fields(shown.text)).status_code
        statuses[f"{target.path} expired"] = sent(target, form_token=expired_token()).status_code
    # The comparison chooser of the policy archive, a GET form.
    statuses["/privacy/compare/"] = browser_client.get(
        "/privacy/compare/", {"old": "1", "new": "1"}).status_code
    # The confirmation button of a privacy request's link.
    request_submit(browser_client, "ana@example.com", "copy")
    confirm = link_in(OutboundMail.objects.get(purpose="privacy-request-verify").body)
    statuses[confirm] = browser_client.post(confirm, {"form_token": expired_token()}).status_code
    # The confirmation button of a newsletter sign-up's link.
    newsletter_signup_start(email="ana@example.com", source="newsletter-signup",
                            wording=WORDING, policy_version=current_version())
    confirm = confirm_path("ana@example.com")
    statuses[confirm] = browser_client.post(confirm, {"form_token": expired_token()}).status_code
    assert statuses == dict.fromkeys(statuses, 400)
    # Sent valid, each form still ends where it did: a redirect to its thank-you page
    # (the demo form of the tests answers in place).
    assert {target.path: sent(target).status_code for target in FORM_TARGETS} == {
        "/demo-form/": 200, "/information-request/": 302, "/support-request/": 302,
        "/privacy/requests/": 302, "/newsletter/": 302, "/surveys/quality-survey/": 302,
        "/request-status/": 302}
