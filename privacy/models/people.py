"""The person we hold data about (the data subject), found by their email address."""

import hashlib
import hmac

from django.conf import settings
from django.db import models
from django.utils import timezone

from roochi_site.email_address import email_canonical_or_lower


def email_hash(email: str) -> str:
    """A keyed one-way hash (HMAC-SHA256 with PERSON_HASH_KEY) of the normalised
    address. Without the key it cannot be matched to an address, even by guessing
    likely ones; with it, an erased person stays recognisable as unsubscribed (P6, P8)."""
    return hmac.new(
        settings.PERSON_HASH_KEY.encode(), email_canonical_or_lower(email).encode(), hashlib.sha256
    ).hexdigest()


class PersonQuerySet(models.QuerySet):
    def for_email(self, email: str):
        return self.filter(email_hash=email_hash(email))

    def deactivated(self):
        return self.filter(status=Person.Status.DEACTIVATED)

    def accepting_communications(self):
        """Not deactivated, erased, nor stopped all communication (P6): the people any
        mail beyond replies and privacy-request mail may reach."""
        return self.filter(status=Person.Status.ACTIVE, communication_opt_out=False)


class Person(models.Model):
    """One record per person we hold data about, keyed by the hash of their address.

    Visitors who only sent a form get nothing here beyond this row once they make a
    privacy request or a choice about mail; a profile is kept only for clients we
    serve (ClientProfile), as the policy promises ("Profile").
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        # P8: all use and all contact stopped; only a new verified request resumes it.
        DEACTIVATED = "deactivated", "Deactivated"
        # P8: only the hash remains.
        ERASED = "erased", "Erased"

    # Canonical (roochi_site/email_address.py); empty (NULL) once erased.
    email = models.EmailField(unique=True, null=True, blank=True)
    email_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=20, choices=Status, default=Status.ACTIVE)
    # P6: the person's own choices, honoured by every mailing.
    newsletter_opt_out = models.BooleanField(
        "no newsletter", default=False, help_text="No newsletter or promotional mail."
    )
    communication_opt_out = models.BooleanField(
        "no communication at all", default=False,
        help_text="No mail of any kind, service announcements included; only replies to "
        "requests the person makes afterwards.",
    )
    communication_opt_out_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="erased", email__isnull=True)
                | (~models.Q(status="erased") & models.Q(email__isnull=False)),
                name="person_erased_exactly_when_no_email",
            ),
            # The mail rule compares a stop's moment with later requests (P6).
            models.CheckConstraint(
                condition=models.Q(status="active") | models.Q(status_changed_at__isnull=False),
                name="person_status_change_has_moment",
            ),
            models.CheckConstraint(
                condition=models.Q(communication_opt_out=False)
                | models.Q(communication_opt_out_at__isnull=False),
                name="person_opt_out_has_moment",
            ),
        ]

    def __str__(self):
        # Never the address: this text is copied into the admin's change log.
        return f"Person {self.pk}"

    def save(self, *args, **kwargs):
        if self.email is not None:
            self.email = email_canonical_or_lower(self.email)
            self.email_hash = email_hash(self.email)
        super().save(*args, **kwargs)

    def communication_opt_out_set(self, opted_out: bool) -> None:
        """P6: stop (or resume) all mail, recording since when: after a stop only
        replies to requests the person makes later reach them."""
        if opted_out != self.communication_opt_out:
            self.communication_opt_out = opted_out
            self.communication_opt_out_at = timezone.now() if opted_out else None


class ClientProfile(models.Model):
    """Only for clients we serve ("We do not maintain any profile except for clients
    that we service"): created by staff, never by a form."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="client")
    company = models.CharField(max_length=200)
    account_number = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        # Never the account number: this text is copied into the admin's change log.
        return f"Client profile {self.pk}"
