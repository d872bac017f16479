"""The newsletter's consent and every opt-out the policy names (P3, P6).

Double opt-in: a sign-up (on the newsletter page, or the choice on an inquiry form)
stores what the person was shown and mails a link to the address; only the button
behind that link makes the address a subscriber. Stopping works for any address in
any spelling, subscribed or not, and each stop is recorded with how the person asked:
the link in every issue (a page, or the mail program's one-click button, RFC 8058), a
reply "unsubscribe" (RFC 2369's mailto), an email or a call that staff record, a
privacy request. THE mail rule (privacy/services/mail_rule.py) decides each delivery;
``newsletter_subscribers`` is the same rule as a query, for the mailing's audience.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from communications.models import OutboundMail
from communications.services import address_reached, mail_queue
from privacy.models import (
    NewsletterSource,
    NewsletterSubscription,
    OptOut,
    OptOutChannel,
    Person,
    PolicyVersion,
)
from privacy.models.newsletter import STAFF_RECORDED_CHANNELS
from privacy.models.people import email_hash
from privacy.services.confirmations import (
    confirmation_recently_sent,
    confirmation_token_new,
    token_digest,
    unconfirmed_purge,
)
from privacy.services.people import person_for_email
from roochi_site.company import company
from roochi_site.email_address import email_canonical
from roochi_site.submission_limit import submission_count_increment

__all__ = [
    "OptOutChannel",
    "newsletter_list_headers",
    "newsletter_signup_start",
    "newsletter_subscribers",
    "newsletter_unsubscribe",
    "newsletter_unsubscribe_url",
]

UNSUBSCRIBE_SALT = "privacy.newsletter-unsubscribe"
Status = NewsletterSubscription.Status


class OptOutError(ValueError):
    """An opt-out that cannot be recorded as given (staff see the message)."""


def newsletter_signup_start(*, email: str, source: str, wording: str,
                            policy_version: PolicyVersion) -> None:
    """Store the sign-up unconfirmed, with the words shown (P3), and mail its
    confirmation link, in the caller's transaction.

    At most one link per address per NEWSLETTER_CONFIRMATION_WINDOW_HOURS, however
    often and by whomever the address is typed (P6): while one is unused, nothing is
    stored or sent. Nothing here depends on whether we know the address or it is
    subscribed already (then confirming records the newer consent), so no page can
    tell anyone who subscribes. The mail is a reply to this request: it reaches a
    person who stopped all contact before, since they ask again now."""
    email = email_canonical(email)
    source = NewsletterSource(source)
    if not wording.strip():
        raise ValueError("The words the person was shown must be recorded (P3).")
    now = timezone.now()
    with transaction.atomic():
        # Only this address's expired sign-up, which would hold its place (one pending
        # sign-up an address): the rest go with the hourly purge_newsletter_signups.
        newsletter_signups_purge_expired(email=email)
        if confirmation_recently_sent(
                address_hash=email_hash(email),
                unused_links=NewsletterSubscription.objects.awaiting_confirmation(at=now)
                .filter(email=email),
                sent_field="collected_at",
                hours=settings.NEWSLETTER_CONFIRMATION_WINDOW_HOURS, now=now):
            return
        token, digest = confirmation_token_new()
        hours = settings.NEWSLETTER_CONFIRMATION_WINDOW_HOURS
        subscription = NewsletterSubscription(
            email=email, source=source, wording=wording.strip(), token_digest=digest,
            confirm_by=now + timedelta(hours=hours), policy_version=policy_version,
            collected_at=now, purpose="newsletter",
        )
        subscription.confirmation_mail = mail_queue(
            to=email,
            subject="Please confirm your subscription to the Roochi Traders newsletter",
            template_name="privacy/newsletter/mail/confirm.txt",
            context={"link": settings.SITE_URL + reverse("newsletter:confirm", args=[token]),
                     "hours": hours, "wording": subscription.wording},
            category=OutboundMail.Category.REPLY,
            purpose="newsletter-confirm",
            answers_request_of=now,
        )
        subscription.save(force_insert=True)


def newsletter_signup_submit(*, email: str, wording: str, policy_version: PolicyVersion,
                             client_address: str) -> None:
    """A sign-up on the newsletter page, under the per-client limit of every public
    form. Raises SubmissionLimitReachedError past it (nothing is stored)."""
    # Counted first and committed at once (roochi_site/submission_limit.py).
    submission_count_increment(scope="newsletter", client_address=client_address,
                               limit=settings.NEWSLETTER_SIGNUP_LIMIT_PER_HOUR)
    with transaction.atomic():
        newsletter_signup_start(email=email, source=NewsletterSource.NEWSLETTER_SIGNUP,
                                wording=wording, policy_version=policy_version)


def newsletter_signup_awaiting(*, token: str) -> NewsletterSubscription | None:
    """The unconfirmed, unexpired sign-up this link confirms, if any."""
    return NewsletterSubscription.objects.awaiting_confirmation().filter(
        token_digest=token_digest(token)).first()


def newsletter_signup_confirm(*, token: str) -> NewsletterSubscription | None:
    """Make the sign-up this single-use link belongs to the address's subscription;
    None when the link is unknown, used or expired.

    Confirming is the person's own, newest word: it ends an earlier opt-out of the
    newsletter and replaces an earlier subscription (the new consent is the one on
    record). After a stop of all communication or a deactivation, it brings back the
    newsletter and nothing else (the mail rule: what the person asks for afterwards)."""
    with transaction.atomic():
        subscription = NewsletterSubscription.objects.select_for_update().filter(
            pk=getattr(newsletter_signup_awaiting(token=token), "pk", None)).first()
        if subscription is None:
            return None
        now = timezone.now()
        person = person_for_email(email=subscription.email)
        Person.objects.filter(pk=person.pk).update(newsletter_opt_out=False)
        NewsletterSubscription.objects.confirmed().filter(email=subscription.email).update(
            status=Status.ENDED, ended_at=now)
        subscription.person = person
        subscription.status = Status.CONFIRMED
        subscription.confirmed_at = now
        subscription.token_digest = ""
        subscription.save()
        # The link came by mail to this address: it works, whatever bounced before.
        address_reached(subscription.email)
    return subscription


def newsletter_subscribers() -> Iterable[str]:
    """The canonical address of every subscriber the mail rule allows the newsletter:
    confirmed, not unsubscribed since, and not stopped from all contact (stop all
    communication, deactivation, erasure) unless they confirmed after that stop."""
    return (
        NewsletterSubscription.objects.confirmed()
        .filter(person__newsletter_opt_out=False)
        .filter(Q(person__status=Person.Status.ACTIVE)
                | Q(person__status_changed_at__lt=F("confirmed_at")))
        .filter(Q(person__communication_opt_out=False)
                | Q(person__communication_opt_out_at__lt=F("confirmed_at")))
        .order_by("email")
        .values_list("email", flat=True)
    )


def newsletter_confirmed_at(email: str) -> datetime | None:
    """When the address's current subscription was confirmed; None when it has none."""
    return NewsletterSubscription.objects.confirmed().filter(
        email=email_canonical(email)).values_list("confirmed_at", flat=True).first()


