"""P9 in a real browser: the policy's table of contents, and a comparison whose
changes are marked by more than colour on screen, for screen readers and on paper."""

from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.models import PolicyVersion
from tests.privacy.policy.conftest import COOKIES_V2
from tests.privacy.policy.factories import draft_from, published

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def version_2():
    draft = draft_from(
        PolicyVersion.objects.get(number=1),
        replace={"Cookies": COOKIES_V2},
        change_summary="The cookies section now says the public site sets no cookie.",
    )
    return published(draft, effective_at=timezone.now() - timedelta(days=2))


def label_width(visit, text: str) -> float:
    return visit.page.locator(".diff-label", has_text=text).first.bounding_box()["width"]


def test_the_table_of_contents_leads_to_each_section(visit):
    visit.open("/privacy/")
    toc = visit.page.get_by_role("navigation", name="Contents")
    toc.get_by_role("link", name="Cookies").click()
    assert visit.page.url.endswith("/privacy/#section-5")
    assert visit.page.get_by_role("heading", name="Cookies", level=2).is_visible()
    assert visit.foreign_requests() == []
    assert visit.cookies() == []
    assert visit.console_errors == []


def test_changes_are_underlined_and_struck_on_screen_and_named_in_print(visit, version_2):
    visit.open("/")
    visit.page.get_by_role("link", name="See what changed between version 1 and version 2").click()
    assert visit.page.get_by_role("heading", level=1).inner_text() == (
        "What changed between version 1 and version 2")
    inserted = visit.page.locator(".diff-changed ins").first
    deleted = visit.page.locator(".diff-changed del").first
    assert "underline" in inserted.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "line-through" in deleted.evaluate("e => getComputedStyle(e).textDecorationLine")
    # Screen readers read the words; sighted readers see the marks, not the words.
    assert inserted.text_content().startswith("[Added: ")
    assert label_width(visit, "[Added:") <= 1
    visit.page.emulate_media(media="print")
    assert label_width(visit, "[Added:") > 10
    assert label_width(visit, "[Removed:") > 10
    assert visit.foreign_requests() == []
    assert visit.cookies() == []
    assert visit.console_errors == []


def test_unchanged_sections_open_without_javascript(visit_without_javascript, version_2):
    visit = visit_without_javascript
    visit.open("/privacy/compare/1/2/")
    section = visit.page.locator(".diff-unchanged", has_text="Log Files")
    text = section.locator(".diff-text")
    assert not text.is_visible()
    section.get_by_text("Show the text, unchanged").click()
    assert text.is_visible()
