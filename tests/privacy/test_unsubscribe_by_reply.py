"""P6: "replying to unsubscribe in the subject line" stops the newsletter; the sender
is told once, in the thread of their message, by an answer no robot should answer."""

from email import message_from_bytes

import pytest

from communications.models import OutboundMail
from privacy.models import OptOut, OptOutChannel, Person
from tests.communications.inbox_messages import auto_reply, customer_mail
from tests.conftest import text_of

pytestmark = pytest.mark.usefixtures("committed_db")

EMAIL = "ana.perez@example.com"




def confirmations() -> list[OutboundMail]:
    return list(OutboundMail.objects.filter(purpose="newsletter-unsubscribed-by-reply"))


def test_a_reply_with_unsubscribe_stops_the_newsletter_and_is_confirmed_once(
        inbox, smtp_server, run_tasks):
    raw = customer_mail(sender="Ana.Perez@Example.COM", subject="UNSUBSCRIBE",
                        text="Please take me off your list.")
    inbox.deliver(raw)
    assert inbox.read().routes == {"unsubscribe": 1}
    person = Person.objects.for_email(EMAIL).get()
    assert person.newsletter_opt_out
    assert not person.communication_opt_out
    assert OptOut.objects.get(person=person).channel == OptOutChannel.REPLY
    assert inbox.subjects() == []

    run_tasks()
    [confirmation] = smtp_server.messages
    assert confirmation["To"] == EMAIL
    assert "unsubscribe" not in confirmation["Subject"].lower()  # an echo starts no loop
    assert confirmation["Auto-Submitted"] == "auto-replied"
    theirs = message_from_bytes(raw)["Message-ID"]
    assert confirmation["In-Reply-To"] == confirmation["References"] == theirs
    assert f"{EMAIL} will receive no newsletter" in text_of(confirmation)

    inbox.read()  # the same inbox again: nothing new
    assert len(confirmations()) == 1


def test_the_same_message_delivered_twice_is_confirmed_once(inbox):
    raw = customer_mail(sender=EMAIL, subject="unsubscribe", text="")
    inbox.deliver(raw)
    inbox.deliver(raw)
    report = inbox.read()
    assert (report.routes, report.known) == ({"unsubscribe": 1}, 1)
    assert len(confirmations()) == 1
    assert inbox.subjects() == []


def test_many_unsubscribe_messages_in_someones_name_mail_them_once(inbox):
    """Anyone can write another's address in From: no flood through our answers."""
    for _ in range(3):
        inbox.deliver(customer_mail(sender=EMAIL, subject="unsubscribe", text="stop"))
    assert inbox.read().routes == {"unsubscribe": 3}
    assert len(confirmations()) == 1
    assert OptOut.objects.count() == 3


def test_an_automatic_message_saying_unsubscribe_is_never_answered(inbox):
    inbox.deliver(auto_reply(sender=EMAIL, subject="unsubscribe"))
    assert inbox.read().routes == {"automatic": 1}
    assert confirmations() == []
    assert not Person.objects.for_email(EMAIL).exists()


def test_a_person_who_stopped_all_mail_is_still_told(inbox, smtp_server, run_tasks):
    """The confirmation answers what they just asked (the mail rule's reply)."""
    person = Person(email=EMAIL)
    person.communication_opt_out_set(True)
    person.save()
    inbox.deliver(customer_mail(sender=EMAIL, subject="unsubscribe", text=""))
    inbox.read()
    run_tasks()
    assert [message["To"] for message in smtp_server.messages] == [EMAIL]
