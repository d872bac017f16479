"""Issue 17: the initial content drafts version 2, which corrects what is plainly wrong
in version 1, each change explained to staff; publishing it stays staff's decision."""

import importlib

import pytest
from django.urls import reverse

from privacy.comparison import SectionStatus, policy_versions_compare
from privacy.models import PolicyVersion
from privacy.policy import current_version

pytestmark = [pytest.mark.django_db, pytest.mark.policy_draft_kept]

CORRECTED_SECTIONS = [
    "Cookies",
    "Clear Gifs (Web Beacons/Web Bugs)",
    "Service Announcements",
    "Surveys & Contests",
    "Correcting/Updating/Deleting/Deactivating Personal Information",
    "Contact Information",
]
MIGRATION = importlib.import_module(
    "privacy.migrations.0013_policy_staff_notes_and_version_2_draft")


@pytest.fixture
def draft() -> PolicyVersion:
    return PolicyVersion.objects.get(number=2)


def test_version_2_is_an_unpublished_draft_and_version_1_stays_in_force(draft):
    assert not draft.is_published
    assert current_version().number == 1


def test_version_1_stays_verbatim():
    version_1 = importlib.import_module("privacy.migrations.0002_policy_version_1")
    _, sections = version_1.split_sections(version_1.SOURCE.read_text(encoding="utf-8"))
    stored = PolicyVersion.objects.get(number=1).sections.all()
    assert [(s.heading, s.body) for s in stored] == sections


def test_the_comparison_shows_exactly_the_corrected_sections(draft):
    comparison = policy_versions_compare(old=PolicyVersion.objects.get(number=1), new=draft)
    assert [section.title for section in comparison.changed_sections] == CORRECTED_SECTIONS
    assert {section.status for section in comparison.changed_sections} == {
        SectionStatus.CHANGED}


def test_what_was_plainly_wrong_is_gone(draft):
    text = "\n".join(f"{s.heading}\n{s.body}" for s in draft.sections.all())
    for wrong in ["[or our third party advertising company employs]", "Surveys [& Contests]",
                  "[or advertising company]", "[Usage of a cookie", "eservicesforyou.com",
                  "have to such partnerships", "users/clients/clients", "companyX.com”"]:
        assert wrong not in text, wrong
    contact = draft.sections.get(heading="Contact Information").body
    assert "(323) 722-5592 ext. 118" in contact
    assert "[contact page](/contact/)" in contact


def test_each_change_is_explained_to_staff_on_the_admin_page(admin_client, draft):
    assert len(draft.staff_notes.splitlines()) == 2 + len(MIGRATION.CORRECTIONS)
    html = admin_client.get(reverse("admin:privacy_policyversion_change", args=[draft.pk])).text
    assert "Notes for staff" in html
    assert "another company&#x27;s (eservicesforyou.com)" in html


def test_the_staff_preview_of_the_comparison_lists_the_corrected_sections(admin_client, draft):
    html = admin_client.get(
        reverse("admin:privacy_policyversion_preview_compare", args=[draft.pk])).text
    for heading in CORRECTED_SECTIONS:
        assert heading.replace("&", "&amp;") in html


def test_the_draft_and_its_notes_stay_out_of_public_pages(client, draft):
    assert client.get("/privacy/versions/2/").status_code == 404
    for path in ["/privacy/", "/privacy/versions/"]:
        assert "eservicesforyou.com)" not in client.get(path).text


def test_the_migration_does_not_overwrite_an_existing_version_2(draft):
    from django.apps import apps

    draft.sections.all().delete()
    MIGRATION.version_2_draft(apps, None)
    assert not PolicyVersion.objects.get(number=2).sections.exists()
