"""P1 and P2 in a real browser: a visitor reads every page and sends a form; nothing
is loaded from another origin, no cookie is stored and nothing fails in the console."""

import pytest

pytestmark = [pytest.mark.urls("tests.roochi_site.urls"), pytest.mark.django_db(transaction=True)]

# (navigation, link, the page's heading)
LINKS = [
    ("Main", "About us", "About us"),
    ("Main", "What we trade", "What we trade"),
    ("Main", "Shipping and orders", "Shipping and orders"),
    ("Main", "Contact", "Contact us"),
    ("Main", "Home", "Goods sourced, checked and shipped for your business"),
    ("Site information", "Security", "Security"),
    ("Site information", "Accessibility", "Accessibility"),
]


def test_a_visitor_reads_every_page_and_sends_a_form_without_cookies_or_third_parties(visit):
    visit.open("/")
    for navigation, link, heading in LINKS:
        with visit.page.expect_navigation():
            visit.page.get_by_role("navigation", name=navigation).get_by_role(
                "link", name=link, exact=True).click()
        assert visit.page.get_by_role("heading", level=1).inner_text() == heading

    visit.open("/demo-form/")
    visit.page.get_by_label("Message").fill("Hello from Chromium")
    with visit.page.expect_navigation():
        visit.page.get_by_role("button", name="Send").click()
    assert visit.page.get_by_role("main").get_by_text("Received:").inner_text() == (
        "Received: Hello from Chromium")

    assert visit.foreign_requests() == []
    assert visit.cookies() == []
    assert visit.console_errors == []


def test_a_form_with_an_error_is_shown_again_with_the_error_and_no_cookie(visit):
    visit.open("/demo-form/")
    with visit.page.expect_navigation():
        visit.page.get_by_role("button", name="Send").click()
    assert "This field is required" in visit.page.locator("main form").inner_text()
    assert visit.cookies() == []


@pytest.mark.parametrize("path", ["/", "/about/", "/what-we-trade/", "/shipping-and-orders/",
                                  "/contact/", "/security/", "/accessibility/", "/no-such-page/"])
def test_every_page_renders_without_javascript(visit_without_javascript, path):
    visit_without_javascript.open(path)
    page = visit_without_javascript.page
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert page.get_by_role("contentinfo").is_visible()


def test_the_skip_link_takes_a_keyboard_user_to_the_content(visit):
    visit.open("/about/")
    visit.page.keyboard.press("Tab")
    skip = visit.page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.bounding_box()["y"] >= 0
    visit.page.keyboard.press("Enter")
    assert visit.page.evaluate("document.activeElement.id") == "main"


def test_every_public_page_fits_a_320_pixel_wide_screen(browser, live_server):
    """Every address in the sitemap, the policy's archive and a comparison of two
    versions (long headings such as "Correcting/Updating/Deleting/Deactivating")."""
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    from privacy.models import PolicyVersion
    from privacy.policy import policy_cache_clear
    from tests.privacy.policy.factories import draft_from, published
    from tests.quality.documents import sitemap_paths

    first = PolicyVersion.objects.get(number=1)
    heading = "Correcting/Updating/Deleting/Deactivating Personal Information"
    published(draft_from(first, replace={heading: "Write to support@roochi.com."}),
              effective_at=timezone.now() - timedelta(minutes=1))
    policy_cache_clear()
    paths = [*sitemap_paths(Client()), "/privacy/compare/1/2/", "/privacy/versions/1/"]
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    wide = {}
    for path in paths:
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide[path] = overflow
    context.close()
    assert len(paths) > 10
    assert wide == {}
