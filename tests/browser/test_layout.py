"""Issue 17 in Chromium: every public page fits a 320 px screen without sideways
scrolling, the menu is a disclosure that works by keyboard without JavaScript, one
focus style serves links, buttons and fields, and the home page's buttons reach both
forms."""

import re
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.urls("tests.roochi_site.urls"), pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}
# Bootstrap eases a field's and a button's ring in: read it once that has finished.
FOCUS_STYLE = """async element => {
  await Promise.all(element.getAnimations().map(animation => animation.finished));
  const style = getComputedStyle(element);
  return [style.outlineStyle, style.outlineWidth, style.outlineColor, style.outlineOffset,
          style.boxShadow];
}"""


def sitemap_paths(visit) -> list[str]:
    xml = visit.page.context.request.get(visit.origin + "/sitemap.xml").text()
    return [urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", xml)]


def test_every_public_page_fits_320_px_without_sideways_scrolling(visit_without_javascript):
    visit = visit_without_javascript
    visit.page.set_viewport_size(PHONE)
    paths = [*sitemap_paths(visit), "/search/?q=shipping+company", "/no-such-page/"]
    assert len(paths) > 10
    too_wide = {}
    for path in paths:
        visit.open(path)
        for menu in [False, True]:
            if menu:
                visit.page.get_by_text("Menu", exact=True).click()
            width = visit.page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[f"{path}{' (menu open)' if menu else ''}"] = width
    assert too_wide == {}


def test_on_a_phone_the_menu_opens_by_keyboard_without_javascript(visit_without_javascript):
    page = visit_without_javascript.page
    page.set_viewport_size(PHONE)
    visit_without_javascript.open("/")
    about = page.get_by_role("navigation", name="Main").get_by_role("link", name="About us")
    assert not about.is_visible()
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert about.is_visible()
    page.keyboard.press("Tab")  # Home
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "About us"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "About us"


def test_on_a_wide_screen_the_links_show_and_the_menu_button_does_not(visit):
    visit.page.set_viewport_size({"width": 1280, "height": 800})
    visit.open("/")
    assert visit.page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Shipping and orders").is_visible()
    assert not visit.page.get_by_text("Menu", exact=True).is_visible()
    assert visit.page.get_by_role("search").get_by_label("Search the site").is_visible()


def test_a_link_a_button_and_a_field_get_the_same_focus_style(visit):
    visit.open("/search/?q=pallet")
    page = visit.page
    styles = {}
    for name, element in [
        ("link", page.get_by_role("main").get_by_role("link").first),
        ("button", page.get_by_role("main").get_by_role("button", name="Search")),
        ("field", page.get_by_role("main").get_by_label("Search the site")),
        ("header link", page.get_by_role("link", name="Roochi Traders")),
    ]:
        element.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focused by the keyboard, as :focus-visible wants
        styles[name] = element.evaluate(FOCUS_STYLE)
    assert styles["link"][0] == "solid"
    assert styles["link"][1] == "3px"
    assert "255, 191, 71" in styles["link"][4]  # the focus yellow
    assert styles["button"] == styles["link"]
    assert styles["field"] == styles["link"]
    assert styles["header link"] == styles["link"]


@pytest.mark.parametrize(("button", "heading"), [
    ("Send an Information Request", "Information request"),
    ("Ask for support", "Support request"),
])
def test_the_home_page_buttons_reach_both_forms(visit_without_javascript, button, heading):
    page = visit_without_javascript.page
    visit_without_javascript.open("/")
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name=button).click()
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.locator("form textarea").count() == 1


def test_the_search_box_in_the_header_finds_a_page(visit_without_javascript):
    page = visit_without_javascript.page
    visit_without_javascript.open("/about/")
    search = page.get_by_role("search")
    search.get_by_label("Search the site").fill("pallet")
    with page.expect_navigation():
        search.get_by_role("button", name="Search").click()
    assert page.url.endswith("/search/?q=pallet")
    assert page.get_by_role("main").get_by_role("link", name="What we trade").is_visible()
    assert visit_without_javascript.cookies() == []
