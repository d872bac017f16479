"""Publishing a draft: now or later, recorded, and refused when it would mislead (P9)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from privacy.models import PolicyVersion
from privacy.policy import current_version
from privacy.services.policy_versions import policy_version_publish
from tests.privacy.policy.factories import PolicySectionFactory, PolicyVersionFactory, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", is_staff=True)


def refusal(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def test_publishing_now_records_who_and_when_and_takes_effect_at_once(
    draft_2, staff, django_capture_on_commit_callbacks
):
    assert current_version().number == 1
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        version = policy_version_publish(
            version=draft_2, effective_at=timezone.now(), published_by=staff
        )
    assert version.published_by == staff
    assert before <= version.published_at <= version.effective_at <= timezone.now()
    assert current_version().number == 2


def test_publishing_for_later_leaves_the_current_version_in_force(draft_2, staff):
    monday = timezone.now() + timedelta(days=5)
    version = policy_version_publish(version=draft_2, effective_at=monday, published_by=staff)
    assert version.effective_at == monday
    assert current_version(refresh=True).number == 1
    assert current_version(at=monday, refresh=True).number == 2


def test_publishing_without_a_change_summary_is_refused(draft_2, staff):
    draft_2.change_summary = "  "
    draft_2.save()
    with pytest.raises(ValidationError) as refused:
        policy_version_publish(version=draft_2, effective_at=timezone.now(), published_by=staff)
    assert refusal(refused.value) == {"change_summary": ["no_change_summary"]}
    assert not PolicyVersion.objects.get(pk=draft_2.pk).is_published


def test_publishing_with_an_effective_date_in_the_past_is_refused(draft_2, staff):
    with pytest.raises(ValidationError) as refused:
        policy_version_publish(
            version=draft_2, effective_at=timezone.now() - timedelta(hours=2), published_by=staff
        )
    assert refusal(refused.value) == {"effective_at": ["effective_in_past"]}
    assert "in the past" in refused.value.message_dict["effective_at"][0]
    assert not PolicyVersion.objects.get(pk=draft_2.pk).is_published


def test_publishing_a_published_version_again_is_refused(version_1, staff):
    with pytest.raises(ValidationError, match="Version 1 is published"):
        policy_version_publish(
            version=version_1, effective_at=timezone.now(), published_by=staff
        )
    assert PolicyVersion.objects.get(number=1).published_by is None


def test_publishing_an_empty_draft_is_refused(staff):
    with pytest.raises(ValidationError) as refused:
        policy_version_publish(
            version=PolicyVersionFactory(), effective_at=timezone.now(), published_by=staff
        )
    assert refusal(refused.value) == {"__all__": ["no_sections"]}


def test_a_version_must_come_after_the_published_ones(staff):
    scheduled_for = timezone.now() + timedelta(days=10)
    published(PolicySectionFactory(version__number=3).version, effective_at=scheduled_for)
    lower = PolicySectionFactory(version__number=2).version
    with pytest.raises(ValidationError) as refused:
        policy_version_publish(version=lower, effective_at=timezone.now(), published_by=staff)
    assert refusal(refused.value) == {
        "number": ["number_not_newest"],
        "effective_at": ["effective_before_latest"],
    }


def test_a_scheduled_version_is_replaced_by_a_newer_one_with_the_same_date(staff):
    monday = timezone.now() + timedelta(days=3)
    mistaken = PolicySectionFactory(version__number=2).version
    policy_version_publish(version=mistaken, effective_at=monday, published_by=staff)
    fixed = PolicySectionFactory(version__number=3).version
    policy_version_publish(version=fixed, effective_at=monday, published_by=staff)
    assert current_version(at=monday, refresh=True).number == 3
