""""What we trade" as product categories staff own; each ends with a button to an
Information Request about that category, chosen in advance."""

import re
import time

import pytest

from pages.models import Category

pytestmark = pytest.mark.django_db


def test_what_we_trade_lists_the_published_categories_in_their_order(client):
    html = client.get("/what-we-trade/").text
    names = re.findall(r'<h2 id="category-[^"]+" class="h4 mt-2"><a href="[^"]+">([^<]+)</a>',
                       html)
    assert names == ["Industrial supplies", "Packaging materials",
                     "Office and workplace supplies", "Electrical components"]
    Category.objects.filter(slug="electrical-components").update(order=1)
    html = client.get("/what-we-trade/").text
    assert html.index("Electrical components") < html.index("Industrial supplies")


def test_the_list_is_where_the_navigation_and_its_url_name_lead(client):
    html = client.get("/").text
    assert '<a href="/what-we-trade/">What we trade</a>' in html


def test_each_category_has_its_page_in_the_sitemap(client):
    sitemap = client.get("/sitemap.xml").text
    for category in Category.objects.all():
        assert f"{category.get_absolute_url()}</loc>" in sitemap
        assert client.get(category.get_absolute_url()).status_code == 200


def test_a_category_page_ends_with_a_button_to_an_information_request_about_it(client):
    html = client.get("/what-we-trade/packaging-materials/").text
    assert ('<a class="btn btn-primary" href="/information-request/?topic=products&amp;'
            'category=packaging-materials">Ask us about packaging materials</a>') in html
    form = client.get("/information-request/?topic=products&category=packaging-materials").text
    assert ('<option value="products:packaging-materials" selected>Packaging materials'
            "</option>") in form


@pytest.mark.usefixtures("deployment_page_cache")
def test_the_chosen_topic_is_part_of_the_cached_page_and_nothing_else_is(client):
    plain = client.get("/information-request/").text
    assert "selected>Products" not in plain
    assert "selected>Products" in client.get("/information-request/?topic=products").text
    assert "selected>Products" not in client.get("/information-request/").text
    for ignored in ["?topic=nonsense", "?topic=order", "?topic=products%00", "?x=1"]:
        response = client.get(f"/information-request/{ignored}")
        assert response.status_code == 200
        assert '<option value="" selected>Choose a topic</option>' in response.text


def test_a_support_form_ignores_an_information_topic(client):
    html = client.get("/support-request/?topic=products").text
    assert 'value="products"' not in html


def test_a_link_to_another_site_in_a_category_says_so_with_the_links_notice(client):
    Category.objects.filter(slug="packaging-materials").update(
        body="See the [standard](https://www.iso.org/standard/1.html) for boxes.\n\n"
        "<script>alert(1)</script>")
    html = client.get("/what-we-trade/packaging-materials/").text
    assert 'class="external-link"' in html
    assert "(another site)" in html
    assert "own privacy" in html.lower() or "privacy practices" in html.lower()
    assert "<script>alert" not in html


def test_a_category_summary_is_text_not_html(client):
    Category.objects.filter(slug="packaging-materials").update(summary="<b>Boxes</b>")
    html = client.get("/what-we-trade/").text
    assert "&lt;b&gt;Boxes&lt;/b&gt;" in html


def test_a_post_to_a_category_page_is_not_allowed(client):
    assert client.post("/what-we-trade/packaging-materials/").status_code in {403, 405}


@pytest.mark.usefixtures("deployment_page_cache")
def test_a_category_changed_anywhere_shows_in_the_cached_list_after_the_recheck(
        client, settings):
    settings.PUBLIC_PAGE_CACHE_RECHECK_SECONDS = 1
    assert "Crates and drums" not in client.get("/what-we-trade/").text
    # A bulk update, as the shell or another machine would make it: only the trigger runs.
    Category.objects.filter(slug="packaging-materials").update(summary="Crates and drums.")
    time.sleep(settings.PUBLIC_PAGE_CACHE_RECHECK_SECONDS)
    assert "Crates and drums." in client.get("/what-we-trade/").text
