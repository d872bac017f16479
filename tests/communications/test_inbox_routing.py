"""The support inbox with one message of every kind, read twice: each goes where the
issue says, and the second run changes nothing."""

import pytest

from communications.models import InboundMessage, OutboundMail, UndeliverableAddress
from inquiries.models import InquiryEvent, Status
from inquiries.services import inquiry_reply_by_email
from privacy.models import Person
from tests.communications.inbox_messages import auto_reply, bounce, customer_mail
from tests.inquiries.conftest import InquiryFactory, StaffFactory

pytestmark = pytest.mark.usefixtures("committed_db")



def database_state() -> dict:
    return {
        "handled": sorted(InboundMessage.objects.values_list(
            "message_hash", "route", "disposition", "caused")),
        "events": sorted(InquiryEvent.objects.values_list("pk", "kind", "text")),
        "mails": sorted(OutboundMail.objects.values_list("pk", "to", "purpose")),
        "undeliverable": sorted(UndeliverableAddress.objects.values_list("email", "marked_at")),
        "people": sorted(Person.objects.values_list("email_hash", "newsletter_opt_out")),
    }


def test_the_inbox_read_twice_routes_each_message_once(inbox):
    by_reference = InquiryFactory(email="ana@example.com", status=Status.WAITING)
    by_thread = InquiryFactory(email="ben@example.com")
    reply = inquiry_reply_by_email(inquiry=by_thread, author=StaffFactory(), body="Which one?")
    inquiry_reply_by_email(inquiry=InquiryFactory(email="gone@example.com"),
                           author=StaffFactory(), body="Here are the prices.")

    inbox.deliver(customer_mail(sender="cleo@example.com", subject="Unsubscribe",
                                text="No more newsletters, please."))
    inbox.deliver(customer_mail(sender="ana@example.com",
                                subject=f"Re: Your request {by_reference.reference}",
                                text="Here is the order number: SO-12345678."))
    inbox.deliver(customer_mail(sender="ben@example.com", subject="Re: Your request",
                                text="The blue one.", in_reply_to=reply.mail.message_id,
                                references=reply.mail.message_id))
    inbox.deliver(auto_reply(sender="dan@example.com", subject="Your request"))
    inbox.deliver(bounce(recipient="gone@example.com"))
    inbox.deliver(customer_mail(sender="eve@example.com", subject="Do you ship to Fiji?",
                                text="We need 40 tonnes."))

    first = inbox.read()
    assert first.routes == {"unsubscribe": 1, "inquiry-reply": 2, "automatic": 1,
                            "bounce": 1, "for staff": 1}
    assert Person.objects.for_email("cleo@example.com").get().newsletter_opt_out
    assert OutboundMail.objects.filter(to="cleo@example.com",
                                       purpose="newsletter-unsubscribed-by-reply").count() == 1
    for inquiry, text in [(by_reference, "Here is the order number: SO-12345678."),
                          (by_thread, "The blue one.")]:
        [message] = inquiry.events.filter(kind=InquiryEvent.Kind.CUSTOMER_MESSAGE)
        assert message.text == text
        inquiry.refresh_from_db()
        assert inquiry.status == Status.OPEN
    assert UndeliverableAddress.objects.filter(email="gone@example.com").exists()
    # No answer to the robot; the robot's note and the question wait for staff.
    assert not OutboundMail.objects.filter(to="dan@example.com").exists()
    assert inbox.subjects() == ["Automatic reply: Your request", "Do you ship to Fiji?"]

    before = database_state()
    second = inbox.read()
    assert (second.read, second.known, second.routes) == (2, 2, {})
    assert database_state() == before
    assert inbox.subjects() == ["Automatic reply: Your request", "Do you ship to Fiji?"]
