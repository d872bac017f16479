from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q, QuerySet
from django.db.models.functions import Now
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import (
    WebAuthnAttestation,
    WebAuthnCredential,
    WebAuthnUserHandle,
)
from django_tasks_db.models import DBTaskResult

from privacy.models import (
    ClientProfile,
    Disclosure,
    NewsletterSubscription,
    ObtainedInformation,
    OptOut,
    Person,
    PolicyChoice,
    PolicySection,
    PolicyVersion,
    PrivacyRequest,
    PrivacyRequestEvent,
    Recipient,
)
from privacy.models.people import email_hash
from roochi_site.models import FieldChange
from roochi_site.personal_data import (
    Erasure,
    declarations,
    declare,
    not_personal,
    staff_data,
)

ERASED = "Erased at the person's request."

# The person's own row stays, holding only the keyed hash of the address: it proves
# the erasure was honoured and keeps them unsubscribed (P6, P8).
declare(
    Person,
    fields=("email",),
    person_lookup="email",
    erasure=Erasure.ANONYMISE,
    title="Your email address",
    copy_fields=("email", "created_at"),
    labels={"created_at": "First recorded"},
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
    title="Your client account",
    copy_fields=("company", "account_number", "created_at"),
    labels={"created_at": "Opened"},
)
# P9: the person's answers to versions that changed how their information is used.
declare(
    PolicyChoice,
    fields=(),
    person_lookup="person__email",
    erasure=Erasure.DELETE,
    title="Your choices about changes to our privacy policy",
    copy_fields=("version", "accepted", "decided_at"),
    labels={"version": "Privacy policy version", "accepted": "Accepted the new use",
            "decided_at": "When"},
)
# The request stays (its reference, kind, dates and the hash prove it was honoured).
declare(
    PrivacyRequest,
    fields=("email", "wrong", "should_be", "refusal_reason"),
    person_lookup="email",
    erasure=Erasure.ANONYMISE,
    title="Your privacy requests",
    copy_fields=("reference", "kind", "email", "wrong", "should_be", "status",
                 "refusal_reason"),
    labels={"kind": "What you asked", "refusal_reason": "Why we refused"},
    anonymised_values={"email": "", "wrong": "", "should_be": "",
                       "refusal_reason": "Erased at the person's request."},
)
declare(
    PrivacyRequestEvent,
    fields=("note",),
    person_lookup="request__email",
    erasure=Erasure.ANONYMISE,
    title="What happened to your privacy requests, and our staff's notes on them",
    copy_fields=("at", "action", "note"),
    labels={"at": "When", "action": "What", "note": "Note"},
    anonymised_values={"note": ""},
)
# P3, P6: the consent to the newsletter, with the words shown. An erasure deletes it
# (the person's own row keeps the hash and "no newsletter", which is all that keeps
# them unsubscribed). A deactivation leaves it: the mail rule sends nothing after the
# stop, and a person who comes back finds their choices as they left them.
declare(
    NewsletterSubscription,
    fields=("email",),
    person_lookup="email",
    erasure=Erasure.DELETE,
    title="The newsletter you asked for",
    copy_fields=("email", "source", "wording", "status", "confirmed_at", "ended_at"),
    labels={"source": "Asked on", "wording": "The words you were shown",
            "confirmed_at": "Confirmed", "ended_at": "Ended"},
)


def opt_out_rows(email: str) -> QuerySet:
    """By the hash: an opt-out may be recorded for a person who was erased before."""
    return OptOut.objects.filter(person__email_hash=email_hash(email))


declare(
    OptOut,
    fields=("note",),
    finder=opt_out_rows,
    erasure=Erasure.DELETE,
    title="When you told us to stop our mail",
    copy_fields=("asked_at", "scope", "channel", "note"),
    labels={"asked_at": "When", "scope": "What you stopped", "channel": "How you told us",
            "note": "Our staff's note"},
)
# P10: that a disclosure was made (to whom, when, why, on what basis) is kept, tied
# only to the hashed person; what was disclosed goes.
# The purpose is free text staff type about the person ("shipping order 1042 for Ana
# Pérez"): it goes too; the recipient, date and legal basis remain.
declare(
    Disclosure,
    fields=("purpose", "details"),
    person_lookup="person__email",
    erasure=Erasure.ANONYMISE,
    title="",
    copy_fields=(),  # the copy lists them in a part of their own (P10)
    anonymised_values={"purpose": ERASED, "details": ""},
)
declare(
    ObtainedInformation,
    fields=("purpose", "details"),
    person_lookup="person__email",
    erasure=Erasure.ANONYMISE,
    title="",
    copy_fields=(),  # the copy lists them in a part of their own (P10)
    anonymised_values={"purpose": ERASED, "details": ""},
)
# Django's own tables and installed packages' are covered like ours (P8).


