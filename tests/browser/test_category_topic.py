"""A visitor on a product category's page follows its button to the Information
Request, finds that category chosen as the topic, and sends it, with and without
JavaScript (issue 17)."""

import pytest

from inquiries.models import Inquiry, Topic

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_category_page_s_button_opens_the_form_with_the_category_chosen(
    visit, visit_without_javascript, javascript
):
    tab = visit if javascript else visit_without_javascript
    tab.open("/what-we-trade/")
    with tab.page.expect_navigation():
        tab.page.get_by_role("link", name="Electrical components", exact=True).click()
    with tab.page.expect_navigation():
        tab.page.get_by_role("link", name="Ask us about electrical components").click()

    topic = tab.page.get_by_label("Topic")
    assert topic.input_value() == "products:electrical-components"
    chosen = topic.locator("option:checked")
    assert chosen.inner_text() == "Electrical components"
    # The group names what the category is a choice of, for a screen reader too.
    assert chosen.evaluate("option => option.parentElement.label") == "Products"

    tab.page.get_by_label("Your name").fill("Kwame Mensah")
    tab.page.get_by_label("Email address").fill("kwame@example.com")
    tab.page.get_by_label("Your message").fill("Do you stock DIN-rail terminal blocks?")
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Send your request").click()
    assert tab.page.get_by_role("heading", level=1).inner_text() == (
        "Thank you: we received your request")
    inquiry = Inquiry.objects.get()
    assert (inquiry.topic, inquiry.category) == (Topic.PRODUCTS, "Electrical components")
    assert tab.cookies() == []
    assert tab.foreign_requests() == []
    assert tab.console_errors == []
