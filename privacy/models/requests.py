"""A person's request to see, correct, delete or deactivate their data, or to stop
mail (P6, P8), and what staff did about it."""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Value, When
from django.utils import timezone

from communications.models import OutboundMail
from privacy.models.people import Person
from privacy.models.policy import CollectedSubmission


class PrivacyRequestQuerySet(models.QuerySet):
    def verified(self):
        """Only a verified request reaches staff."""
        return self.exclude(status=PrivacyRequest.Status.UNVERIFIED)

    @staticmethod
    def queue_order() -> list:
        """The staff queue's order: open requests first, soonest deadline (so overdue)
        first; then the closed ones, newest first."""
        return [Case(When(status=PrivacyRequest.Status.VERIFIED, then=Value(0)),
                     default=Value(1)).asc(),
                F("due_at").asc(nulls_last=True), "-verified_at"]

    def awaiting_confirmation(self, at=None):
        """Unverified requests whose link still works."""
        return self.filter(status=PrivacyRequest.Status.UNVERIFIED,
                           verify_by__gte=at or timezone.now())

    def expired(self, at=None):
        """Unverified requests whose link has expired: purged."""
        return self.filter(status=PrivacyRequest.Status.UNVERIFIED,
                           verify_by__lt=at or timezone.now())


class PrivacyRequest(CollectedSubmission):
    class Kind(models.TextChoices):
        COPY = "copy", "Send me a copy of the data you hold about me"
        CORRECT = "correct", "Correct or update something"
        DELETE = "delete", "Delete my data"
        DEACTIVATE = "deactivate", "Deactivate: stop all use and all contact"
        STOP_NEWSLETTER = "stop_newsletter", "Stop the newsletter"
        STOP_ALL = "stop_all", "Stop all communication"
        REACTIVATE = "reactivate", "Resume: use my data and contact me again after a deactivation"

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", "Waiting for the person to confirm"
        VERIFIED = "verified", "Open"
        COMPLETED = "completed", "Completed"
        REFUSED = "refused", "Refused"

    # P6: handled without staff, as soon as the person confirms.
    SELF_SERVICE = frozenset({Kind.STOP_NEWSLETTER, Kind.STOP_ALL, Kind.REACTIVATE})

    reference = models.CharField(max_length=20, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind)
    # Canonical; emptied by an erasure, when only the hash remains.
    email = models.EmailField(blank=True)
    email_hash = models.CharField(max_length=64, editable=False, db_index=True)
    wrong = models.TextField("what is wrong", blank=True)
    should_be = models.TextField("what it should be", blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.UNVERIFIED)
    # SHA-256 of the single-use verification token; emptied once used.
    token_digest = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    verify_by = models.DateTimeField(editable=False)
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    due_at = models.DateTimeField(null=True, blank=True, editable=False)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="requests", editable=False)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    refusal_reason = models.TextField(blank=True, editable=False)
    # When the privacy officer was reminded that the deadline is near: reminded once,
    # in the transaction that queued the reminder (privacy_requests_deadline_remind).
    deadline_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The mail that carried the confirmation link: purged with an unconfirmed request.
    confirmation_mail = models.ForeignKey(
        OutboundMail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False,
    )

    objects = PrivacyRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-collected_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="unverified")
                | models.Q(verified_at__isnull=False, due_at__isnull=False),
                name="verified_request_has_deadline",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="refused_request_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="correct") | ~models.Q(wrong="")
                | models.Q(email=""),
                name="correction_says_what_is_wrong",
            ),
        ]

    def __str__(self):
        # Never the address: this text is copied into the admin's change log.
        return f"{self.reference} ({self.get_kind_display().lower()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()


class PrivacyRequestEvent(models.Model):
    """The request's timeline: who did what, when (P8)."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        VERIFIED = "verified", "Confirmed by the person"
        ASSIGNED = "assigned", "Assigned"
        NOTE = "note", "Note"
        PREVIEWED = "previewed", "Data previewed"
        CORRECTED = "corrected", "Correction applied"
        ERASED = "erased", "Data erased"
        DEACTIVATED = "deactivated", "Person deactivated"
        COPY_SENT = "copy_sent", "Copy sent"
        OPTED_OUT = "opted_out", "Preference applied"
        REACTIVATED = "reactivated", "Person reactivated"
        COMPLETED = "completed", "Completed"
        REFUSED = "refused", "Refused"

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action)
    # Empty when the person or the site did it.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"