def rows_about_the_persons_rows(model, *, type_field: str, id_field: str):
    """A finder for a table that points at any row (a content type and an id): its rows
    about the person's rows of every other declared model."""

    def finder(email: str) -> QuerySet:
        about = Q(pk__in=[])
        for declaration in declarations():
            if declaration.model in {LogEntry, FieldChange}:
                continue
            ids = [str(pk) for pk in declaration.rows_for(email).values_list("pk", flat=True)]
            if ids:
                about |= Q(**{type_field: ContentType.objects.get_for_model(declaration.model),
                              f"{id_field}__in": ids})
        return model.objects.filter(about)

    return finder


# Django admin's change log entries about any of the person's rows: they copy a row's
# text (its __str__) and the staff's change message.
admin_log_rows = rows_about_the_persons_rows(LogEntry, type_field="content_type",
                                             id_field="object_id")

declare(
    LogEntry,
    fields=("object_repr", "change_message"),
    finder=admin_log_rows,
    erasure=Erasure.ANONYMISE,
    # Staff's record of their own work; a model's text never names personal fields.
    title="",
    copy_fields=(),
    anonymised_values={"object_repr": ERASED, "change_message": ""},
)
# Who changed which field of the person's records, when (roochi_site/change_history.py):
# the values go, the fact of the change stays.
declare(
    FieldChange,
    fields=("old_value", "new_value"),
    finder=rows_about_the_persons_rows(FieldChange, type_field="content_type",
                                       id_field="object_id"),
    erasure=Erasure.ANONYMISE,
    title="",
    copy_fields=(),
    anonymised_values={"old_value": ERASED, "new_value": ERASED},
)
not_personal(
    FieldChange,
    fields=("object_id", "field"),
    reason="The id of the row and the name of the field that changed.",
)
not_personal(
    LogEntry,
    fields=("object_id",),
    reason="The id of the row that was changed, not anything about the person.",
)
# The staff's own accounts: the policy's promises of access and erasure are made to
# visitors and clients; a staff member's account is governed by their employment, and
# the access log (P7) must keep saying who looked at what.
staff_data(
    get_user_model(),
    fields=("username", "first_name", "last_name", "email"),
    about="each staff member's account: name, address, sign-in.",
    kept="While the person works for the company; then an administrator deactivates it. "
    "It is not deleted: the access record must keep saying who looked at what.",
)
not_personal(Group, fields=("name",), reason="The name of a staff role.")
for staff_device in (TOTPDevice, StaticDevice):
    staff_data(staff_device, fields=("name",),
               about="a staff member's second factor for signing in (its secret).",
               kept="Until the staff member sets up a new one, or a superuser deletes it.")
staff_data(WebAuthnCredential, fields=("name", "public_key", "credential_id"),
           about="a staff member's passkey for signing in (its public key, when last used).",
           kept="Until a superuser deletes it (a lost key), or the account is deleted.")
staff_data(WebAuthnAttestation, fields=("client_data_json",),
           about="what the staff member's passkey said of itself when it was registered.",
           kept="As long as its passkey.")
staff_data(WebAuthnUserHandle, fields=("handle_hex",),
           about="the random name a staff member's passkeys know their account by.",
           kept="As long as the account.")
not_personal(Permission, fields=("name", "codename"), reason="What a staff role may do.")
not_personal(
    Session,
    fields=("session_data",),
    reason="Staff sessions only: the public site sets no cookie and keeps no session (P1).",
)
not_personal(
    DBTaskResult,
    fields=("backend_name", "exception_class_path", "queue_name", "task_path", "traceback"),
    reason="Task bookkeeping. Tasks take row ids (a mail's id), never an address or a "
    "text, and mail delivery keeps its own errors on the mail, which is declared.",
)
not_personal(
    Recipient,
    fields=("name", "receives", "purpose"),
    reason="The register of companies and agencies we deal with, written by staff.",
)
not_personal(
    PolicyVersion,
    fields=("change_summary", "staff_notes"),
    reason="The published privacy policy, and staff's notes on its changes, written by staff.",
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
    NewsletterSubscription,
    fields=("wording",),
    reason="Our own words next to the sign-up, stored to prove what the person agreed to.",
)
not_personal(
    PrivacyRequest,
    fields=("email_hash",),
    reason="A keyed one-way hash: all that may remain after an erasure (P8).",
)
