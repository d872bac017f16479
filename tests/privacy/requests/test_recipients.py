"""P10: the public list of who receives personal data, generated from the register."""

import pytest

from privacy.models import Recipient
from tests.privacy.requests.factories import RecipientFactory

pytestmark = pytest.mark.django_db


def test_the_public_page_lists_kinds_of_recipients_and_why(client):
    RecipientFactory(name="Coastline Freight", kind=Recipient.Kind.SHIPPING,
                     receives="Name and delivery address", purpose="To deliver your orders.")
    RecipientFactory(name="West Credit Bureau", kind=Recipient.Kind.CREDIT_BUREAU,
                     receives="Company name", purpose="Credit check before opening an account.")
    RecipientFactory(name="Unlisted Ltd", listed=False)
    response = client.get("/privacy/recipients/")
    page = response.content.decode()
    assert response.status_code == 200
    assert not response.cookies
    assert "Shipping company</h2>" in page
    assert "Credit bureaus" in page
    assert "To deliver your orders." in page
    assert "Credit check before opening an account." in page
    assert "Unlisted Ltd" not in page


def test_an_empty_register_says_so(client):
    Recipient.objects.all().delete()  # the initial content lists the policy's two
    page = client.get("/privacy/recipients/").content.decode()
    assert "We currently share personal data with no one outside the company." in page


def test_the_request_page_and_recipients_are_in_the_sitemap(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/privacy/requests/</loc>" in sitemap
    assert "/privacy/recipients/</loc>" in sitemap


def test_the_register_is_edited_in_the_admin(staff):
    response = staff.post("/admin/privacy/recipient/add/", {
        "name": "Harbour Couriers", "kind": "shipping", "receives": "Delivery address",
        "purpose": "Delivery", "listed": "on"})
    assert response.status_code == 302
    assert Recipient.objects.get(name="Harbour Couriers").kind == "shipping"
