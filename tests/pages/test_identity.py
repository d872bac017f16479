"""Issue 17, identity and layout: the home page says what we do and leads to both
forms; people get a site map of their own; the contact page shows the postal address
and opening hours staff entered, and nothing in their place until they do."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from pages.models import ContactDetails

pytestmark = pytest.mark.django_db


def test_the_home_page_has_buttons_to_both_forms_before_its_sections(client):
    html = client.get("/").text
    buttons = re.findall(r'<a class="btn [^"]*" href="([^"]+)"', html)
    assert buttons == ["/information-request/", "/support-request/"]
    assert html.index('href="/support-request/"') < html.index('class="home-sections"')


def test_the_home_page_sections_each_link_on(client):
    html = client.get("/").text
    sections = re.findall(r'<section class="home-section">(.*?)</section>', html, re.DOTALL)
    assert [re.search(r"<h2>(.*?)</h2>", s).group(1) for s in sections] == [
        "What we trade", "How ordering and shipping work", "Why clients can trust us"]
    links = [re.findall(r'href="([^"]+)"', section) for section in sections]
    assert links == [["/what-we-trade/"], ["/shipping-and-orders/"], ["/privacy/"]]
    assert all(client.get(link[0]).status_code == 200 for link in links)


def test_the_footer_offers_people_the_site_map_and_search_engines_keep_the_xml(client):
    html = client.get("/about/").text
    footer = html[html.index("<footer"):]
    assert '<a href="/site-map/">Site map</a>' in footer
    assert "sitemap.xml" not in footer
    assert client.get("/sitemap.xml").status_code == 200


def test_the_site_map_lists_every_published_page_and_the_forms(client):
    from pages.models import Page

    html = client.get("/site-map/").text
    for page in Page.objects.published():
        assert f'href="{page.get_absolute_url()}"' in html
    for path in ["/information-request/", "/support-request/", "/privacy/",
                 "/privacy/recipients/", "/privacy/requests/", "/newsletter/", "/search/"]:
        assert f'href="{path}"' in html


def test_the_site_map_and_the_search_page_are_in_the_xml_sitemap(client):
    xml = client.get("/sitemap.xml").text
    assert "/site-map/</loc>" in xml
    assert "/search/</loc>" in xml


def test_nothing_is_said_of_an_address_or_hours_not_yet_entered(client):
    details = ContactDetails.objects.get()
    assert (details.postal_address, details.opening_hours) == ("", "")
    html = client.get("/contact/").text
    for words in ["Postal address", "Opening hours", "Not filled in"]:
        assert words not in html


def test_the_contact_page_shows_what_staff_entered_at_once(client):
    assert "Harbour" not in client.get("/contact/").text
    ContactDetails.objects.update(postal_address="Roochi Traders Inc.\n1 Harbour Road\n",
                                  opening_hours="Monday to Friday, 8:00 to 17:00")
    html = client.get("/contact/").text
    assert "<address>Roochi Traders Inc.<br>1 Harbour Road</address>" in html
    assert "Monday to Friday, 8:00 to 17:00" in html


def test_the_admin_marks_what_is_not_filled_in_for_staff(admin_client):
    details = ContactDetails.objects.get()
    listing = admin_client.get(reverse("admin:pages_contactdetails_changelist")).text
    assert listing.count("Not filled in yet") == 2
    page = admin_client.get(reverse("admin:pages_contactdetails_change", args=[details.pk]))
    assert page.text.count("Not filled in yet") == 2
    ContactDetails.objects.update(postal_address="1 Harbour Road")
    page = admin_client.get(reverse("admin:pages_contactdetails_change", args=[details.pk]))
    assert page.text.count("Not filled in yet") == 1


def test_there_is_one_row_of_contact_details_which_staff_cannot_delete(admin_client):
    from django.db import IntegrityError, transaction

    assert admin_client.get(reverse("admin:pages_contactdetails_add")).status_code == 403
    details = ContactDetails.objects.get()
    assert admin_client.get(
        reverse("admin:pages_contactdetails_delete", args=[details.pk])).status_code == 403
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactDetails.objects.create()


def test_no_public_page_shows_a_placeholder_for_staff():
    client = Client()
    xml = client.get("/sitemap.xml").text
    for path in re.findall(r"<loc>https?://[^/]+([^<]+)</loc>", xml):
        html = client.get(path).text
        for marker in ["Not filled in", "placeholder for staff", "TODO", "lorem", "[Name"]:
            assert marker.lower() not in html.lower(), (path, marker)
