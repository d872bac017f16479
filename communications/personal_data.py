from communications.inbox import inbox_messages_erase, inbox_messages_from
from communications.models import InboundMessage, OutboundMail, UndeliverableAddress
from roochi_site.personal_data import Erasure, declare, declare_outside_store, not_personal

# The copy of what we sent: address and text (the headers name the address in their
# unsubscribe links). Erasure removes the whole row.
declare(
    OutboundMail,
    fields=("to", "subject", "body", "html_body", "headers", "last_error"),
    person_lookup="to",
    erasure=Erasure.DELETE,
    title="Messages we sent you",
    # The delivery error is ours to fix, not information about the person.
    copy_fields=("created_at", "to", "subject", "body", "status"),
    labels={"created_at": "Written", "to": "To"},
)

# An address our mail came back from: the person's, kept to stop mailing it.
declare(
    UndeliverableAddress,
    fields=("email",),
    person_lookup="email",
    erasure=Erasure.DELETE,
    title="Addresses our mail could not reach",
    copy_fields=("email", "marked_at", "status_code"),
    labels={"email": "Address", "marked_at": "Since", "status_code": "Reason (code)"},
)

not_personal(
    InboundMessage,
    fields=("message_hash", "route", "caused"),
    reason="A one-way hash of a message's Message-ID, the route that took it and the id "
    "of what it caused: no address, no text (the route keeps those, declared there).",
)

# What a person wrote to the support inbox that no route took stays there for staff
# (an IMAP folder): their own words, outside the database. Listed in their copy (when
# sent, subject, text), removed by an erasure (the registry's erase_person).
declare_outside_store(
    "communications.support_inbox",
    title="Messages you wrote to us, waiting in our inbox",
    items=inbox_messages_from,
    erase=inbox_messages_erase,
)
