"""Both public forms: shown with the notice, sent, stored once with the policy version,
the thank-you page with the reference, no cookie; every validation path."""

import re

import pytest
from django.core import signing

from communications.models import OutboundMail
from inquiries.models import Form, Inquiry, ReplyChannel, Status, Topic
from inquiries.views import thanks_url
from privacy.policy import current_version
from tests.inquiries.conftest import valid_post

pytestmark = pytest.mark.django_db

URLS = {"information": "/information-request/", "support": "/support-request/"}
REFERENCE = re.compile(r"RT-[2-9A-HJKMNP-Z]{6}")


def send(browser_client, form="information", *, follow=False, **changes):
    return browser_client.post(URLS[form], valid_post(form, **changes), follow=follow)


def field_errors(response, field):
    return [str(error) for error in response.context["form"].errors.get(field, [])]


@pytest.mark.parametrize("form", URLS)
def test_each_form_shows_its_fields_the_notice_and_no_cookie(client, form):
    response = client.get(URLS[form])
    html = response.text
    assert response.status_code == 200
    assert response.cookies == {}
    for name in ["name", "email", "phone", "reply_by", "company", "topic", "message",
                 "newsletter", "other_purposes", "form_token", "policy_version_shown", "website"]:
        assert f'name="{name}"' in html
    assert ('name="order_number"' in html) == (form == "support")
    version = current_version()
    assert f'href="{version.get_absolute_url()}"' in html
    assert "How we use what you send" in html
    # P3, P6: the optional choices start unticked.
    assert not re.search(r'<input[^>]*name="(newsletter|other_purposes)"[^>]*checked', html)


def test_the_honeypot_is_out_of_sight_and_out_of_reach(client):
    html = client.get(URLS["information"]).text
    trap = re.search(r'<div[^>]*class="form-trap"[^>]*>.*?</div>', html, flags=re.DOTALL)
    assert trap
    assert 'aria-hidden="true"' in trap.group(0)
    assert re.search(r'<input[^>]*name="website"[^>]*tabindex="-1"', trap.group(0))
    assert "style=" not in html


@pytest.mark.parametrize("form", URLS)
def test_a_request_is_stored_with_its_version_purpose_and_choices(browser_client, form):
    response = send(browser_client, form, newsletter="on")
    assert response.status_code == 302
    assert response.cookies == {}
    inquiry = Inquiry.objects.get()
    assert inquiry.purpose == form
    assert inquiry.policy_version == current_version()
    assert inquiry.newsletter is True
    assert inquiry.other_purposes is False
    assert inquiry.email == "ana.perez@example.com"
    assert inquiry.name == "Ana María O'Neil-Pérez"
    assert inquiry.status == Status.NEW
    assert REFERENCE.fullmatch(inquiry.reference)
    assert inquiry.order_number == ("SO-12345678" if form == "support" else "")


def test_the_thank_you_page_shows_the_reference_from_the_signed_address(browser_client):
    page = send(browser_client, follow=True)
    inquiry = Inquiry.objects.get()
    # Sent, the form leads (Post/Redirect/Get) to the signed address of its thank-you page.
    [(address, status)] = page.redirect_chain
    assert (address, status) == (thanks_url(inquiry), 302)
    assert page.status_code == 200
    assert page.cookies == {}
    assert inquiry.reference in page.text
    assert "by email" in page.text
    assert "2 working days" in page.text


def test_a_forged_thank_you_address_is_not_found(client):
    forged = signing.dumps({"reference": "RT-AAAAAA", "form": "support", "reply_by": "email"},
                           salt="another salt")
    assert client.get(f"/request-received/{forged}/").status_code == 404


def test_one_transaction_stores_the_acknowledgement_and_the_staff_notice(browser_client):
    send(browser_client, "support")
    inquiry = Inquiry.objects.get()
    acknowledgement = OutboundMail.objects.get(to="ana.perez@example.com")
    notice = OutboundMail.objects.get(to="support@roochi.com")
    assert inquiry.acknowledgement == acknowledgement
    assert inquiry.reference in acknowledgement.body
    assert "what would 40 tonnes" not in acknowledgement.body
    assert inquiry.reference in notice.body
    assert f"/admin/inquiries/inquiry/{inquiry.reference}/change/" in notice.body
    # The staff notice leaves personal data in the admin, not in a mailbox.
    for personal in ["Ana", "ana.perez", "what would 40 tonnes"]:
        assert personal not in notice.body


