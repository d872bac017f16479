"""P3, P9: every real form stores the policy version in force when it was shown, with
several published versions, a scheduled one and a draft in the database: not the
newest number, not the first row, not the draft."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from inquiries.models import Inquiry
from privacy.models import NewsletterSubscription, PolicyVersion, PrivacyRequest
from privacy.policy import policy_cache_clear
from surveys.models import Entry
from tests.privacy.policy.factories import draft_from, published
from tests.quality.documents import hidden_fields, public_client
from tests.quality.targets import FORM_TARGETS

pytestmark = pytest.mark.django_db

STORED_BY = {
    "/information-request/": Inquiry,
    "/support-request/": Inquiry,
    "/privacy/requests/": PrivacyRequest,
    "/newsletter/": NewsletterSubscription,
    "/surveys/quality-survey/": Entry,
}


# Forms that store no submission of their own: the status page's only mails a link.
STORES_NO_SUBMISSION = {"/demo-form/", "/request-status/"}


def test_every_real_form_is_covered_here():
    assert {target.path for target in FORM_TARGETS} - STORES_NO_SUBMISSION == set(STORED_BY)


@pytest.mark.parametrize("target", [t for t in FORM_TARGETS if t.path in STORED_BY],
                         ids=lambda target: target.path)
def test_the_stored_version_is_the_one_in_force_when_the_form_was_shown(target):
    first = PolicyVersion.objects.get(number=1)
    now = timezone.now()
    in_force = published(draft_from(first), effective_at=now - timedelta(days=1))
    published(draft_from(in_force), effective_at=now + timedelta(days=7))
    draft_from(in_force)  # a draft, numbered after all of them
    policy_cache_clear()

    target.prepare()
    client = public_client()
    shown = client.get(target.path)
    assert f'name="policy_version_shown" value="{in_force.number}"' in shown.text
    with override_settings(**target.settings):
        response = client.post(target.path, {**hidden_fields(shown.text), **target.valid})
    assert response.status_code == 302
    stored = STORED_BY[target.path].objects.get()
    assert stored.policy_version == in_force
