"""Handling an inquiry on its page: the reply box at the top beside the channel and the
conversation, canned replies filled in and edited, a preview of the mail exactly as
it is then sent, and the whole conversation in order."""

import html
import re

import pytest
from django.contrib.auth import get_user_model

from communications.models import OutboundMail
from inquiries.models import CannedReply, InquiryEvent, Status
from inquiries.services import inquiry_add_note, inquiry_reply_by_email, inquiry_submit
from privacy.policy import current_version
from tests.communications.inbox_messages import customer_mail
from tests.conftest import text_of
from tests.database import traces
from tests.inquiries.conftest import InquiryFactory, StaffFactory
from tests.staff import staff_sign_in

LIST = "/admin/inquiries/inquiry/"
EMAIL = "ana.perez@example.com"
CANNED = ("Thank you for asking about {topic}. Our price list for your request {reference} "
          "is attached to our website, {name}.")


def submitted():
    return inquiry_submit(
        purpose="information", name="Ana Pérez", email=EMAIL, phone="", reply_by="email",
        company="", topic="prices", order_number="",
        message="What would 40 tonnes of rice cost?\nShipped to Oakland.", newsletter=False,
        other_purposes=False, policy_version=current_version(), form_token="token",
        client_address="192.0.2.1")


def page(inquiry) -> str:
    return f"{LIST}{inquiry.pk}/change/"


def act_url(inquiry, action: str) -> str:
    return f"{LIST}{inquiry.pk}/act/{action}/"


def reply_box_text(page_html: str) -> str:
    return html.unescape(re.search(r'<textarea name="body"[^>]*>\n?(.*?)</textarea>', page_html,
                                   re.DOTALL)[1])


def preview_of(page_html: str) -> tuple[str, str]:
    subject = re.search(r'<td id="preview-subject">(.*?)</td>', page_html)[1]
    text = re.search(r'<pre class="inquiry-mail-text" id="preview-text">(.*?)</pre>', page_html,
                     re.DOTALL)[1]
    return html.unescape(subject), html.unescape(text)


@pytest.fixture
def replier(client):
    staff = StaffFactory(first_name="Bo", last_name="Li")
    staff_sign_in(client, staff)
    return client


@pytest.mark.usefixtures("committed_db")
def test_a_canned_reply_filled_previewed_and_sent_is_the_mail_the_person_gets(
        replier, smtp_server, run_tasks):
    inquiry = submitted()
    canned = CannedReply.objects.create(title="Price list", body=CANNED)

    chosen = replier.get(page(inquiry), {"canned_reply": canned.pk})
    filled = reply_box_text(chosen.text)
    assert filled == ("Thank you for asking about Prices. Our price list for your request "
                      f"{inquiry.reference} is attached to our website, Ana Pérez.")
    # The template keeps its placeholders; the person's name is nowhere but the page.
    canned.refresh_from_db()
    assert canned.body == CANNED

    edited = filled + "\nWe can ship from March."
    preview = replier.post(act_url(inquiry, "reply"), {"body": edited})
    assert preview.status_code == 200
    assert not OutboundMail.objects.filter(purpose__endswith="-reply").exists()
    subject, text = preview_of(preview.text)
    assert subject == f"Your request {inquiry.reference}"
    assert text.startswith("Hello Ana Pérez,\n\nThank you for asking about Prices.")
    assert "We can ship from March.\n\nKind regards,\nBo Li\nRoochi Traders" in text
    assert "you wrote:\n> What would 40 tonnes of rice cost?\n> Shipped to Oakland.\n" in text
    assert f'<td>{inquiry.acknowledgement.message_id.replace("<", "&lt;").replace(">", "&gt;")}' \
        in preview.text

    sent = replier.post(act_url(inquiry, "reply"), {"body": edited, "confirm": "yes"})
    assert sent.status_code == 302
    run_tasks()
    [message] = [message for message in smtp_server.messages
                 if message["Subject"] == subject]
    assert message["To"] == EMAIL
    # As the preview shows it; SMTP carries its lines ended by CRLF (RFC 5321).
    assert text_of(message).replace("\r\n", "\n") == text
    assert message["In-Reply-To"] == inquiry.acknowledgement.message_id
    assert message["References"] == inquiry.acknowledgement.message_id
    assert message["Reply-To"] == "support@roochi.com"
    event = InquiryEvent.objects.get(kind=InquiryEvent.Kind.EMAIL_REPLY)
    assert event.text == edited
    assert message["Message-ID"] == event.mail.message_id


@pytest.mark.django_db
def test_change_the_text_goes_back_to_the_reply_box_with_it_and_sends_nothing(replier):
    inquiry = InquiryFactory()
    back = replier.post(act_url(inquiry, "reply"), {"body": "Almost right", "edit": "Change"})
    assert back.status_code == 200
    assert reply_box_text(back.text) == "Almost right"
    assert 'id="preview-text"' not in back.text
    assert not OutboundMail.objects.exists()
    assert not InquiryEvent.objects.exists()