def test_the_information_notice_goes_to_its_own_address(browser_client, settings):
    settings.INQUIRY_INFORMATION_TO = "sales@roochi.com"
    send(browser_client, "information")
    assert OutboundMail.objects.filter(to="sales@roochi.com").count() == 1


def test_the_same_form_sent_twice_is_stored_once_and_thanks_twice(browser_client):
    data = valid_post()
    first = browser_client.post(URLS["information"], data)
    second = browser_client.post(URLS["information"], data)
    assert Inquiry.objects.count() == 1
    assert OutboundMail.objects.count() == 2
    # Both thank-you pages give the one reference (their signed addresses differ by
    # the second they were signed in, so the pages are compared, not the addresses).
    reference = Inquiry.objects.get().reference
    for answer in (first, second):
        assert reference in browser_client.get(answer.url).text


def test_a_phone_reply_stores_the_number_in_international_format(browser_client):
    send(browser_client, phone="(323) 722-5592", reply_by="phone")
    inquiry = Inquiry.objects.get()
    assert inquiry.phone == "+13237225592"
    assert inquiry.reply_by == ReplyChannel.PHONE


def test_a_foreign_number_with_its_country_code_is_accepted(browser_client):
    send(browser_client, phone="+44 20 7946 0958")
    assert Inquiry.objects.get().phone == "+442079460958"


@pytest.mark.parametrize("name", ["José Ñúñez", "Zoë d'Arcy", "李小龍", "Nguyễn Văn An",
                                  "Ólafur Ragnar-Grímsson", "محمد علي", "Dr. J. R. R. Tolkien"])
def test_names_in_any_script_are_accepted(browser_client, name):
    assert send(browser_client, name=name).status_code == 302
    assert Inquiry.objects.get().name == name


def test_control_characters_are_removed(browser_client):
    send(browser_client, name="Ana\x00 \u202ePérez\x07", company="Acme\x1b Ltd",
         message="Line one\x00\r\nLine two\x0c")
    inquiry = Inquiry.objects.get()
    assert inquiry.name == "Ana Pérez"
    assert inquiry.company == "Acme Ltd"
    assert inquiry.message == "Line one\r\nLine two"


# --- Every validation path: the error next to the field, in the summary, input kept --

INVALID = [
    ("name", {"name": ""}, "This field is required."),
    ("name", {"name": "R2-D2"}, "Enter your name in letters"),
    ("name", {"name": "!!!"}, "Enter your name in letters"),
    ("name", {"name": "A" * 201}, "at most 200 characters"),
    ("email", {"email": ""}, "This field is required."),
    ("email", {"email": "ana@"}, "Enter an email address like name@example.com."),
    ("email", {"email": "a" * 250 + "@example.com"}, "at most 254 characters"),
    ("phone", {"phone": "12"}, "Enter a phone number we can call"),
    ("phone", {"phone": "call me maybe"}, "Enter a phone number we can call"),
    ("phone", {"phone": "", "reply_by": "phone"}, "Enter a phone number so that we can call"),
    ("reply_by", {"reply_by": "pigeon"}, "Select a valid choice."),
    ("reply_by", {"reply_by": None}, "This field is required."),
    ("company", {"company": "C" * 201}, "at most 200 characters"),
    ("topic", {"topic": ""}, "This field is required."),
    ("topic", {"topic": "invoice"}, "Choose a topic from the list"),
    ("message", {"message": ""}, "This field is required."),
    ("message", {"message": "x" * 5001}, "at most 5000 characters"),
]


@pytest.mark.parametrize(("field", "changes", "message"), INVALID)
def test_each_invalid_value_is_explained_next_to_its_field_and_nothing_is_stored(
    browser_client, field, changes, message
):
    response = send(browser_client, **changes)
    assert response.status_code == 400
    assert any(message in error for error in field_errors(response, field))
    assert not Inquiry.objects.exists()
    assert not OutboundMail.objects.exists()
    assert response.cookies == {}
    html = response.text
    # In the summary at the top, linking to the field; next to the field, described.
    summary = html[html.index('id="error-summary"'):html.index("</div>", html.index(
        'id="error-summary"'))]
    field_id = "id_reply_by_0" if field == "reply_by" else f"id_{field}"
    assert f'href="#{field_id}"' in summary
    assert html.startswith("<!doctype html>")
    assert "<title>Error: Information request" in html


