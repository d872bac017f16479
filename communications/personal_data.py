from communications.models import OutboundMail
from roochi_site.personal_data import Erasure, declare

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
