"""A person in every state the mail rule and the mailings' audiences tell apart, each
under an address that names the state."""

from datetime import timedelta

from django.utils import timezone

from privacy.models import ClientProfile, Person, PrivacyRequest
from privacy.models.people import email_hash
from privacy.policy import current_version


def address(state: str) -> str:
    return f"{state}@example.com"


def client(state: str, **choices) -> Person:
    person = Person.objects.create(email=address(state), **choices)
    ClientProfile.objects.create(person=person, company=f"{state} Ltd",
                                 account_number=f"ACC-{state}")
    return person


def stopped(person: Person, *, at=None) -> Person:
    person.communication_opt_out_set(True)
    if at is not None:
        person.communication_opt_out_at = at
    person.save()
    return person


def deactivated(person: Person) -> Person:
    person.status, person.status_changed_at = Person.Status.DEACTIVATED, timezone.now()
    person.save()
    return person


def erased(state: str) -> Person:
    return Person.objects.create(email_hash=email_hash(address(state)),
                                 status=Person.Status.ERASED,
                                 status_changed_at=timezone.now())


def privacy_request(state: str, *, status=PrivacyRequest.Status.VERIFIED) -> PrivacyRequest:
    now = timezone.now()
    verified = status != PrivacyRequest.Status.UNVERIFIED
    return PrivacyRequest.objects.create(
        reference=f"PR-{state[:14]}", kind=PrivacyRequest.Kind.COPY, email=address(state),
        email_hash=email_hash(address(state)), status=status,
        verify_by=now + timedelta(days=2), verified_at=now if verified else None,
        due_at=now + timedelta(days=30) if verified else None,
        closed_at=now if status == PrivacyRequest.Status.COMPLETED else None,
        policy_version=current_version(), purpose="privacy-request")


def clients_in_every_state() -> None:
    """Clients as the person's choices leave them; only ``client`` and
    ``client-no-newsletter`` accept communications."""
    client("client")
    client("client-no-newsletter", newsletter_opt_out=True)
    stopped(client("client-stopped-all"))
    deactivated(client("client-deactivated"))
    erased("erased")
    Person.objects.create(email=address("visitor"))


def subscribers_in_every_state() -> None:
    """Newsletter subscribers as their choices leave them; only ``subscriber`` and
    ``client-subscriber`` may get the newsletter."""
    from privacy.models import NewsletterSource, OptOutChannel
    from privacy.services.newsletter import (
        communication_stop,
        newsletter_signup_start,
        newsletter_unsubscribe,
    )
    from tests.privacy.newsletter.conftest import WORDING, subscribe

    subscribe(address("subscriber"))
    client("client-subscriber")
    subscribe(address("client-subscriber"))
    subscribe(address("subscriber-unsubscribed"))
    newsletter_unsubscribe(email=address("subscriber-unsubscribed"), channel=OptOutChannel.LINK)
    subscribe(address("subscriber-stopped-all"))
    communication_stop(email=address("subscriber-stopped-all"), channel=OptOutChannel.LINK)
    newsletter_signup_start(email=address("subscriber-unconfirmed"),
                            source=NewsletterSource.NEWSLETTER_SIGNUP, wording=WORDING,
                            policy_version=current_version())