def test_the_error_is_tied_to_its_field_for_screen_readers(browser_client):
    html = send(browser_client, email="ana@").text
    input_tag = re.search(r'<input[^>]*name="email"[^>]*>', html).group(0)
    described_by = re.search(r'aria-describedby="([^"]+)"', input_tag).group(1)
    assert f'id="{described_by.split()[0]}"' in html
    assert 'aria-invalid="true"' in input_tag


def test_everything_typed_is_kept_when_the_form_is_shown_again(browser_client):
    response = send(browser_client, email="ana@", phone="(323) 722-5592", newsletter="on",
                    message="Keep <this> & that")
    html = response.text
    assert 'value="ana@"' in html
    assert 'value="Ana María O&#x27;Neil-Pérez"' in html
    assert 'value="(323) 722-5592"' in html
    assert 'value="Pérez Imports"' in html
    assert "Keep &lt;this&gt; &amp; that</textarea>" in html
    assert re.search(r'<option value="prices" selected>', html)
    assert re.search(r'<input[^>]*name="newsletter"[^>]*checked', html)


@pytest.mark.parametrize("order_number", ["12345", "so-1234567", "AB 1234567890", ""])
def test_support_order_numbers_in_the_printed_format_are_accepted(browser_client, order_number):
    assert send(browser_client, "support", order_number=order_number).status_code == 302
    assert Inquiry.objects.get().order_number == order_number.replace(" ", "").upper()


@pytest.mark.parametrize("order_number", ["1234", "ORDER-12345", "12345678901", "12-34-56"])
def test_an_order_number_in_another_format_is_explained(browser_client, order_number):
    response = send(browser_client, "support", order_number=order_number)
    assert field_errors(response, "order_number") == [
        "An order number looks like 12345678 or SO-12345678; you will find it on your order "
        "confirmation."]
    assert not Inquiry.objects.exists()


def test_the_support_form_offers_only_its_own_topics(client):
    html = client.get(URLS["support"]).text
    offered = set(re.findall(r'<option value="([^"]+)"', html))
    assert offered == {Topic.ORDER, Topic.DELIVERY, Topic.ACCOUNT, Topic.INVOICE, Topic.OTHER}


def test_a_form_from_before_a_policy_change_is_shown_again_with_the_new_notice(browser_client):
    response = send(browser_client, policy_version_shown=current_version().number + 1)
    assert "Our privacy policy changed" in response.text
    assert not Inquiry.objects.exists()


def test_an_expired_form_keeps_the_input(browser_client):
    response = send(browser_client, form_token="forged")
    assert response.status_code == 400
    assert "has expired" in response.text
    assert 'value="Pérez Imports"' in response.text


# --- Links to the forms ---------------------------------------------------------


def test_both_forms_are_in_the_navigation_the_contact_page_and_the_sitemap(client):
    home = client.get("/").text
    nav = re.search(r'<nav aria-label="Main">.*?</nav>', home, flags=re.DOTALL).group(0)
    contact = client.get("/contact/").text
    sitemap = client.get("/sitemap.xml").text
    for path in URLS.values():
        assert f'href="{path}"' in nav
        assert f'href="{path}"' in contact
        assert f"{path}</loc>" in sitemap
    support = client.get(URLS["support"]).text
    assert f'<a href="{URLS["support"]}" aria-current="page">' in support


def test_the_form_page_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    current_version()  # looked up once per process (privacy/policy.py)
    with django_assert_max_num_queries(1):  # the pages' content generation, for the cache
        first = client.get(URLS["support"])
    with django_assert_max_num_queries(1):
        again = client.get(URLS["support"])
    assert first.text.replace(token(first.text), "") == again.text.replace(token(again.text), "")
    assert token(first.text) != token(again.text)


def token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def test_purpose_names_the_form(browser_client):
    send(browser_client, "support")
    assert Inquiry.objects.get().get_purpose_display() == Form.SUPPORT.label


@pytest.mark.parametrize("form", ["information", "support"])
def test_the_message_limit_is_said_next_to_the_field(client, form):
    html = client.get(URLS[form]).text
    textarea = re.search(r"<textarea[^>]*name=\"message\"[^>]*>", html).group(0)
    assert 'maxlength="5000"' in textarea
    described_by = re.search(r'aria-describedby="([^"]+)"', textarea).group(1)
    assert re.search(rf'id="{described_by}"[^>]*>\s*Up to 5,000 characters\.', html)
