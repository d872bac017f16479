"""P9: a published version never changes or disappears: not through the ORM, not by
raw SQL. Drafts stay free to edit. (The admin's refusals are in test_admin.py.)"""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from privacy.models import PolicySection, PolicyVersion, PublishedPolicyError
from tests.privacy.policy.factories import PolicySectionFactory, PolicyVersionFactory, published

pytestmark = pytest.mark.django_db


def raw(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def stored_text(version: PolicyVersion) -> list[tuple]:
    return list(
        PolicySection.objects.filter(version=version).values_list("position", "heading", "body")
    )


# --- The ORM ------------------------------------------------------------------------


def test_saving_a_published_version_is_refused_and_nothing_changes(version_1):
    version_1.title = "A rewritten policy"
    with pytest.raises(PublishedPolicyError, match="Version 1 is published"):
        version_1.save()
    assert PolicyVersion.objects.get(number=1).title == "Roochi Traders Inc. Privacy Policy"


def test_deleting_a_published_version_is_refused(version_1):
    with pytest.raises(PublishedPolicyError):
        version_1.delete()
    with pytest.raises(PublishedPolicyError):
        PolicyVersion.objects.filter(number=1).delete()
    assert PolicyVersion.objects.filter(number=1).exists()


def test_a_queryset_update_touching_a_published_version_is_refused(version_1):
    PolicyVersionFactory()
    with pytest.raises(PublishedPolicyError):
        PolicyVersion.objects.update(title="Everything rewritten")
    assert not PolicyVersion.objects.filter(title="Everything rewritten").exists()


def test_sections_of_a_published_version_cannot_change_be_added_or_deleted(version_1):
    before = stored_text(version_1)
    section = version_1.sections.get(heading="Cookies")
    section.body = "We use every cookie there is."
    with pytest.raises(PublishedPolicyError):
        section.save()
    with pytest.raises(PublishedPolicyError):
        section.delete()
    with pytest.raises(PublishedPolicyError):
        PolicySection.objects.filter(version=version_1).update(body="")
    with pytest.raises(PublishedPolicyError):
        PolicySection.objects.filter(version=version_1).delete()
    with pytest.raises(PublishedPolicyError):
        PolicySection.objects.create(version=version_1, position=99, heading="New", body="x")
    assert stored_text(version_1) == before


def test_a_section_cannot_be_moved_out_of_a_published_version(version_1):
    draft = PolicyVersionFactory()
    section = version_1.sections.first()
    section.version = draft
    with pytest.raises(PublishedPolicyError):
        section.save()
    assert version_1.sections.count() == 23


def test_a_draft_and_its_sections_can_be_edited_and_deleted():
    section = PolicySectionFactory(body="First words")
    draft = section.version
    draft.title = "Better title"
    draft.save()
    section.body = "Better words"
    section.save()
    PolicySectionFactory(version=draft)
    assert PolicyVersion.objects.get(pk=draft.pk).title == "Better title"
    assert draft.sections.count() == 2
    draft.delete()
    assert not PolicySection.objects.filter(pk=section.pk).exists()


def test_a_stale_draft_instance_cannot_overwrite_the_published_row():
    section = PolicySectionFactory()
    stale = PolicyVersion.objects.get(pk=section.version_id)
    published(section.version, effective_at=timezone.now())
    stale.title = "Written over"
    with pytest.raises(PublishedPolicyError):
        stale.save()


# --- Raw SQL: the database itself refuses (migration 0003) --------------------------


def test_raw_sql_cannot_update_a_published_version(version_1):
    with pytest.raises(IntegrityError, match="published and cannot be changed"):
        raw("UPDATE privacy_policyversion SET title = 'Rewritten' WHERE number = 1")
    with pytest.raises(IntegrityError):
        raw("UPDATE privacy_policyversion SET published_at = NULL WHERE number = 1")
    assert PolicyVersion.objects.get(number=1).is_published


def test_raw_sql_cannot_delete_a_published_version(version_1):
    with pytest.raises(IntegrityError):
        raw("DELETE FROM privacy_policysection WHERE version_id = %s", [version_1.pk])
    with pytest.raises(IntegrityError):
        raw("DELETE FROM privacy_policyversion WHERE number = 1")
    assert version_1.sections.count() == 23


def test_raw_sql_cannot_change_or_add_sections_of_a_published_version(version_1):
    before = stored_text(version_1)
    with pytest.raises(IntegrityError, match="published"):
        raw("UPDATE privacy_policysection SET body = 'x' WHERE version_id = %s", [version_1.pk])
    with pytest.raises(IntegrityError, match="published"):
        raw(
            "INSERT INTO privacy_policysection (version_id, position, heading, body) "
            "VALUES (%s, 99, 'Added later', 'x')",
            [version_1.pk],
        )
    draft_section = PolicySectionFactory()
    with pytest.raises(IntegrityError):
        raw(
            "UPDATE privacy_policysection SET version_id = %s WHERE id = %s",
            [version_1.pk, draft_section.pk],
        )
    assert stored_text(version_1) == before


def test_raw_sql_may_edit_and_publish_a_draft_once():
    section = PolicySectionFactory()
    draft = section.version
    raw("UPDATE privacy_policysection SET body = 'Edited' WHERE id = %s", [section.pk])
    raw(
        "UPDATE privacy_policyversion SET effective_at = now(), published_at = now() "
        "WHERE id = %s",
        [draft.pk],
    )
    draft.refresh_from_db()
    assert draft.is_published
    with pytest.raises(IntegrityError):
        raw("UPDATE privacy_policyversion SET effective_at = now() WHERE id = %s", [draft.pk])


def test_the_database_publishes_only_in_number_and_date_order(version_1):
    scheduled_for = timezone.now() + timedelta(days=7)
    published(PolicySectionFactory(version__number=5).version, effective_at=scheduled_for)
    publish = (
        "UPDATE privacy_policyversion SET effective_at = %s, published_at = now() WHERE id = %s"
    )
    effective_too_soon = PolicySectionFactory(version__number=6).version
    with pytest.raises(IntegrityError, match="must come after every published version"):
        raw(publish, [timezone.now(), effective_too_soon.pk])
    number_too_low = PolicySectionFactory(version__number=4).version
    with pytest.raises(IntegrityError, match="must come after every published version"):
        raw(publish, [scheduled_for + timedelta(days=1), number_too_low.pk])
    raw(publish, [scheduled_for, effective_too_soon.pk])
    assert PolicyVersion.objects.get(number=6).is_published


def test_the_database_refuses_a_publication_without_a_change_summary():
    draft = PolicySectionFactory(version__change_summary="").version
    with pytest.raises(IntegrityError, match="published_policy_has_change_summary"):
        raw(
            "UPDATE privacy_policyversion SET effective_at = now(), published_at = now() "
            "WHERE id = %s",
            [draft.pk],
        )


def test_the_database_refuses_a_version_effective_before_its_publication():
    draft = PolicySectionFactory().version
    with pytest.raises(IntegrityError, match="published_policy_effective_after_publication"):
        raw(
            "UPDATE privacy_policyversion SET effective_at = now() - interval '1 day', "
            "published_at = now() WHERE id = %s",
            [draft.pk],
        )
