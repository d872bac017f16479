"""A customer's answer to our mail about their inquiry, taken from the support inbox
into the inquiry's timeline (registered with communications/inbox.py at ready())."""

import re

from django.db.models import Q

from communications.inbox import IncomingMessage, Routed
from communications.models import OutboundMail
from inquiries.models import Inquiry
from inquiries.services import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    inquiry_customer_message_add,
)
from privacy import registry

REFERENCE = re.compile(rf"\bRT-[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}\b", re.IGNORECASE)
# Longer than any letter a person writes; a longer message stays whole in the inbox.
TIMELINE_TEXT_LIMIT = 20_000


def inquiry_answered(message: IncomingMessage) -> Inquiry | None:
    """The inquiry a message answers: the one whose mail its In-Reply-To or References
    name (a Message-ID only that mail's readers know), or the one whose reference its
    subject gives, when it comes from that inquiry's own address: a reference is read
    out on the phone and written in subjects, so it alone lets nobody into a thread.
    A deactivated person's earlier inquiries are out of use and take nothing (P8)."""
    inquiries = registry.excluding_inactive(Inquiry.objects.all())
    if message.answers:
        mails = OutboundMail.objects.filter(message_id__in=message.answers)
        answered = inquiries.filter(
            Q(acknowledgement__in=mails) | Q(events__mail__in=mails)).distinct().first()
        if answered is not None:
            return answered
    references = {reference.upper() for reference in REFERENCE.findall(message.subject)}
    if not references or not message.sender:
        return None
    return inquiries.filter(reference__in=references, email=message.sender).first()


def inquiry_reply_route(message: IncomingMessage) -> Routed | None:
    inquiry = inquiry_answered(message)
    if inquiry is None:
        return None
    whole = not message.has_attachments and len(message.text) <= TIMELINE_TEXT_LIMIT
    event = inquiry_customer_message_add(
        inquiry=inquiry, sender=message.sender, text=message.text[:TIMELINE_TEXT_LIMIT],
        kept_in_inbox=not whole)
    return Routed(caused=event, leave_in_inbox=not whole)
