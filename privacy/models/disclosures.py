"""P10: who receives personal data from us, each disclosure about a person, and each
piece of information about them obtained from outside."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from privacy.models.people import Person


class LegalBasis(models.TextChoices):
    CONSENT = "consent", "The person's consent"
    CONTRACT = "contract", "Needed for a service the person asked for"
    LEGAL_OBLIGATION = "legal_obligation", "Required by law (court order, legal process)"
    LEGITIMATE_INTEREST = "legitimate_interest", "Our legitimate interest"


class RecipientQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(listed=True).order_by("kind", "name")


class Recipient(models.Model):
    """An outside party we disclose personal data to, or obtain it from."""

    class Kind(models.TextChoices):
        SHIPPING = "shipping", "Shipping company"
        SERVICE_PROVIDER = "service_provider", "Service providers"
        CREDIT_BUREAU = "credit_bureau", "Credit bureaus"
        AUTHORITY = "authority", "Courts and government agencies"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind)
    receives = models.TextField(help_text="What they receive, e.g. name and delivery address.")
    purpose = models.TextField(help_text="Why, in words for the public page.")
    listed = models.BooleanField(
        default=True, help_text="Shown on the public list of recipients."
    )

    objects = RecipientQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class DataExchange(models.Model):
    """What every record of personal data crossing our boundary keeps (P10): why, on
    what basis, what exactly, and which staff member recorded it when."""

    purpose = models.CharField(max_length=200, help_text="e.g. shipping order 1042, court order.")
    legal_basis = models.CharField(max_length=30, choices=LegalBasis)
    details = models.TextField(blank=True, help_text="What exactly was exchanged.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                    related_name="+", editable=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Disclosure(DataExchange):
    """Personal data about one person given to a recipient (P10)."""

    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="disclosures")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="disclosures")
    disclosed_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-disclosed_on", "-pk"]

    def __str__(self):
        return f"To {self.recipient} on {self.disclosed_on}"


class ObtainedInformation(DataExchange):
    """Information about one person obtained from outside: a credit check, a
    supplementation of what they gave us (P10)."""

    class Kind(models.TextChoices):
        CREDIT_CHECK = "credit_check", "Credit check"
        SUPPLEMENTATION = "supplementation", "Supplementation of information"

    source = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="obtained")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="obtained")
    kind = models.CharField(max_length=20, choices=Kind)
    obtained_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-obtained_on", "-pk"]
        verbose_name = "information obtained from outside"
        verbose_name_plural = "information obtained from outside"

    def __str__(self):
        return f"{self.get_kind_display()} from {self.source} on {self.obtained_on}"
