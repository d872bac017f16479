"""The person's choices about mail (P6) and the staff access log (P7), as services."""

from django.db import transaction

from privacy.models import Person, StaffAccess
from privacy.models.people import email_hash, email_normalise

# Mail that answers the person's own privacy request (its confirmation link, that it
# was received, done or refused) is the one kind that still reaches someone who is
# deactivated, erased or opted out of everything: they asked for it on the request
# page, and without the confirmation link a deactivated person could never come back.
PRIVACY_REQUEST_MAIL_PREFIX = "privacy-request-"


def person_for_email(*, email: str) -> Person:
    """The person with this address, created (active) when we had no record."""
    with transaction.atomic():
        person = Person.objects.select_for_update().for_email(email).first()
        if person is None:
            person = Person.objects.create(email=email_normalise(email))
    return person


def mail_allowed(*, to: str, kind: str, purpose: str) -> bool:
    """P6: may this mail reach its address? Checked at delivery, so a choice made
    after a mail was queued still stops it."""
    if kind == "transactional" and purpose.startswith(PRIVACY_REQUEST_MAIL_PREFIX):
        return True
    person = Person.objects.for_email(to).first()
    return person is None or person.accepts(kind)


def staff_access_record(*, user, action: StaffAccess.Action, what: str,
                        email: str = "") -> StaffAccess:
    """P7: log that a staff member saw or exported personal data. Other apps call this
    from their admin views; whose data it was is kept as a hash only."""
    return StaffAccess.objects.create(
        user=user, action=action, what=what[:200],
        subject_hash=email_hash(email) if email else "",
    )
