"""Where the inquiries app keeps personal data (see roochi_site/personal_data.py).

Erasure deletes: an inquiry exists only to answer one request ("for the specific
purpose of those forms"); once erased, nothing of it serves that purpose, and a
deleted row cannot leak through a column someone forgot to blank. Its timeline goes
with it (the database cascades; the declaration makes it explicit and findable).
"""

from inquiries.models import Inquiry, InquiryEvent, InquiryExport
from roochi_site.personal_data import Erasure, declare, not_personal

declare(
    InquiryEvent,
    # Replies as sent, phone-call summaries and internal notes are about the person
    # and often quote them.
    fields=("text",),
    person_lookup="inquiry__email",
    erasure=Erasure.DELETE,
)

declare(
    Inquiry,
    fields=("name", "email", "phone", "company", "order_number", "message"),
    person_lookup="email",
    erasure=Erasure.DELETE,
    # Deactivation stops every use beyond the request itself (P6, P8).
    deactivated_values={"newsletter": False, "other_purposes": False},
)

not_personal(
    InquiryExport,
    fields=("filters",),
    reason="Who exported how many rows and with which list filters; the search term, "
    "which could be a name, is never kept.",
)
