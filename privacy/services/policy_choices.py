"""P9: a version that changes how information is used is mailed, with a choice, to
everyone who opted to receive communications; the person accepts or declines through
a signed link, and whoever declines stays governed by the version their data was
collected under.

The mailing is a communications mailing of kind ``policy-change``, started by
``policy_version_publish`` in the same update that publishes the version, so each
version is mailed at most once (``PolicyVersion.change_mailing``).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from communications.content import MailContent, mail_content_render
from communications.models import Mailing
from privacy.models import Person, PolicyChoice, PolicyVersion
from privacy.models.people import email_hash
from privacy.services.newsletter import newsletter_subscribers

POLICY_CHANGE_KIND = "policy-change"
CHOICE_LINK_SALT = "privacy.policy-choice"


def policy_change_audience(mailing: Mailing) -> Iterator[str]:
    """Everyone who opted to receive communications (docs/decisions.md): active people
    who did not stop all communication and are clients we serve or subscribed to the
    newsletter. The mail rule still decides at delivery."""
    opted_in = Q(client__isnull=False) | Q(email__in=newsletter_subscribers())
    return (Person.objects.accepting_communications().filter(opted_in)
            .order_by("pk").values_list("email", flat=True).iterator())


def policy_choice_token(*, person: Person, version: PolicyVersion) -> str:
    # Ids only: the link names nobody, and works as long as the person's record does.
    return signing.dumps([person.pk, version.number], salt=CHOICE_LINK_SALT)


def policy_choice_url(*, person: Person, version: PolicyVersion) -> str:
    token = policy_choice_token(person=person, version=version)
    return settings.SITE_URL + reverse("privacy:policy_choice", args=[token])


@dataclass(frozen=True)
class ChoiceAsked:
    person: Person
    version: PolicyVersion
    # The version this one replaced, for the comparison link.
    previous: PolicyVersion | None

    @property
    def comparison_path(self) -> str:
        if self.previous is None:
            return self.version.get_absolute_url()
        return reverse("privacy:compare",
                       kwargs={"old": self.previous.number, "new": self.version.number})


def version_before(version: PolicyVersion) -> PolicyVersion | None:
    return (PolicyVersion.objects.published().filter(number__lt=version.number)
            .order_by("-number").first())


def policy_choice_asked(*, token: str) -> ChoiceAsked | None:
    """What a choice link asks, or None when it is forged, or its version asks no
    choice, or the person's record is deactivated or erased (they are never asked)."""
    try:
        person_pk, number = signing.loads(token, salt=CHOICE_LINK_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    version = PolicyVersion.objects.published().filter(number=number).first()
    person = Person.objects.filter(pk=person_pk, status=Person.Status.ACTIVE).first()
    if version is None or person is None or not version.asks_a_choice:
        return None
    return ChoiceAsked(person=person, version=version, previous=version_before(version))


def policy_choice_record(*, person: Person, version: PolicyVersion,
                         accepted: bool) -> PolicyChoice:
    """Record (or change) the person's answer to this version."""
    with transaction.atomic():
        choice, _ = PolicyChoice.objects.update_or_create(
            person=person, version=version,
            defaults={"accepted": accepted, "decided_at": timezone.now()})
    return choice


def policy_change_message(mailing: Mailing, address: str) -> MailContent:
    version = mailing.policy_version
    person = Person.objects.for_email(address).get()
    asked = ChoiceAsked(person=person, version=version, previous=version_before(version))
    return mail_content_render(
        subject=f"Our privacy policy changes: your choice (version {version.number})",
        template_name="privacy/mail/policy_change.txt",
        context={"version": version, "previous": asked.previous,
                 "comparison_url": settings.SITE_URL + asked.comparison_path,
                 "choice_url": policy_choice_url(person=person, version=version)},
    )


@dataclass(frozen=True)
class PolicyGoverning:
    """Which version governs data collected under ``collected_under``, given the
    person's choices on later versions (P9)."""

    version: PolicyVersion
    declined: list[PolicyVersion] = field(default_factory=list)

    def __str__(self) -> str:
        if not self.declined:
            return f"governed by version {self.version.number}"
        numbers = ", ".join(str(version.number) for version in self.declined)
        return f"governed by version {self.version.number} (declined version {numbers})"


def policy_governing(*, email: str, collected_under: PolicyVersion) -> PolicyGoverning:
    """The newest later version the person accepted governs; one they declined never
    does."""
    governing, declined = collected_under, []
    choices = (PolicyChoice.objects.filter(person__email_hash=email_hash(email),
                                           version__number__gt=collected_under.number)
               .select_related("version").order_by("version__number"))
    for choice in choices:
        if choice.accepted:
            governing = choice.version
        else:
            declined.append(choice.version)
    return PolicyGoverning(
        version=governing,
        declined=[version for version in declined if version.number > governing.number])
