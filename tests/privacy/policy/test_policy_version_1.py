import re
from pathlib import Path

import pytest

from privacy.models import PolicyVersion
from privacy.policy import current_version

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[3] / "privacy/migrations/privacy-policy-v1.txt"


def words(text: str) -> list[str]:
    return re.sub(r"\s+", " ", text).strip().split(" ")


def test_version_1_is_the_company_text_verbatim_typos_included():
    version = PolicyVersion.objects.get(number=1)
    stored = " ".join(
        [version.title]
        + [f"{section.heading} {section.body}" for section in version.sections.all()]
    )
    source = SOURCE.read_text(encoding="utf-8")
    assert words(stored) == words(source.removeprefix("Privacy Policy"))
    assert "Roochi Traders Inc.is the sole owner" in stored
    assert "We currently have to such partnerships in effect." in stored


def test_version_1_is_in_force_and_split_at_its_headings(client):
    version = current_version(refresh=True)
    assert version.number == 1
    headings = list(version.sections.values_list("heading", flat=True))
    assert headings[0] == "Information Collection and Use"
    assert headings[-1] == "Contact Information"
    assert len(headings) == 23


def test_the_footer_of_every_page_names_the_version_in_force(client):
    for path in ["/", "/about/", "/privacy/", "/no-such-page/"]:
        html = client.get(path).text
        assert "Version 1, in force since" in html, path
        assert '<a href="/privacy/">Privacy policy</a>' in html, path
