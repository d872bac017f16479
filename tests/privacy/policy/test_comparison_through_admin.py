"""P9: editing one section of a draft in the admin, as a browser posts it (CRLF line
endings, the textarea's own text sent back for every section), makes the comparison
show that one section changed, and nothing else."""

import pytest

from privacy.comparison import SectionStatus, policy_versions_compare
from privacy.models import PolicyVersion
from privacy.services.policy_versions import policy_version_draft_from

pytestmark = pytest.mark.django_db


def as_a_browser_posts(version: PolicyVersion, *, edit: dict[str, str]) -> dict[str, str]:
    """The change form's fields for every section, each textarea's text with CRLF line
    endings (HTML's form submission), one body replaced."""
    sections = list(version.sections.all())
    data = {
        "number": str(version.number), "title": version.title,
        "change_summary": "We say how long we keep an inquiry.",
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(len(sections)),
        "sections-MIN_NUM_FORMS": "0", "sections-MAX_NUM_FORMS": "1000",
    }
    for index, section in enumerate(sections):
        body = edit.get(section.heading, section.body)
        data.update({
            f"sections-{index}-id": str(section.pk),
            f"sections-{index}-version": str(version.pk),
            f"sections-{index}-position": str(section.position),
            f"sections-{index}-heading": section.heading,
            f"sections-{index}-body": body.replace("\r\n", "\n").replace("\n", "\r\n"),
        })
    return data


def test_one_edited_section_is_the_only_change(admin_client):
    version_1 = PolicyVersion.objects.get(number=1)
    draft = policy_version_draft_from(version=version_1)
    cookies = draft.sections.get(heading="Cookies")
    edited = cookies.body + "\n\nWe keep no cookie at all on the public site."
    response = admin_client.post(f"/admin/privacy/policyversion/{draft.pk}/change/",
                                 as_a_browser_posts(draft, edit={"Cookies": edited}))
    assert response.status_code == 302, response.text

    comparison = policy_versions_compare(old=version_1, new=draft)
    assert [s.title for s in comparison.changed_sections] == ["Cookies"]
    assert comparison.count(SectionStatus.UNCHANGED) == len(comparison.sections) - 1
    [change] = comparison.changed_sections
    marked = [(run.mark, run.text.strip()) for run in change.body if run.mark != "same"]
    assert marked == [("added", "We keep no cookie at all on the public site.")]
    # What was saved is normalised: no carriage return, no trailing space on a line.
    for section in draft.sections.all():
        assert "\r" not in section.body
        assert all(line == line.rstrip() for line in section.body.split("\n"))
