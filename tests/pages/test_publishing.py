"""Drafts, a staff preview exactly as the public will see it, and publication now or at
a chosen time, for pages and categories: each visible only when it should be."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from pages.models import Category, Page
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db


def sitemap(client) -> str:
    return client.get("/sitemap.xml").text


def page_form(page: Page, **changes) -> dict:
    data = {"title": page.title, "meta_description": page.meta_description, "body": page.body,
            "published": "on" if page.published else "",
            "publish_at_0": "", "publish_at_1": ""}
    return {key: value for key, value in {**data, **changes}.items() if value != ""}


def test_a_new_page_made_in_the_admin_starts_as_a_draft(admin_client):
    response = admin_client.get("/admin/pages/page/add/")
    assert 'name="published"' in response.text
    assert 'name="published" checked' not in response.text


def test_a_draft_is_not_public_nor_in_the_sitemap_but_staff_preview_it(client, admin_user):
    Page.objects.create(slug="new-warehouse", title="Our new warehouse", published=False,
                        meta_description="A draft.", body="Opening **soon**.")
    page = Page.objects.get(slug="new-warehouse")
    assert client.get("/new-warehouse/").status_code == 404
    assert "/new-warehouse/" not in sitemap(client)
    preview_url = f"/admin/pages/page/{page.pk}/preview/"
    assert client.get(preview_url).status_code == 302  # to the sign-in page
    staff_sign_in(client, admin_user)
    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert "<h1>Our new warehouse</h1>" in preview.text
    assert "Opening <strong>soon</strong>." in preview.text
    assert {"private", "no-store"} <= set(preview["Cache-Control"].split(", "))
    client.logout()
    # What staff saw is not what the public cache serves.
    assert client.get("/new-warehouse/").status_code == 404


def test_the_preview_is_the_public_page_itself(client, admin_user):
    page = Page.objects.get(slug="about")
    public = client.get("/about/").text
    staff_sign_in(client, admin_user)
    preview = client.get(f"/admin/pages/page/{page.pk}/preview/").text
    assert preview == public


def test_the_preview_of_what_we_trade_lists_the_categories_as_the_public_sees_them(
        client, admin_user):
    page = Page.objects.get(slug="what-we-trade")
    public = client.get("/what-we-trade/").text
    assert "Packaging materials" in public
    staff_sign_in(client, admin_user)
    assert client.get(f"/admin/pages/page/{page.pk}/preview/").text == public


def test_a_draft_category_is_not_listed_nor_found_but_staff_preview_it(client, admin_user):
    category = Category.objects.get(slug="packaging-materials")
    Category.objects.filter(pk=category.pk).update(published=False)
    assert "Packaging materials" not in client.get("/what-we-trade/").text
    assert client.get("/what-we-trade/packaging-materials/").status_code == 404
    assert "/what-we-trade/packaging-materials/" not in sitemap(client)
    staff_sign_in(client, admin_user)
    preview = client.get(f"/admin/pages/category/{category.pk}/preview/")
    assert "<h1>Packaging materials</h1>" in preview.text


@pytest.mark.usefixtures("deployment_page_cache")
def test_a_scheduled_page_appears_by_itself_at_its_time_even_from_the_cache(client):
    """As a policy version does (privacy): the time is part of the query, so nothing has
    to run at nine o'clock, and the cached pages change with the clock."""
    at = timezone.now() + timedelta(hours=2)
    Page.objects.create(slug="opening", title="We open a new warehouse", publish_at=at,
                        meta_description="Soon.", body="From Monday.")
    Category.objects.create(slug="food-packaging", name="Food packaging", publish_at=at,
                            summary="Trays and film for food.", order=5)
    assert client.get("/opening/").status_code == 404
    assert "Food packaging" not in client.get("/what-we-trade/").text
    assert "/opening/" not in sitemap(client)
    with time_machine.travel(at - timedelta(seconds=1)):
        assert client.get("/opening/").status_code == 404
        assert "Food packaging" not in client.get("/what-we-trade/").text
    with time_machine.travel(at + timedelta(seconds=1)):
        assert client.get("/opening/").status_code == 200
        assert "Food packaging" in client.get("/what-we-trade/").text
        assert client.get("/what-we-trade/food-packaging/").status_code == 200
        assert "/opening/" in sitemap(client)


def test_staff_schedule_a_page_in_the_admin_and_see_when(admin_client, client):
    page = Page.objects.get(slug="security")
    response = admin_client.post(f"/admin/pages/page/{page.pk}/change/", page_form(
        page, publish_at_0="2031-05-04", publish_at_1="09:00:00"))
    assert response.status_code == 302, response.text
    assert client.get("/security/").status_code == 404
    listing = admin_client.get("/admin/pages/page/").text
    assert "Scheduled for 04 May 2031, 09:00" in listing


def test_a_page_taken_back_to_draft_leaves_the_public_cache(admin_client, client, settings):
    page = Page.objects.get(slug="accessibility")
    assert client.get("/accessibility/").status_code == 200
    admin_client.post(f"/admin/pages/page/{page.pk}/change/", page_form(page, published=""))
    assert client.get("/accessibility/").status_code == 404
