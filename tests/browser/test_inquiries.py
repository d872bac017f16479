"""A visitor sends each form in Chromium, with and without JavaScript: the thank-you
page shows a reference, no cookie is set, nothing comes from another origin."""

import re

import pytest

from inquiries.models import Inquiry

pytestmark = [pytest.mark.urls("tests.roochi_site.urls"), pytest.mark.django_db(transaction=True)]

REFERENCE = re.compile(r"RT-[2-9A-HJKMNP-Z]{6}")


def fill_and_send(page, *, form: str) -> None:
    page.get_by_label("Your name").fill("Zoë O'Neil-Nguyễn")
    page.get_by_label("Email address").fill("Zoe@Example.com")
    page.get_by_label("Phone number (optional)").fill("(323) 722-5592")
    page.get_by_label("By phone").check()
    page.get_by_label("Topic").select_option(label="Prices" if form == "information"
                                             else "A delivery")
    if form == "support":
        page.get_by_label("Order number (optional)").fill("SO-12345678")
    page.get_by_label("Your message").fill("Could you call me about 40 tonnes of rice?")
    page.get_by_label("Send me the Roochi Traders newsletter (optional).").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send your request").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("form", ["information", "support"])
def test_a_visitor_sends_the_form_and_sees_a_reference_without_cookies(
    visit, visit_without_javascript, javascript, form
):
    tab = visit if javascript else visit_without_javascript
    label = "Information request" if form == "information" else "Support"
    tab.open("/")
    with tab.page.expect_navigation():
        tab.page.get_by_role("navigation", name="Main").get_by_role(
            "link", name=label, exact=True).click()
    fill_and_send(tab.page, form=form)

    heading = tab.page.get_by_role("heading", level=1).inner_text()
    assert heading == "Thank you: we received your request"
    reference = REFERENCE.search(tab.page.locator("main").inner_text()).group(0)
    inquiry = Inquiry.objects.get()
    assert inquiry.reference == reference
    assert (inquiry.purpose, inquiry.email, inquiry.phone, inquiry.reply_by) == (
        form, "zoe@example.com", "+13237225592", "phone")
    assert inquiry.newsletter is True
    assert inquiry.other_purposes is False
    assert "by phone" in tab.page.locator("main").inner_text()
    assert tab.cookies() == []
    assert tab.foreign_requests() == []
    assert tab.console_errors == []


def test_errors_are_summarised_with_links_to_their_fields_and_input_is_kept(visit):
    visit.open("/support-request/")
    visit.page.get_by_label("Your name").fill("Ana")
    visit.page.get_by_label("Email address").fill("ana@")
    visit.page.get_by_label("By phone").check()
    with visit.page.expect_navigation():
        visit.page.get_by_role("button", name="Send your request").click()

    summary = visit.page.get_by_role("alert")
    assert "There is a problem with what you sent" in summary.inner_text()
    summary.get_by_role("link", name=re.compile("^Email address")).click()
    assert visit.page.evaluate("document.activeElement.id") == "id_email"
    email = visit.page.get_by_label("Email address")
    assert email.input_value() == "ana@"
    assert "Enter an email address like name@example.com." in visit.page.locator(
        f"#{email.get_attribute('aria-describedby').split()[0]}").inner_text()
    assert visit.page.get_by_label("Your name").input_value() == "Ana"
    assert visit.page.get_by_label("By phone").is_checked()
    assert Inquiry.objects.count() == 0
    assert visit.cookies() == []


def test_the_honeypot_is_never_seen_nor_reached_by_keyboard(visit):
    visit.open("/information-request/")
    trap = visit.page.locator("#id_website")
    box = trap.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0
    focused = set()
    for _ in range(40):
        visit.page.keyboard.press("Tab")
        focused.add(visit.page.evaluate("document.activeElement.id"))
    assert "id_email" in focused
    assert "id_website" not in focused
    assert visit.page.get_by_role("textbox", name="Leave this field empty").count() == 0
