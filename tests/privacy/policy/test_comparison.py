"""What changed between two versions, section by section, marked for eyes, screen
readers and paper alike (P9)."""

import re

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from privacy.comparison import Mark, TextRun, policy_versions_compare, text_diff
from privacy.models import PolicySection
from tests.privacy.policy.factories import PolicyVersionFactory, draft_from, published

pytestmark = pytest.mark.django_db


def test_a_word_diff_keeps_the_new_text_and_marks_what_moved():
    runs = text_diff("We keep it for two years.", "We keep it for one year.")
    assert runs == [
        TextRun(Mark.SAME, "We keep it for "),
        TextRun(Mark.REMOVED, "two years."),
        TextRun(Mark.ADDED, "one year."),
    ]
    # One common word between two changes does not chop the change in two.
    assert text_diff("keep a copy of it", "hold a record of it") == [
        TextRun(Mark.REMOVED, "keep a copy "),
        TextRun(Mark.ADDED, "hold a record "),
        TextRun(Mark.SAME, "of it"),
    ]
    assert "".join(r.text for r in runs if r.mark != Mark.REMOVED) == "We keep it for one year."


def test_sections_are_matched_by_heading_and_additions_and_removals_found(version_1):
    draft = draft_from(version_1, replace={"Cookies": "We set no cookie."})
    draft.sections.filter(heading="Surveys [& Contests]").delete()
    PolicySection.objects.create(version=draft, position=50, heading="Retention", body="Two years.")
    comparison = policy_versions_compare(old=version_1, new=draft)
    assert comparison.summary == {"unchanged": 21, "changed": 1, "added": 1, "removed": 1}
    by_title = {section.title: section for section in comparison.sections}
    assert by_title["Cookies"].status == "changed"
    assert by_title["Surveys [& Contests]"].status == "removed"
    assert by_title["Retention"].body == [TextRun(Mark.ADDED, "Two years.")]


def test_a_renamed_section_is_compared_with_the_one_it_replaces(version_1):
    draft = draft_from(version_1)
    draft.sections.filter(heading="Log Files").update(heading="Visit statistics")
    comparison = policy_versions_compare(old=version_1, new=draft)
    renamed = next(s for s in comparison.sections if s.title == "Visit statistics")
    assert renamed.status == "changed"
    assert renamed.heading_changed
    assert comparison.summary["added"] == 0


def test_the_comparison_page_marks_insertions_and_deletions_in_words(client, version_2_since):
    version_2_since(1)
    response = client.get("/privacy/compare/1/2/")
    assert response.status_code == 200
    html = response.text
    assert "<h1>What changed between version 1 and version 2</h1>" in html
    assert "1 section changed, 0 added,\n      0 removed, 22 unchanged." in html
    assert '<a href="#change-5">Cookies</a> (changed)' in html
    cookies = re.search(r'<section class="diff-section diff-changed".*?</section>', html,
                        flags=re.DOTALL).group()
    assert '<h2 id="change-5" class="h4">Cookies' in cookies
    assert ('<del><span class="diff-label">[Removed: </span>the user\u2019s computer tied to '
            in cookies)
    assert '<ins><span class="diff-label">[Added: </span>' in cookies
    assert "our public pages at all; only staff signing in" in cookies
    # Unchanged sections are there, folded, their text readable without JavaScript.
    assert "<summary>Show the text, unchanged</summary>" in html
    assert "The cookies section now says the public site sets no cookie." in html


def test_versions_can_be_compared_either_way(client, version_2_since):
    version_2_since(1)
    html = client.get("/privacy/compare/2/1/").text
    assert "What changed between version 2 and version 1" in html
    assert '<ins><span class="diff-label">[Added: </span>' in html


@pytest.mark.parametrize("path", ["/privacy/compare/1/9/", "/privacy/compare/9/1/",
                                  "/privacy/compare/0/0/", "/privacy/compare/1/2/",
                                  "/privacy/compare/1/99999999999999999999/"])
def test_comparing_with_an_unknown_or_unpublished_version_is_not_found(client, path, draft_2):
    assert client.get(path).status_code == 404


def test_a_version_compared_with_itself_gets_a_clear_page(client):
    response = client.get("/privacy/compare/1/1/")
    assert response.status_code == 200
    assert "<h1>Nothing to compare</h1>" in response.text
    assert "compare version 1 of our privacy policy with itself" in response.text


def test_the_archive_form_leads_to_the_comparison(client, version_2_since):
    version_2_since(1)
    archive = client.get("/privacy/versions/").text
    assert '<form method="get" action="/privacy/compare/"' in archive
    response = client.get("/privacy/compare/", {"old": "1", "new": "2"})
    assert response.status_code == 302
    assert response["Location"] == "/privacy/compare/1/2/"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"old": "2", "new": "2"}, "Choose two different versions"),
        ({"old": "1", "new": "7"}, "Select a valid choice"),
        ({"old": "x", "new": "'; drop"}, "Select a valid choice"),
        ({"old": "1"}, "This field is required"),
    ],
)
def test_a_bad_comparison_request_is_explained_next_to_the_form(
    client, version_2_since, query, message
):
    version_2_since(1)
    response = client.get("/privacy/compare/", query)
    assert response.status_code == 400
    assert message in response.text
    assert "<h1>Every version of our privacy policy</h1>" in response.text


def test_the_comparison_escapes_staff_text(client, version_1):
    draft = draft_from(version_1, replace={"Cookies": "<script>alert(1)</script> Cookies."})
    published(draft, effective_at=version_1.effective_at.replace(year=2026, month=2))
    html = client.get(f"/privacy/compare/1/{draft.number}/").text
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_empty_version_compares_as_every_section_removed(version_1):
    comparison = policy_versions_compare(old=version_1, new=PolicyVersionFactory())
    assert comparison.summary["removed"] == 23


@settings(max_examples=60, deadline=None)
@given(old=st.text(max_size=30), new=st.text(max_size=30))
def test_no_comparison_request_makes_the_site_fail(old, new):
    response = Client().get("/privacy/compare/", {"old": old, "new": new})
    assert response.status_code in {302, 400}
