"""The newsletter's consent (P3, P6): each sign-up with the words the person was shown,
confirmed by a link sent to the address (double opt-in), and every opt-out with how
the person asked."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from communications.models import OutboundMail
from privacy.models.people import Person
from privacy.models.policy import CollectedSubmission


class NewsletterSource(models.TextChoices):
    """The form on which the person asked for the newsletter."""

    NEWSLETTER_SIGNUP = "newsletter-signup", "The newsletter sign-up page"
    INFORMATION_REQUEST = "information-request", "The Information Request form"
    SUPPORT_REQUEST = "support-request", "The Support form"


class OptOutChannel(models.TextChoices):
    """How the person told us to stop: every way the policy names (P6)."""

    LINK = "link", "The unsubscribe link in our mail"
    ONE_CLICK = "one-click", "The unsubscribe button of their mail program"
    REPLY = "reply", "A reply with “unsubscribe” in the subject"
    EMAIL = "email", "An email to our support"
    PHONE = "phone", "A phone call"
    PRIVACY_REQUEST = "privacy-request", "A privacy request"


# Channels where a staff member took the request and must say who they are.
STAFF_RECORDED_CHANNELS = frozenset({OptOutChannel.EMAIL, OptOutChannel.PHONE})


class NewsletterSubscriptionQuerySet(models.QuerySet):
    def awaiting_confirmation(self, at=None):
        """Sign-ups whose confirmation link still works."""
        return self.filter(status=NewsletterSubscription.Status.PENDING,
                           confirm_by__gte=at or timezone.now())

    def expired(self, at=None):
        """Sign-ups nobody confirmed before their link expired: purged."""
        return self.filter(status=NewsletterSubscription.Status.PENDING,
                           confirm_by__lt=at or timezone.now())

    def confirmed(self):
        return self.filter(status=NewsletterSubscription.Status.CONFIRMED)


class NewsletterSubscription(CollectedSubmission):
    """One request for the newsletter (``collected_at``: when it was asked) and its
    fate. Only a confirmed one makes the address a subscriber; an address has at
    most one pending and one confirmed at a time (constraints)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the person to confirm"
        CONFIRMED = "confirmed", "Confirmed"
        ENDED = "ended", "Ended"

    # Canonical. The subscription's own, so that a person who comes back after an
    # erasure (only a hash left on Person) can be sent the newsletter they asked for.
    email = models.EmailField()
    source = models.CharField("form", max_length=40, choices=NewsletterSource,
                              editable=False)
    # P3: the exact words next to the choice the person made.
    wording = models.TextField("words shown", editable=False)
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    # SHA-256 of the single-use confirmation token; emptied once used.
    token_digest = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    confirm_by = models.DateTimeField(editable=False)
    confirmation_mail = models.ForeignKey(
        OutboundMail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False,
    )
    # Set when the person confirms: a pending sign-up may have been typed by anyone.
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="newsletter_subscriptions", editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = NewsletterSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-collected_at"]
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=models.Q(status="pending"),
                                    name="newsletter_one_pending_per_address"),
            models.UniqueConstraint(fields=["email"], condition=models.Q(status="confirmed"),
                                    name="newsletter_one_confirmed_per_address"),
            models.CheckConstraint(
                condition=~models.Q(status="confirmed")
                | models.Q(confirmed_at__isnull=False, person__isnull=False),
                name="newsletter_confirmed_has_moment_and_person",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ended") | models.Q(ended_at__isnull=False),
                name="newsletter_ended_has_moment",
            ),
        ]

    def __str__(self):
        # Never the address: this text is copied into the admin's change log.
        return f"Newsletter subscription {self.pk} ({self.get_status_display().lower()})"


class OptOut(models.Model):
    """P6: one time the person told us to stop the newsletter or all our mail, how,
    when, and (by email or phone) which staff member recorded it."""

    class Scope(models.TextChoices):
        NEWSLETTER = "newsletter", "The newsletter and promotions"
        ALL = "all", "All communication"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="opt_outs",
                               editable=False)
    scope = models.CharField(max_length=20, choices=Scope)
    channel = models.CharField(max_length=20, choices=OptOutChannel)
    asked_at = models.DateTimeField("asked", default=timezone.now)
    recorded_at = models.DateTimeField("recorded", default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-asked_at", "-pk"]
        verbose_name = "opt-out"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(channel__in=sorted(STAFF_RECORDED_CHANNELS))
                | models.Q(recorded_by__isnull=False),
                name="opt_out_by_email_or_phone_names_staff",
            ),
        ]

    def __str__(self):
        return f"Opt-out {self.pk} ({self.get_channel_display().lower()})"
