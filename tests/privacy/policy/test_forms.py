"""P3, P9: a form records the version its notice showed. When a new version takes
effect while the form is open, the form is shown again with the new notice, the
reason and the input kept, and is then accepted under the new version."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.forms import PolicyNoticeMixin
from privacy.policy import current_version
from privacy.services.policy_versions import policy_version_publish

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.privacy.policy.urls")]

TYPED = {"email": "ana@example.com", "message": "Please call me about a shipment to Lagos."}


def hidden_fields(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def test_the_form_shows_the_collection_notice_for_the_version_in_force(browser_client):
    html = browser_client.get("/callback/").text
    assert "in force since <time datetime=\"2026-01-01T00:00:00-08:00\">1 January 2026" in html
    assert "How we use what you send" in html
    assert "<dt>What we collect</dt><dd>Your email address and your message</dd>" in html
    assert '<a href="/privacy/versions/1/">privacy policy, version 1</a>' in html
    assert hidden_fields(html)["policy_version_shown"] == "1"


def test_a_form_sent_under_the_version_it_showed_is_accepted(browser_client):
    fields = hidden_fields(browser_client.get("/callback/").text)
    response = browser_client.post("/callback/", {**fields, **TYPED})
    assert response.status_code == 200
    assert response.text == "Recorded under version 1: ana@example.com"


def test_a_version_taking_effect_mid_form_is_explained_and_the_input_kept(
    browser_client, draft_2, django_user_model, django_capture_on_commit_callbacks
):
    fields = hidden_fields(browser_client.get("/callback/").text)
    assert fields["policy_version_shown"] == "1"
    with django_capture_on_commit_callbacks(execute=True):
        policy_version_publish(
            version=draft_2,
            effective_at=timezone.now(),
            published_by=django_user_model.objects.create(username="editor"),
        )

    refused = browser_client.post("/callback/", {**fields, **TYPED})
    assert refused.status_code == 400
    html = refused.text
    assert PolicyNoticeMixin.policy_changed_message in html
    assert 'value="ana@example.com"' in html
    assert "Please call me about a shipment to Lagos.</textarea>" in html
    assert '<a href="/privacy/versions/2/">privacy policy, version 2</a>' in html
    assert '<a href="/privacy/compare/1/2/">See what changed' in html

    accepted = browser_client.post("/callback/", {**hidden_fields(html), **TYPED})
    assert accepted.status_code == 200
    assert accepted.text == "Recorded under version 2: ana@example.com"


def test_a_form_shown_by_a_process_that_knew_the_new_version_is_accepted(
    browser_client, version_2_since
):
    """This process still has version 1 cached when a form shown elsewhere under
    version 2 arrives: it asks the database instead of refusing."""
    assert current_version().number == 1
    fields = hidden_fields(browser_client.get("/callback/").text)
    version_2_since(0)
    response = browser_client.post("/callback/", {**fields, **TYPED, "policy_version_shown": "2"})
    assert response.text == "Recorded under version 2: ana@example.com"


@pytest.mark.parametrize("shown", ["", "0", "3", "abc", "99999999999999999999999"])
def test_a_form_naming_no_or_another_version_is_shown_again_not_accepted(
    browser_client, shown
):
    fields = hidden_fields(browser_client.get("/callback/").text)
    response = browser_client.post("/callback/", {**fields, **TYPED, "policy_version_shown": shown})
    assert response.status_code == 400
    assert PolicyNoticeMixin.policy_changed_message in response.text or "whole number" in (
        response.text
    )
    assert hidden_fields(response.text)["policy_version_shown"] == "1"


def test_a_version_scheduled_later_does_not_disturb_an_open_form(
    browser_client, draft_2, django_user_model, django_capture_on_commit_callbacks
):
    fields = hidden_fields(browser_client.get("/callback/").text)
    with django_capture_on_commit_callbacks(execute=True):
        policy_version_publish(
            version=draft_2,
            effective_at=timezone.now() + timedelta(days=7),
            published_by=django_user_model.objects.create(username="editor"),
        )
    response = browser_client.post("/callback/", {**fields, **TYPED})
    assert response.text == "Recorded under version 1: ana@example.com"
