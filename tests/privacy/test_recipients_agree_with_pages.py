"""P10: the recipients page lists who receives personal data, and the pages that tell
how orders ship must not say otherwise. The initial content names an outside shipping
company on the shipping page; the recipients page must list one, and must never say
we share with no one while it does."""

import re
from html import unescape

import pytest

from privacy.models import Recipient

pytestmark = pytest.mark.django_db

CARRIER = re.compile(r"\b(?:shipping company|carrier|courier|freight forwarder)\b", re.I)
SHARES_WITH_NO_ONE = re.compile(r"\b(?:with no one|no one outside|do not share|"
                                r"don't share|share nothing)\b", re.I)


def main_text(html: str) -> str:
    main = html[html.index("<main"):html.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def headings(html: str) -> list[str]:
    return [main_text(f"<main>{h}</main>")
            for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, flags=re.DOTALL)]


def contradictions(shipping_html: str, recipients_html: str) -> list[str]:
    found = []
    names_carrier = bool(CARRIER.search(main_text(shipping_html)))
    lists_shipping = Recipient.Kind.SHIPPING.label in headings(recipients_html)
    if names_carrier and not lists_shipping:
        found.append("the shipping page names an outside carrier the recipients page omits")
    if lists_shipping and not names_carrier:
        found.append("the recipients page lists a shipping company the shipping page omits")
    if names_carrier and SHARES_WITH_NO_ONE.search(main_text(recipients_html)):
        found.append("the recipients page says we share with no one")
    return found


def pages_now(client) -> tuple[str, str]:
    return (client.get("/shipping-and-orders/").text, client.get("/privacy/recipients/").text)


def test_the_shipping_page_and_the_recipients_page_agree(client):
    assert contradictions(*pages_now(client)) == []


def test_the_recipients_page_lists_what_the_policy_names(client):
    listed = headings(client.get("/privacy/recipients/").text)
    assert Recipient.Kind.SHIPPING.label in listed  # "Third Party Intermediaries"
    assert Recipient.Kind.SERVICE_PROVIDER.label in listed  # "Service Providers"


def test_a_shipping_company_taken_off_the_list_is_a_contradiction(client):
    Recipient.objects.filter(kind=Recipient.Kind.SHIPPING).update(listed=False)
    assert contradictions(*pages_now(client)) == [
        "the shipping page names an outside carrier the recipients page omits"]


def test_an_empty_list_that_says_no_one_is_a_contradiction(client):
    Recipient.objects.update(listed=False)
    shipping, recipients = pages_now(client)
    assert "with no one" in recipients
    assert contradictions(shipping, recipients) == [
        "the shipping page names an outside carrier the recipients page omits",
        "the recipients page says we share with no one"]


def test_a_shipping_page_without_a_carrier_and_a_listed_one_is_a_contradiction(client):
    from pages.models import Page

    Page.objects.filter(slug="shipping-and-orders").update(body="We deliver ourselves.")
    assert contradictions(*pages_now(client)) == [
        "the recipients page lists a shipping company the shipping page omits"]