def opt_out_record(*, email: str, scope: str, channel: str, recorded_by=None, note: str = "",
                   asked_at: datetime | None = None) -> OptOut:
    """P6: stop the newsletter (scope NEWSLETTER) or all mail (scope ALL) for this
    address, in any spelling, creating the person's record when we had none so that a
    later mailing honours it; the newsletter's subscriptions end either way."""
    channel = OptOutChannel(channel)
    if channel in STAFF_RECORDED_CHANNELS and recorded_by is None:
        raise OptOutError("An opt-out by email or phone names the staff member who took it.")
    now = timezone.now()
    if asked_at is not None and asked_at > now:
        raise OptOutError("An opt-out cannot be asked for in the future.")
    with transaction.atomic():
        email = email_canonical(email)
        person = Person.objects.select_for_update().get(pk=person_for_email(email=email).pk)
        person.newsletter_opt_out = True
        if scope == OptOut.Scope.ALL:
            person.communication_opt_out_set(True)
        person.save()
        NewsletterSubscription.objects.filter(
            email=email, status__in=[Status.PENDING, Status.CONFIRMED]
        ).update(status=Status.ENDED, ended_at=now, token_digest="")
        return OptOut.objects.create(
            person=person, scope=OptOut.Scope(scope), channel=channel,
            asked_at=asked_at or now, recorded_at=now, recorded_by=recorded_by, note=note,
        )


def newsletter_unsubscribe(*, email: str, channel: str, recorded_by=None, note: str = "",
                           asked_at: datetime | None = None) -> None:
    """Stop the newsletter and promotions for this address (P6), recorded with the
    channel, the moment and, for an email or a call, the staff member who took it."""
    opt_out_record(email=email, scope=OptOut.Scope.NEWSLETTER, channel=channel,
                   recorded_by=recorded_by, note=note, asked_at=asked_at)


def communication_stop(*, email: str, channel: str, recorded_by=None, note: str = "",
                       asked_at: datetime | None = None) -> None:
    """Stop all mail for this address (P6), the newsletter included, recorded alike."""
    opt_out_record(email=email, scope=OptOut.Scope.ALL, channel=channel,
                   recorded_by=recorded_by, note=note, asked_at=asked_at)


def newsletter_unsubscribe_token(email: str) -> str:
    return signing.dumps(email_canonical(email), salt=UNSUBSCRIBE_SALT)


def newsletter_unsubscribe_address(token: str) -> str | None:
    """The address an unsubscribe link was made for; None when it was altered."""
    try:
        email = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return email if isinstance(email, str) else None


def newsletter_unsubscribe_url(email: str) -> str:
    """The absolute link that stops the newsletter for this address. It carries the
    address signed under its own salt (it cannot be altered, nor used as another
    signed value of the site), and has no expiry: an old issue's link still works."""
    return settings.SITE_URL + reverse("newsletter:unsubscribe",
                                       args=[newsletter_unsubscribe_token(email)])


def newsletter_list_headers(email: str) -> dict[str, str]:
    """The unsubscribe headers of a newsletter mail to this address: RFC 2369's
    List-Unsubscribe with our link and a mailto the inbox reader honours, and RFC
    8058's List-Unsubscribe-Post, which lets a mail program unsubscribe with one POST
    to the link (it needs the link in HTTPS and the mail DKIM-signed over both)."""
    mailto = f"mailto:{company().support_email}?subject=unsubscribe"
    return {
        "List-Unsubscribe": f"<{newsletter_unsubscribe_url(email)}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def newsletter_signups_purge_expired(*, dry_run: bool = False,
                                     email: str | None = None) -> dict[str, int]:
    """Sign-ups nobody confirmed before their link expired go (of one address, with
    ``email``), with the mail that carried the link: the address may have been typed
    by someone else (P8)."""
    expired = NewsletterSubscription.objects.expired()
    if email is not None:
        expired = expired.filter(email=email)
    return unconfirmed_purge(expired, dry_run=dry_run)
