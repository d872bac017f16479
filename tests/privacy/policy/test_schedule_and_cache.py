"""The version in force: a scheduled version takes over by itself, and the lookup is
made once and kept only as long as it is true (P9, performance)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from privacy.policy import current_version, policy_in_force
from privacy.services.policy_versions import policy_version_publish
from tests.privacy.policy.factories import PolicySectionFactory, published

pytestmark = pytest.mark.django_db


def test_a_scheduled_version_takes_over_at_its_effective_date(draft_2, django_user_model):
    now = timezone.now()
    monday = now + timedelta(days=4)
    policy_version_publish(
        version=draft_2, effective_at=monday, published_by=django_user_model.objects.create()
    )
    assert current_version(at=now).number == 1
    assert current_version(at=monday - timedelta(seconds=1)).number == 1
    assert current_version(at=monday).number == 2
    assert current_version(at=monday + timedelta(days=30)).number == 2


def test_the_version_in_force_is_looked_up_once_while_it_holds(django_assert_num_queries):
    now = timezone.now()
    with django_assert_num_queries(2):  # the published versions, the current's sections
        assert current_version(at=now).number == 1
    with django_assert_num_queries(0):
        just_before = now + timedelta(seconds=settings.POLICY_CACHE_SECONDS - 1)
        assert current_version(at=just_before).number == 1
        assert list(current_version(at=now).sections.all())


def test_the_cached_version_gives_way_at_the_next_scheduled_date(
    draft_2, django_assert_num_queries
):
    now = timezone.now()
    published(draft_2, effective_at=now + timedelta(seconds=10))
    assert current_version(at=now).number == 1
    with django_assert_num_queries(0):
        assert current_version(at=now + timedelta(seconds=9)).number == 1
    with django_assert_num_queries(2):
        assert current_version(at=now + timedelta(seconds=10)).number == 2


def test_a_publication_in_another_process_is_seen_within_the_cache_bound(version_2_since):
    """Another process (the admin's) publishes: nothing clears this process's cache,
    which is therefore kept at most POLICY_CACHE_SECONDS."""
    now = timezone.now()
    assert current_version(at=now).number == 1
    version_2_since(0)
    assert current_version(at=now + timedelta(seconds=1)).number == 1
    assert current_version(at=now + timedelta(seconds=settings.POLICY_CACHE_SECONDS)).number == 2


def test_a_publication_in_this_process_is_seen_at_once(
    draft_2, django_user_model, django_capture_on_commit_callbacks
):
    assert current_version().number == 1
    with django_capture_on_commit_callbacks(execute=True):
        policy_version_publish(
            version=draft_2,
            effective_at=timezone.now(),
            published_by=django_user_model.objects.create(),
        )
    assert current_version().number == 2


def test_a_replacement_scheduled_for_the_same_date_is_the_one_announced_and_taken(version_1):
    now = timezone.now()
    monday = now + timedelta(days=4)
    published(PolicySectionFactory(version__number=2).version, effective_at=monday)
    published(PolicySectionFactory(version__number=3).version, effective_at=monday)
    published(PolicySectionFactory(version__number=4).version, effective_at=monday + timedelta(1))
    before = policy_in_force(at=now)
    assert (before.current.number, before.upcoming.number) == (1, 3)
    on_monday = policy_in_force(at=monday)
    assert (on_monday.current.number, on_monday.previous.number) == (3, 1)
    assert on_monday.upcoming.number == 4
