import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from pages.models import Page
from tests.pages.admin_forms import change_save, draft_publish_post

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = {
    "/": "Goods sourced, checked and shipped for your business",
    "/about/": "About us",
    "/what-we-trade/": "What we trade",
    "/shipping-and-orders/": "Shipping and orders",
    "/contact/": "Contact us",
    "/security/": "Security",
    "/accessibility/": "Accessibility",
}


@pytest.mark.parametrize(("path", "title"), PUBLIC_PAGES.items())
def test_each_public_page_shows_its_title_in_the_page_and_the_tab(client, path, title):
    html = client.get(path).text
    assert f"<h1>{title}</h1>" in html
    assert f"<title>{title} | Roochi Traders Inc.</title>" in html


def test_every_page_is_reachable_from_the_navigation_of_every_page(client):
    for path in PUBLIC_PAGES:
        navs = re.findall(r"<nav .*?</nav>", client.get(path).text, flags=re.DOTALL)
        linked = set(re.findall(r'href="([^"]+)"', "".join(navs)))
        assert set(PUBLIC_PAGES) <= linked, path


def test_the_current_page_is_marked_for_screen_readers(client):
    assert '<a href="/about/" aria-current="page">' in client.get("/about/").text


def test_contact_page_gives_the_company_contact_details(client):
    html = client.get("/contact/").text
    for detail in ["support@roochi.com", "info@roochi.com", "(323) 722-5592 ext. 118"]:
        assert detail in html


def test_staff_edits_appear_and_unsafe_html_is_removed(client):
    page = Page.objects.get(slug="about")
    page.body = ('We **grow**.\n\n<script>alert(1)</script>'
                 '<a href="javascript:alert(1)" onclick="x()">link</a><img src=x onerror=alert(1)>')
    page.meta_description = "A fresh description"
    page.save()
    html = client.get("/about/").text
    assert "<strong>grow</strong>" in html
    assert '<meta name="description" content="A fresh description">' in html
    for unsafe in ["<script>alert", "javascript:", "onclick", "onerror"]:
        assert unsafe not in html


def test_an_unpublished_page_is_not_found_and_leaves_the_sitemap(client):
    Page.objects.filter(slug="about").update(published=False)
    assert client.get("/about/").status_code == 404
    assert "/about/" not in client.get("/sitemap.xml").text


def test_the_sitemap_uses_the_canonical_site_address(client, settings):
    settings.SITE_URL = "https://www.roochi.com"
    assert "<loc>https://www.roochi.com/about/</loc>" in client.get("/sitemap.xml").text


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(client, settings):
    settings.SITE_URL = "https://www.roochi.com"
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.text
    assert "Sitemap: https://www.roochi.com/sitemap.xml" in response.text


def test_security_txt_follows_rfc_9116(client, settings):
    settings.SITE_URL = "https://www.roochi.com"
    response = client.get("/.well-known/security.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.text.strip().splitlines())
    assert fields["Contact"] == "mailto:info@roochi.com"
    assert fields["Canonical"] == "https://www.roochi.com/.well-known/security.txt"
    expires = datetime.fromisoformat(fields["Expires"])
    assert timezone.now() < expires < timezone.now() + timedelta(days=365)


def test_staff_edit_a_page_in_the_admin(admin_client):
    page = Page.objects.get(slug="about")
    change_save(admin_client, page, title="About Roochi", meta_description="Who we are",
                body="We trade *carefully*.")
    assert draft_publish_post(admin_client, page).status_code == 302
    html = admin_client.get("/about/").text
    assert "<h1>About Roochi</h1>" in html
    assert "<em>carefully</em>" in html


def test_staff_unpublish_a_page_in_the_admin(admin_client, client):
    page = Page.objects.get(slug="about")
    admin_client.post(f"/admin/pages/page/{page.pk}/change/", {
        "title": page.title, "meta_description": page.meta_description, "body": page.body,
    })
    assert client.get("/about/").status_code == 404


def test_the_favicon_address_leads_to_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].startswith("/static/site/logo")
