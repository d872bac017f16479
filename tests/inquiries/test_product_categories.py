"""A product category as the topic of an Information Request (issue 17): chosen from
the category's page, offered only while the public may see it, kept on the inquiry as
the name it had, and shown to staff, in the mails, the export and the person's copy."""

import csv
import io
import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from communications.models import OutboundMail
from inquiries.models import CannedReply, Inquiry, Topic
from pages.models import Category
from privacy import registry
from tests.inquiries.conftest import InquiryFactory, valid_post
from tests.quality.queries import request_queries

pytestmark = pytest.mark.django_db

FORM = "/information-request/"
CATEGORY_PAGE = "/what-we-trade/packaging-materials/"
LIST = "/admin/inquiries/inquiry/"
OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def selected(html: str) -> tuple[str, str]:
    [choice] = [(value, label) for value, chosen, label in OPTION.findall(html) if chosen]
    return choice


def products_group(html: str) -> list[tuple[str, str]]:
    group = re.search(r'<optgroup label="Products">(.*?)</optgroup>', html, re.DOTALL)
    return [(value, label) for value, _chosen, label in OPTION.findall(group[1])]


def hidden_category(**fields) -> Category:
    return Category.objects.create(**{
        "name": "Secret launch line", "slug": "secret-launch", "summary": "Not public yet.",
        **fields})


def test_a_category_page_opens_the_form_with_that_category_chosen(client):
    html = client.get(CATEGORY_PAGE).text
    link = re.search(r'<a class="btn btn-primary" href="([^"]+)">Ask us about packaging '
                     r"materials</a>", html)[1]
    assert link == "/information-request/?topic=products&amp;category=packaging-materials"
    form = client.get(unescape(link))
    assert form.status_code == 200
    assert selected(form.text) == ("products:packaging-materials", "Packaging materials")


def test_the_form_offers_the_published_categories_as_choices_of_products(client):
    hidden_category(published=False)
    hidden_category(name="Later line", slug="later", publish_at=timezone.now() + timedelta(days=1))
    html = client.get(FORM).text
    assert products_group(html) == [
        ("products", "Products in general"),
        ("products:industrial-supplies", "Industrial supplies"),
        ("products:packaging-materials", "Packaging materials"),
        ("products:workplace-supplies", "Office and workplace supplies"),
        ("products:electrical-components", "Electrical components")]
    assert selected(html) == ("", "Choose a topic")
    assert "Secret launch" not in html
    assert "Later line" not in html


@pytest.mark.parametrize("category", [
    "no-such-category", "secret-launch", "later", "packaging-materials%00",
    "%3Cscript%3E", "Packaging-Materials", "packaging-materials&category=x"])
def test_a_category_the_public_cannot_see_leaves_the_topic_products(client, category):
    hidden_category(published=False)
    hidden_category(name="Later line", slug="later", publish_at=timezone.now() + timedelta(days=1))
    response = client.get(f"{FORM}?topic=products&category={category}")
    assert response.status_code == 200
    assert selected(response.text) == ("products", "Products in general")
    assert "Secret launch" not in response.text
    assert "Later line" not in response.text


@pytest.mark.parametrize(("query", "chosen"), [
    ("topic=prices&category=packaging-materials", ("prices", "Prices")),
    ("category=packaging-materials", ("", "Choose a topic")),
    ("topic=products", ("products", "Products in general")),
])
def test_a_category_is_chosen_only_with_the_topic_products(client, query, chosen):
    assert selected(client.get(f"{FORM}?{query}").text) == chosen


def test_the_support_form_offers_no_category(client):
    html = client.get("/support-request/?topic=products&category=packaging-materials").text
    assert "Packaging materials" not in html
    assert "<optgroup" not in html


def test_the_chosen_category_is_kept_by_the_name_it_had(browser_client):
    response = browser_client.post(FORM, valid_post(topic="products:packaging-materials"))
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert (inquiry.topic, inquiry.category) == (Topic.PRODUCTS, "Packaging materials")
    Category.objects.filter(slug="packaging-materials").update(name="Boxes and film")
    Category.objects.filter(slug="packaging-materials").delete()
    inquiry.refresh_from_db()
    assert inquiry.category == "Packaging materials"
    assert inquiry.topic_described == "Products: Packaging materials"


def test_products_in_general_keeps_no_category(browser_client):
    assert browser_client.post(FORM, valid_post(topic="products")).status_code == 302
    assert Inquiry.objects.get().category == ""


def test_the_acknowledgement_and_the_staff_notice_name_the_category(browser_client):
    browser_client.post(FORM, valid_post(topic="products:industrial-supplies"))
    inquiry = Inquiry.objects.get()
    notice = OutboundMail.objects.get(category=OutboundMail.Category.STAFF_NOTICE)
    assert notice.subject == (f"New information request {inquiry.reference}: "
                              "Products: Industrial supplies")
    for mail in (inquiry.acknowledgement, notice):
        assert "Topic: Products: Industrial supplies\n" in mail.body


@pytest.mark.parametrize("topic", [
    "products:secret-launch", "products:no-such-category", "prices:packaging-materials",
    "products:", "products:packaging-materials:x", "products:Packaging-Materials"])
