from django.db.models.functions import Now

from privacy.models import (
    ClientProfile,
    Disclosure,
    ObtainedInformation,
    Person,
    PolicySection,
    PolicyVersion,
    PrivacyRequest,
    PrivacyRequestEvent,
    Recipient,
)
from roochi_site.personal_data import Erasure, declare, not_personal

# The person's own row stays, holding only the keyed hash of the address: it proves
# the erasure was honoured and keeps them unsubscribed (P6, P8).
declare(
    Person,
    fields=("email",),
    person_lookup="email",
    erasure=Erasure.ANONYMISE,
    anonymised_values={
        "email": None,
        "status": Person.Status.ERASED,
        "status_changed_at": Now(),
    },
    deactivated_values={"status": Person.Status.DEACTIVATED, "status_changed_at": Now()},
)
declare(
    ClientProfile,
    fields=("company", "account_number"),
    person_lookup="person__email",
    erasure=Erasure.DELETE,
)
# The request stays (its reference, kind, dates and the hash prove it was honoured).
declare(
    PrivacyRequest,
    fields=("email", "wrong", "should_be", "refusal_reason"),
    person_lookup="email",
    erasure=Erasure.ANONYMISE,
    anonymised_values={"email": "", "wrong": "", "should_be": "",
                       "refusal_reason": "Erased at the person's request."},
)
declare(
    PrivacyRequestEvent,
    fields=("note",),
    person_lookup="request__email",
    erasure=Erasure.ANONYMISE,
    anonymised_values={"note": ""},
)
# P10: that a disclosure was made (to whom, when, why, on what basis) is kept, tied
# only to the hashed person; what was disclosed goes.
declare(
    Disclosure,
    fields=("details",),
    person_lookup="person__email",
    erasure=Erasure.ANONYMISE,
    anonymised_values={"details": ""},
)
declare(
    ObtainedInformation,
    fields=("details",),
    person_lookup="person__email",
    erasure=Erasure.ANONYMISE,
    anonymised_values={"details": ""},
)
not_personal(
    Recipient,
    fields=("name", "receives", "purpose"),
    reason="The register of companies and agencies we deal with, written by staff.",
)
not_personal(
    PolicyVersion,
    fields=("change_summary",),
    reason="The published privacy policy, written by staff.",
)
not_personal(
    PolicySection,
    fields=("body",),
    reason="The published privacy policy, written by staff.",
)
not_personal(
    Person,
    fields=("email_hash",),
    reason="A keyed one-way hash: all that may remain after an erasure (P8).",
)
not_personal(
    PrivacyRequest,
    fields=("email_hash",),
    reason="A keyed one-way hash: all that may remain after an erasure (P8).",
)
