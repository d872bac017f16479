"""P12 in a real browser: a visitor finds a contest from the footer, reads that taking
part is voluntary, and enters it without ticking the choice to share; no cookie,
nothing from another origin."""

import pytest
from django.test import override_settings

from privacy.models import Disclosure
from surveys.models import Entry
from tests.surveys.conftest import with_intermediary

pytestmark = [pytest.mark.urls("tests.roochi_site.urls"), pytest.mark.django_db(transaction=True)]


@override_settings(FORM_MIN_FILL_SECONDS=0)
def test_a_visitor_enters_a_contest_from_the_footer(visit):
    survey = with_intermediary(title="Win a hamper of olive oil")
    visit.open("/")
    with visit.page.expect_navigation():
        visit.page.get_by_role("navigation", name="Site information").get_by_role(
            "link", name="Surveys and contests").click()
    with visit.page.expect_navigation():
        visit.page.get_by_role("link", name="Win a hamper of olive oil").click()
    page = visit.page
    assert page.get_by_text("Taking part is voluntary.").is_visible()
    share = page.get_by_label("Share my entry with Survey Partners Ltd")
    assert not share.is_checked()
    page.get_by_label("Your name").fill("Ana Pérez")
    page.get_by_label("Email address").fill("ana@example.com")
    page.get_by_label("What brought you here?").fill("A friend")
    page.get_by_role("group", name="How often do you visit?").get_by_label("Weekly").check()
    page.get_by_role("group", name="What do you trade?").get_by_label("Tea").check()
    page.get_by_role("group", name="How easy is the site to use?").get_by_label("4").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send your entry").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for taking part"
    entry = Entry.objects.get(survey=survey)
    assert sorted(entry.answers.values_list("value", flat=True)) == [
        "4", "A friend", "Tea", "Weekly"]
    assert not Disclosure.objects.exists()
    assert visit.foreign_requests() == []
    assert visit.cookies() == []
    assert visit.console_errors == []
