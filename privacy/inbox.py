"""Opt-out by reply (P6): "replying to unsubscribe in the subject line" stops the
newsletter for the sender, who is told so once. Registered with the support inbox's
reader (communications/inbox.py) at ready(), before the reply to an inquiry: automatic
mail never reaches this route, so no robot is answered."""

import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from communications.inbox import IncomingMessage, Routed
from communications.models import OutboundMail
from communications.services import mail_queue
from privacy.models import OptOutChannel
from privacy.models.people import email_hash
from privacy.services.confirmations import confirmation_recently_sent
from privacy.services.newsletter import newsletter_unsubscribe
from roochi_site.company import company

UNSUBSCRIBE = re.compile("unsubscribe", re.IGNORECASE)
CONFIRMATION_PURPOSE = "newsletter-unsubscribed-by-reply"


def unsubscribe_route(message: IncomingMessage) -> Routed | None:
    if not UNSUBSCRIBE.search(message.subject) or not message.sender:
        return None
    now = timezone.now()
    with transaction.atomic():
        newsletter_unsubscribe(email=message.sender, channel=OptOutChannel.REPLY, asked_at=now)
        # Anyone can write another's address in a From header: an address is told at
        # most once per window, however many such messages arrive.
        if confirmation_recently_sent(
                address_hash=email_hash(message.sender),
                unused_links=OutboundMail.objects.filter(to=message.sender,
                                                         purpose=CONFIRMATION_PURPOSE),
                sent_field="created_at", now=now,
                hours=settings.INBOX_UNSUBSCRIBE_CONFIRMATION_WINDOW_HOURS):
            return Routed()
        return Routed(caused=unsubscribe_confirmation_queue(message, asked_at=now))


def unsubscribe_confirmation_queue(message: IncomingMessage, *, asked_at) -> OutboundMail:
    """RFC 3834: an automatic answer says so (Auto-Submitted), so that a well-behaved
    responder never answers it, and its subject does not say "unsubscribe", so that
    even a badly behaved one echoing it cannot start a loop."""
    headers = {"Auto-Submitted": "auto-replied", "Reply-To": company().support_email}
    if message.message_id:
        headers |= {"In-Reply-To": message.message_id, "References": message.message_id}
    return mail_queue(
        to=message.sender,
        subject="You will receive no more newsletters from us",
        template_name="privacy/mail/unsubscribed_by_reply.txt",
        context={"email": message.sender},
        # The answer to what the person just asked: it reaches them whatever they
        # chose before (the mail rule's reply).
        category=OutboundMail.Category.REPLY,
        purpose=CONFIRMATION_PURPOSE,
        answers_request_of=asked_at,
        headers=headers,
    )
