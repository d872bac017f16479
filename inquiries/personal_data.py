"""Where the inquiries app keeps personal data (see roochi_site/personal_data.py).

Erasure deletes: an inquiry exists only to answer one request ("for the specific
purpose of those forms"); once erased, nothing of it serves that purpose, and a
deleted row cannot leak through a column someone forgot to blank. Its timeline goes
with it (the database cascades; the declaration makes it explicit and findable).
"""

from django.db.models import Q

from inquiries.models import CannedReply, Inquiry, InquiryEvent, InquiryExport
from roochi_site.personal_data import Erasure, declare, not_personal


def timeline_rows(email: str):
    """The timeline of the person's inquiries, and the messages they wrote into
    someone else's thread (copied in, they answered it)."""
    return InquiryEvent.objects.filter(Q(inquiry__email=email) | Q(sender=email))


declare(
    InquiryEvent,
    # Replies as sent, phone-call summaries and internal notes are about the person
    # and often quote them; the customer's own messages are their words.
    fields=("text", "sender"),
    finder=timeline_rows,
    erasure=Erasure.DELETE,
    title="Your messages about your requests, and the replies, calls and notes of our staff",
    copy_fields=("kind", "happened_at", "sender", "text"),
    labels={"kind": "What", "happened_at": "When", "sender": "From", "text": "Text"},
)

declare(
    Inquiry,
    fields=("name", "email", "phone", "company", "order_number", "message"),
    person_lookup="email",
    erasure=Erasure.DELETE,
    title="Your requests",
    copy_fields=("reference", "purpose", "topic", "category", "name", "email", "phone",
                 "reply_by", "company", "order_number", "message", "newsletter",
                 "other_purposes", "status"),
    labels={"purpose": "Form", "category": "Product category", "reply_by": "Reply by",
            "newsletter": "Newsletter wanted",
            "other_purposes": "Use for other purposes allowed"},
    # Deactivation stops every use beyond the request itself (P6, P8).
    deactivated_values={"newsletter": False, "other_purposes": False},
)

not_personal(
    InquiryExport,
    fields=("filters",),
    reason="Who exported how many rows and with which list filters; the search term, "
    "which could be a name, is never kept.",
)

not_personal(
    CannedReply,
    fields=("title", "body"),
    reason="Staff-written reply templates; their placeholders are filled for one inquiry "
    "only in the reply box, so a person's name reaches only the sent mail and the timeline.",
)