def test_a_category_not_offered_is_refused_and_nothing_is_stored(browser_client, topic):
    hidden_category(published=False)
    response = browser_client.post(FORM, valid_post(topic=topic))
    assert response.status_code == 400
    assert [str(error) for error in response.context["form"].errors["topic"]] == [
        "Choose a topic from the list: the one sent is not, or no longer, one we offer."]
    assert "Secret launch" not in response.text
    assert not Inquiry.objects.exists()
    assert not OutboundMail.objects.exists()


def test_a_category_withdrawn_while_the_form_was_open_is_refused(browser_client):
    browser_client.get(f"{FORM}?topic=products&category=packaging-materials")
    Category.objects.filter(slug="packaging-materials").update(published=False)
    response = browser_client.post(FORM, valid_post(topic="products:packaging-materials"))
    assert response.status_code == 400
    assert "topic" in response.context["form"].errors
    assert "Packaging materials" not in response.text
    assert not Inquiry.objects.exists()


@pytest.mark.usefixtures("deployment_page_cache")
def test_the_cached_form_is_one_page_per_category(client):
    packaging = client.get(f"{FORM}?topic=products&category=packaging-materials").text
    industrial = client.get(f"{FORM}?topic=products&category=industrial-supplies").text
    assert selected(packaging) == ("products:packaging-materials", "Packaging materials")
    assert selected(industrial) == ("products:industrial-supplies", "Industrial supplies")
    again, queries = request_queries(
        lambda: client.get(f"{FORM}?topic=products&category=packaging-materials"))
    assert selected(again.text) == ("products:packaging-materials", "Packaging materials")
    # From the cache, and so is the list of the categories the public may see: both
    # are kept for the content generation (pages/content_generation.py).
    assert queries == []
    assert selected(client.get(f"{FORM}?topic=products").text) == (
        "products", "Products in general")


def test_the_cached_form_follows_the_categories_publication(client):
    # Tests re-read the content generation at every request (a recheck of 0).
    assert "Secret launch" not in client.get(FORM).text
    category = hidden_category(published=False)
    assert "Secret launch" not in client.get(f"{FORM}?topic=products&category=secret-launch").text
    category.published = True
    category.save()
    assert ("products:secret-launch", "Secret launch line") in products_group(
        client.get(FORM).text)
    assert selected(client.get(f"{FORM}?topic=products&category=secret-launch").text) == (
        "products:secret-launch", "Secret launch line")
    Category.objects.filter(slug="secret-launch").update(published=False)
    html = client.get(f"{FORM}?topic=products&category=secret-launch").text
    assert selected(html) == ("products", "Products in general")
    assert "Secret launch" not in html


def test_the_database_keeps_a_category_to_the_topic_products():
    inquiry = InquiryFactory(topic=Topic.PRODUCTS, category="Packaging materials")
    with pytest.raises(IntegrityError, match="inquiry_category_only_with_products"), \
            transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE inquiries_inquiry SET topic = 'prices' WHERE id = %s",
                       [inquiry.pk])
    with pytest.raises(IntegrityError, match="inquiry_category_only_with_products"), \
            transaction.atomic():
        InquiryFactory(topic=Topic.SHIPPING, category="Packaging materials")
    InquiryFactory(topic=Topic.PRICES, category="")


def test_staff_see_the_category_on_the_inquiry_in_the_list_and_its_filter(admin_client):
    chosen = InquiryFactory(topic=Topic.PRODUCTS, category="Packaging materials")
    other = InquiryFactory(topic=Topic.PRODUCTS)
    page = admin_client.get(f"{LIST}{chosen.pk}/change/").text
    assert re.search(r"Product category:</label>\s*<div class=\"readonly\">Packaging "
                     r"materials</div>", page)
    listed = admin_client.get(LIST).text
    assert "Products: Packaging materials" in listed
    assert 'href="?category=Packaging+materials"' in listed
    filtered = admin_client.get(f"{LIST}?category=Packaging+materials").text
    assert chosen.reference in filtered
    assert other.reference not in filtered


def test_the_export_has_the_category(admin_client):
    chosen = InquiryFactory(topic=Topic.PRODUCTS, category="Packaging materials")
    response = admin_client.post(f"{LIST}export/")
    header, row = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    assert row[header.index("Reference")] == chosen.reference
    assert row[header.index("Topic")] == "Products"
    assert row[header.index("Product category")] == "Packaging materials"


def test_the_persons_copy_names_the_category():
    InquiryFactory(email="ana@example.com", topic=Topic.PRODUCTS, category="Packaging materials")
    sections = {section.title: section for section in registry.readable_copy("ana@example.com")}
    [request] = sections["Your requests"].records
    shown = {item.label: item.value for item in request}
    assert (shown["Topic"], shown["Product category"]) == ("Products", "Packaging materials")


def test_a_canned_reply_s_topic_names_the_category():
    reply = CannedReply(title="Catalogue", body="Our catalogue of {topic}.")
    inquiry = InquiryFactory(topic=Topic.PRODUCTS, category="Packaging materials")
    assert reply.filled_for(inquiry) == "Our catalogue of Products: Packaging materials."


@pytest.mark.parametrize(("query", "key"), [
    ("topic=products&category=packaging-materials", "products:packaging-materials"),
    ("topic=prices&category=packaging-materials", "prices"),
    ("topic=prices:packaging-materials", "prices"),
    ("topic=products&category=no-such-category", "products"),
])
def test_the_cache_keys_a_category_only_with_the_topic_products(query, key):
    from django.test import RequestFactory

    from inquiries.views import topic_chosen

    assert topic_chosen(RequestFactory().get(f"{FORM}?{query}")) == key