@pytest.mark.django_db
def test_an_empty_reply_is_not_previewed_or_sent(replier):
    inquiry = InquiryFactory()
    for data in ({"body": "  "}, {"body": "", "confirm": "yes"}):
        response = replier.post(act_url(inquiry, "reply"), data)
        assert response.status_code == 200
        assert "This field is required." in response.text
        assert 'id="preview-text"' not in response.text
    assert not OutboundMail.objects.exists()


@pytest.mark.django_db
def test_a_get_of_the_reply_address_goes_back_to_the_inquiry(replier):
    inquiry = InquiryFactory()
    response = replier.get(act_url(inquiry, "reply"))
    assert response.status_code == 302
    assert response["Location"] == page(inquiry)


@pytest.mark.django_db
@pytest.mark.parametrize("chosen", ["999999", "one", "", "1; drop table"])
def test_a_canned_reply_that_does_not_exist_leaves_the_box_empty_with_a_message(
        replier, chosen):
    CannedReply.objects.create(title="Hello", body="Hello.")
    response = replier.get(page(InquiryFactory()), {"canned_reply": chosen})
    assert response.status_code == 200
    assert reply_box_text(response.text) == ""
    assert "That canned reply no longer exists" in response.text or (
        chosen == "" and "This field is required." in response.text)


@pytest.mark.django_db
def test_the_reply_box_is_at_the_top_beside_the_channel_and_the_timeline(replier):
    CannedReply.objects.create(title="Price list", body=CANNED)
    text = replier.get(page(InquiryFactory())).text
    order = [text.index(marker) for marker in [
        'id="preferred-channel"', 'id="reply-box"', 'name="canned_reply"',
        'value="Preview the mail"', 'id="timeline"', "<h2 id=\"fieldset-0-0-heading\"",
        'id="action-note"', 'id="action-handling"']]
    assert order == sorted(order)


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "message"), [
    ("Dear {email}", "Unknown placeholder: {email}."),
    ("{name.__class__} and {0}", "Unknown placeholders: {0}, {name.__class__}."),
])
def test_a_canned_reply_with_an_unknown_placeholder_is_refused(client, body, message):
    staff_sign_in(client, get_user_model().objects.create_superuser("s", "s@roochi.com",
                                                                    "x" * 16))
    response = client.post("/admin/inquiries/cannedreply/add/", {"title": "T", "body": body})
    assert response.status_code == 200
    assert html.unescape(message) in html.unescape(response.text)
    assert not CannedReply.objects.exists()


@pytest.mark.django_db
def test_placeholders_are_replaced_as_text_only():
    inquiry = InquiryFactory(name="{reference} {{name}}")
    canned = CannedReply(title="T", body="{name}: {reference}, {topic}. {not closed")
    assert canned.filled_for(inquiry) == (
        f"{{reference}} {{{{name}}}}: {inquiry.reference}, Prices. {{not closed")


@pytest.mark.usefixtures("committed_db")
def test_a_customer_reply_from_the_inbox_joins_the_conversation_in_order(replier, inbox):
    inquiry = submitted()
    staff = get_user_model().objects.get(username__startswith="staff")
    reply = inquiry_reply_by_email(inquiry=inquiry, author=staff, body="Which port?")
    inbox.deliver(customer_mail(sender=EMAIL, subject=f"Re: Your request {inquiry.reference}",
                                text="Oakland, please.", in_reply_to=reply.mail.message_id))
    assert inbox.read().routes == {"inquiry-reply": 1}
    inquiry_add_note(inquiry=inquiry, author=staff, text="Ask the shipping desk.")
    inquiry.refresh_from_db()
    assert inquiry.status == Status.OPEN

    text = replier.get(page(inquiry)).text
    timeline = text[text.index('id="timeline"'):text.index("</ol>", text.index('id="timeline"'))]
    order = [timeline.index(marker) for marker in [
        "<strong>Received</strong>", "acknowledgement:", "What would 40 tonnes of rice cost?",
        "<strong>Reply by email</strong>", "Which port?",
        "<strong>Message from the customer</strong>", "Oakland, please.",
        "<strong>Status changed</strong>: Open", "<strong>Internal note</strong>",
        "Ask the shipping desk."]]
    assert order == sorted(order)


@pytest.mark.usefixtures("committed_db")
def test_the_filled_reply_leaves_no_trace_outside_the_mail_and_the_inquiry(replier):
    inquiry = submitted()
    canned = CannedReply.objects.create(title="Price list", body=CANNED)
    filled = reply_box_text(replier.get(page(inquiry), {"canned_reply": canned.pk}).text)
    replier.post(act_url(inquiry, "reply"), {"body": filled, "confirm": "yes"})
    found = {table for table, _column in traces("Ana Pérez")}
    assert found <= {"inquiries_inquiry", "inquiries_inquiryevent",
                          "communications_outboundmail"}, found
