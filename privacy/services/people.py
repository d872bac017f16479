"""The person we hold data about, found or created by address, and the staff access
log (P7)."""

from django.db import transaction

from privacy.models import Person, StaffAccess
from privacy.models.people import email_hash
from roochi_site.email_address import email_canonical


def person_for_email(*, email: str) -> Person:
    """The person with this address, created (active) when we had no record."""
    with transaction.atomic():
        person = Person.objects.select_for_update().for_email(email).first()
        if person is None:
            person = Person.objects.create(email=email_canonical(email))
    return person


def staff_access_record(*, user, action: StaffAccess.Action, what: str,
                        email: str = "") -> StaffAccess:
    """P7: log that a staff member saw or exported personal data. Other apps call this
    from their admin views; whose data it was is kept as a hash only."""
    return StaffAccess.objects.create(
        user=user, action=action, what=what[:200],
        subject_hash=email_hash(email) if email else "",
    )
