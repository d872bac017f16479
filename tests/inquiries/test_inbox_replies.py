"""A customer's answer to our mail about their inquiry lands in its timeline as theirs
and reopens it; our mail keeps one thread in their mail program and brings their
answer to the support inbox."""

import pytest
from django.utils import timezone

from inquiries.models import InquiryEvent, Status
from inquiries.services import inquiry_change_status, inquiry_reply_by_email, inquiry_submit
from privacy.models import Person
from privacy.policy import current_version
from tests.communications.inbox_messages import auto_reply, customer_mail
from tests.inquiries.conftest import InquiryFactory, StaffFactory
from tests.staff import staff_sign_in

pytestmark = pytest.mark.usefixtures("committed_db")

EMAIL = "ana.perez@example.com"




def submitted():
    return inquiry_submit(
        purpose="support", name="Ana Pérez", email=EMAIL, phone="", reply_by="email",
        company="", topic="delivery", order_number="SO-12345678",
        message="Where is my crate?", newsletter=False, other_purposes=False,
        policy_version=current_version(), form_token="token", client_address="192.0.2.1")


def customer_messages(inquiry):
    return list(inquiry.events.filter(kind=InquiryEvent.Kind.CUSTOMER_MESSAGE))


def test_our_mail_keeps_one_thread_and_is_answered_to_the_support_inbox(smtp_server, run_tasks):
    inquiry = submitted()
    first = inquiry_reply_by_email(inquiry=inquiry, author=StaffFactory(), body="It left today.")
    second = inquiry_reply_by_email(inquiry=inquiry, author=StaffFactory(), body="It arrived.")
    run_tasks()
    sent = {message["Message-ID"]: message for message in smtp_server.messages
            if message["To"] == EMAIL}
    acknowledgement = sent[inquiry.acknowledgement.message_id]
    assert acknowledgement["Reply-To"] == "support@roochi.com"
    assert acknowledgement["In-Reply-To"] is None
    assert inquiry.reference in acknowledgement["Subject"]

    ack_id = inquiry.acknowledgement.message_id
    reply = sent[first.mail.message_id]
    assert reply["Reply-To"] == "support@roochi.com"
    assert reply["In-Reply-To"] == ack_id
    assert reply["References"] == ack_id
    assert inquiry.reference in reply["Subject"]
    later = sent[second.mail.message_id]
    assert later["In-Reply-To"] == first.mail.message_id
    assert later["References"].split() == [ack_id, first.mail.message_id]
    assert all(message_id.endswith("@127.0.0.1>") for message_id in sent)


def test_an_answer_by_in_reply_to_is_the_customers_message_and_reopens(inbox):
    inquiry = submitted()
    reply = inquiry_reply_by_email(inquiry=inquiry, author=StaffFactory(), body="Which crate?")
    inquiry.refresh_from_db()
    assert inquiry.status == Status.ANSWERED
    inbox.deliver(customer_mail(sender="Ana.Perez@EXAMPLE.com", subject="Re: crate",
                                text="The blue one, order SO-12345678.",
                                in_reply_to=reply.mail.message_id))
    assert inbox.read().routes == {"inquiry-reply": 1}
    [message] = customer_messages(inquiry)
    assert (message.sender, message.text) == (EMAIL, "The blue one, order SO-12345678.")
    assert message.author is None
    assert not message.kept_in_inbox
    inquiry.refresh_from_db()
    assert inquiry.status == Status.OPEN
    assert inbox.subjects() == []


def test_an_answer_by_reference_from_the_inquirys_own_address(inbox):
    inquiry = InquiryFactory(email=EMAIL, status=Status.WAITING)
    inbox.deliver(customer_mail(sender=EMAIL, subject=f"About {inquiry.reference.lower()}",
                                text="Here is the order number."))
    assert inbox.read().routes == {"inquiry-reply": 1}
    assert len(customer_messages(inquiry)) == 1
    inquiry.refresh_from_db()
    assert inquiry.status == Status.OPEN


def test_a_reference_from_another_address_is_left_for_staff(inbox):
    """Guessing or reading a reference must not let anyone write into a request."""
    inquiry = InquiryFactory(email=EMAIL)
    inbox.deliver(customer_mail(sender="mallory@example.net", subject=f"Re: {inquiry.reference}",
                                text="Please send the goods to my address instead."))
    assert inbox.read().routes == {"for staff": 1}
    assert customer_messages(inquiry) == []
    assert len(inbox.subjects()) == 1


def test_an_answer_to_a_closed_inquiry_reopens_it(inbox):
    inquiry = submitted()
    inquiry_change_status(inquiry=inquiry, status=Status.CLOSED, by=None)
    inbox.deliver(customer_mail(sender=EMAIL, subject="Re: request", text="It broke again.",
                                in_reply_to=inquiry.acknowledgement.message_id))
    inbox.read()
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.closed_at) == (Status.OPEN, None)
    assert inquiry.events.filter(kind=InquiryEvent.Kind.STATUS, change="Open").exists()


def test_an_answer_with_an_attachment_stays_in_the_inbox_too(inbox):
    inquiry = submitted()
    inbox.deliver(customer_mail(sender=EMAIL, subject=f"Photo {inquiry.reference}",
                                text="See the photo.", attachment=b"\xff\xd8\xff"))
    assert inbox.read().routes == {"inquiry-reply": 1}
    [message] = customer_messages(inquiry)
    assert message.kept_in_inbox
    assert len(inbox.subjects()) == 1
    inbox.read()  # considered once
    assert len(customer_messages(inquiry)) == 1


def test_an_out_of_office_answer_is_not_the_customers_message(inbox):
    inquiry = submitted()
    inbox.deliver(auto_reply(sender=EMAIL, subject=f"Re: {inquiry.reference}",
                             in_reply_to=inquiry.acknowledgement.message_id))
    assert inbox.read().routes == {"automatic": 1}
    assert customer_messages(inquiry) == []


def test_a_deactivated_persons_earlier_inquiry_takes_no_message(inbox):
    inquiry = submitted()
    Person.objects.create(email=EMAIL, status=Person.Status.DEACTIVATED,
                          status_changed_at=timezone.now())
    inbox.deliver(customer_mail(sender=EMAIL, subject=f"Re: {inquiry.reference}", text="Hi",
                                in_reply_to=inquiry.acknowledgement.message_id))
    assert inbox.read().routes == {"for staff": 1}
    assert customer_messages(inquiry) == []


def test_the_timeline_shows_the_customers_message(inbox, client):
    inquiry = submitted()
    inbox.deliver(customer_mail(sender=EMAIL, subject=f"Re: {inquiry.reference}",
                                text="The blue crate, please.",
                                in_reply_to=inquiry.acknowledgement.message_id))
    inbox.read()
    staff_sign_in(client, StaffFactory())
    page = client.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/").text
    assert "Message from the customer" in page
    assert "The blue crate, please." in page
    assert f'from <a href="mailto:{EMAIL}">' in page
