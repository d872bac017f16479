"""The one rule that decides whether a mail may reach a person (P5, P6, P8), from the
mail's category and the person's state. The privacy app registers it with outbound mail
at start-up (communications/delivery_rule.py); every delivery asks it just before
sending, so a choice made after a mail was queued still counts. docs/decisions.md has
the rule in words; tests/privacy/test_mail_rule.py pins every cell.
"""

from datetime import datetime

from communications.models import OutboundMail
from privacy.models import Person
from privacy.services.newsletter import newsletter_confirmed_at

Category = OutboundMail.Category


def stopped_at(person: Person) -> datetime | None:
    """When the person stopped all contact (stop all communication, deactivation or
    erasure), or None while they accept mail beyond the newsletter choice. The database
    requires each stop to carry its moment (Person's constraints)."""
    moments = []
    if person.status != Person.Status.ACTIVE:
        moments.append(person.status_changed_at)
    if person.communication_opt_out:
        moments.append(person.communication_opt_out_at)
    return max(moments, default=None)


def mail_allowed(*, category: str, person: Person | None,
                 answers_request_of: datetime | None = None,
                 newsletter_confirmed_at: datetime | None = None) -> bool:
    """May mail of this category reach this person (None: we hold no record)?

    - Our own staff's notices and mail about the person's own privacy request always
      go: they asked for it on the request page (the confirmation link, received, done,
      refused), and without the link a deactivated person could never come back.
    - A reply to the person's own request goes, unless they stopped all contact before
      making that request: after a stop, only what they ask for afterwards reaches them.
      The newsletter's confirmation link is such a reply, to the sign-up.
    - The newsletter and promotions go only to a confirmed subscriber
      (``newsletter_confirmed_at``: when the address's subscription was confirmed) who
      has not refused it since, and not after a stop of all contact, unless they
      confirmed after that stop (it is what they asked for afterwards). With no record
      of the person, never: nobody confirmed.
    - Everything else stops when they stopped all contact. Service announcements ignore
      only the newsletter choice; a policy-change notice goes to those who accept
      communications.
    """
    if category in {Category.STAFF_NOTICE, Category.PRIVACY_REQUEST}:
        return True
    if category == Category.NEWSLETTER:
        return newsletter_allowed(person, newsletter_confirmed_at)
    if person is None:
        return True
    stop = stopped_at(person)
    if category == Category.REPLY:
        return stop is None or (answers_request_of is not None and answers_request_of > stop)
    if stop is not None:
        return False
    return category in {Category.SERVICE, Category.POLICY_CHANGE}


def newsletter_allowed(person: Person | None, confirmed_at: datetime | None) -> bool:
    if person is None or confirmed_at is None or person.newsletter_opt_out:
        return False
    stop = stopped_at(person)
    return stop is None or confirmed_at > stop


def outbound_mail_allowed(mail: OutboundMail) -> bool:
    """The rule as outbound mail asks it, for one stored mail."""
    return mail_allowed(
        category=mail.category,
        person=Person.objects.for_email(mail.to).first(),
        answers_request_of=mail.answers_request_of,
        newsletter_confirmed_at=newsletter_confirmed_at(mail.to)
        if mail.category == Category.NEWSLETTER else None,
    )


def contact_stopped_before(*, email: str, moment: datetime) -> datetime | None:
    """When the person with this address stopped all contact, if that was before
    ``moment`` (a request they made afterwards, which staff answer and nothing else)."""
    person = Person.objects.for_email(email).first()
    stop = stopped_at(person) if person else None
    return stop if stop is not None and stop < moment else None
