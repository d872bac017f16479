import calendar
import re
from datetime import timedelta

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from communications.models import OutboundMail
from privacy.models import CollectedSubmission


class Form(models.TextChoices):
    """The two forms the policy names, "for the specific purpose of those forms"."""

    INFORMATION = "information", "Information request"
    SUPPORT = "support", "Support request"


class Topic(models.TextChoices):
    PRODUCTS = "products", "Products"
    PRICES = "prices", "Prices"
    SHIPPING = "shipping", "Shipping"
    BECOMING_A_CLIENT = "becoming-a-client", "Becoming a client"
    ORDER = "order", "An order"
    DELIVERY = "delivery", "A delivery"
    ACCOUNT = "account", "My account"
    INVOICE = "invoice", "An invoice"
    OTHER = "other", "Something else"


TOPICS_BY_FORM = {
    Form.INFORMATION: [Topic.PRODUCTS, Topic.PRICES, Topic.SHIPPING, Topic.BECOMING_A_CLIENT,
                       Topic.OTHER],
    Form.SUPPORT: [Topic.ORDER, Topic.DELIVERY, Topic.ACCOUNT, Topic.INVOICE, Topic.OTHER],
}


class ReplyChannel(models.TextChoices):
    EMAIL = "email", "By email"
    PHONE = "phone", "By phone"


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    WAITING = "waiting", "Waiting for the customer"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


class InquiryQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Status.CLOSED)

    def awaiting_first_response(self):
        return self.open().filter(first_responded_at__isnull=True)

    def overdue(self, at=None):
        """Not answered yet, and the first-response deadline has passed."""
        return self.awaiting_first_response().filter(first_response_due__lt=at or timezone.now())

    def not_overdue(self, at=None):
        return self.exclude(pk__in=self.overdue(at).values("pk"))

    def due_today(self, at=None):
        """Not answered yet, not overdue, and due before the day ends (TIME_ZONE)."""
        now = at or timezone.now()
        return self.awaiting_first_response().filter(
            first_response_due__gte=now, first_response_due__lt=end_of_local_day(now))

    def past_retention(self, at=None):
        """Closed inquiries whose retention period is over (INQUIRY_RETENTION_MONTHS)."""
        cutoff = months_before(at or timezone.now(), settings.INQUIRY_RETENTION_MONTHS)
        return self.filter(status=Status.CLOSED, closed_at__lt=cutoff)


def end_of_local_day(moment):
    """The next local midnight (TIME_ZONE), the moment a day's deadlines are over."""
    local = timezone.localtime(moment)
    return (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def months_before(moment, months: int):
    """The same day and time `months` calendar months earlier (clamped to month end)."""
    year, month_index = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month_index + 1)[1])
    return moment.replace(year=year, month=month_index + 1, day=day)


class Inquiry(CollectedSubmission):
    """One request sent through the Information Request or the Support form.

    `purpose` (from CollectedSubmission) names the form. P3: the policy version the
    notice showed, when, which form, and the two optional choices, unticked by default.
    P5: how the person wants the reply.
    """

    purpose = models.CharField("form", max_length=40, choices=Form, editable=False)
    reference = models.CharField(max_length=9, editable=False)
    # SHA-256 of the form's signed token with the sender's address: the same form sent
    # twice (a double click, a reload) is one inquiry. The address is part of it
    # because the token records only when the form was shown, so two people shown
    # the form in the same millisecond hold the same token.
    submission_key = models.CharField(max_length=64, editable=False)

    name = models.CharField(max_length=200)
    email = models.EmailField(help_text="Stored in its canonical form.")
    phone = models.CharField(max_length=20, blank=True, help_text="International format.")
    reply_by = models.CharField("reply by", max_length=10, choices=ReplyChannel)
    company = models.CharField(max_length=200, blank=True)
    topic = models.CharField(max_length=20, choices=Topic)
    # The product category chosen with the topic Products, by its name when the
    # request was sent: renaming or deleting the category later changes nothing of
    # what the person asked about, and inquiries needs no key into pages.
    category = models.CharField("product category", max_length=200, blank=True,
                                editable=False)
    order_number = models.CharField(max_length=20, blank=True)
    message = models.TextField()
    newsletter = models.BooleanField(
        "wants the newsletter", default=False, editable=False
    )
    other_purposes = models.BooleanField(
        "details may be used for other purposes", default=False, editable=False
    )

    status = models.CharField(max_length=10, choices=Status, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_inquiries",
    )
    first_response_due = models.DateTimeField(editable=False)
    first_responded_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    acknowledgement = models.ForeignKey(
        OutboundMail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False,
    )
    # When the team was told that the first-reply deadline passed: told once, in the
    # transaction that queued the notice (inquiries_overdue_notify).
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "inquiries"
        ordering = ["-collected_at"]
        permissions = [("export_inquiry", "Can export inquiries to CSV")]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="inquiry_reference_unique"),
            models.UniqueConstraint(fields=["submission_key"], name="inquiry_submission_unique"),
            # P5: a phone reply needs a number to call.
            models.CheckConstraint(
                condition=Q(reply_by=ReplyChannel.EMAIL) | ~Q(phone=""),
                name="inquiry_phone_reply_has_phone",
            ),
            models.CheckConstraint(
                condition=Q(purpose=Form.INFORMATION,
                            topic__in=TOPICS_BY_FORM[Form.INFORMATION], order_number="")
                | Q(purpose=Form.SUPPORT, topic__in=TOPICS_BY_FORM[Form.SUPPORT]),
                name="inquiry_topic_belongs_to_its_form",
            ),
            models.CheckConstraint(
                condition=Q(category="") | Q(topic=Topic.PRODUCTS),
                name="inquiry_category_only_with_products",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.CLOSED, closed_at__isnull=False)
                | (~Q(status=Status.CLOSED) & Q(closed_at__isnull=True)),
                name="inquiry_closed_at_iff_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "first_response_due"]),
            models.Index(fields=["email"]),
        ]

    def __str__(self):
        return self.reference

    @property
    def topic_described(self) -> str:
        """The topic in words, with the product category when one was chosen."""
        if self.category:
            return f"{self.get_topic_display()}: {self.category}"
        return self.get_topic_display()

    @property
    def phone_display(self) -> str:
        """The stored E.164 number written the international way, for staff to dial."""
        if not self.phone:
            return ""
        number = phonenumbers.parse(self.phone)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

    @property
    def is_overdue(self) -> bool:
        return (
            self.first_responded_at is None
            and self.status != Status.CLOSED
            and self.first_response_due < timezone.now()
        )


class InquiryEvent(models.Model):
    """One line of an inquiry's timeline: a reply, a phone call, a note, a change."""

    class Kind(models.TextChoices):
        EMAIL_REPLY = "email-reply", "Reply by email"
        PHONE_REPLY = "phone-reply", "Reply by phone"
        NOTE = "note", "Internal note"
        STATUS = "status", "Status changed"
        ASSIGNMENT = "assignment", "Assigned"
        # Their mail to the support inbox, answering ours (communications/inbox.py).
        CUSTOMER_MESSAGE = "customer-message", "Message from the customer"
        # The signed link to the status page, mailed at the person's asking.
        STATUS_LINK = "status-link", "Status link sent"

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When it happened: for a phone reply, when the call took place.
    happened_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    # The reply as sent, the call's summary or the note: staff-written, but about the
    # person and often quoting them, so declared personal (inquiries/personal_data.py).
    text = models.TextField(blank=True)
    # For a status change or an assignment: what it became, in words.
    change = models.CharField(max_length=200, blank=True)
    # P5: staff replied on the other channel than the one the person asked for.
    against_preference = models.BooleanField(default=False)
    mail = models.ForeignKey(
        OutboundMail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # For a customer's message: the address it came from, canonical (someone the person
    # copied in may answer in the thread).
    sender = models.EmailField(blank=True)
    # For a customer's message: it had attachments or was too long for the timeline, so
    # the whole of it stays in the support inbox.
    kept_in_inbox = models.BooleanField(default=False)

    class Meta:
        ordering = ["happened_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.inquiry.reference})"


class OverdueDigest(models.Model):
    """The day's list of overdue inquiries sent to one form's team: at most one a day
    and form, whichever scheduler process gets there first (the unique constraint)."""

    day = models.DateField(help_text="In the staff's time zone.")
    purpose = models.CharField("form", max_length=40, choices=Form)
    inquiry_count = models.PositiveIntegerField()
    mail = models.ForeignKey(OutboundMail, null=True, on_delete=models.SET_NULL,
                             related_name="+")

    class Meta:
        ordering = ["-day", "purpose"]
        constraints = [models.UniqueConstraint(fields=["day", "purpose"],
                                               name="overdue_digest_once_a_day")]

    def __str__(self):
        return f"Overdue {self.purpose} inquiries on {self.day}"


class InquiryExport(models.Model):
    """P7: every CSV export of inquiries, by whom, when and how many rows."""

    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    exported_at = models.DateTimeField(default=timezone.now)
    row_count = models.PositiveIntegerField()
    # The list filters in force; a search term is not kept (it may be a person's name).
    filters = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-exported_at"]

    def __str__(self):
        return f"{self.row_count} rows by {self.exported_by} at {self.exported_at:%Y-%m-%d %H:%M}"


# A canned reply's placeholders: filled by plain substitution, never by a template
# engine or str.format, so staff text cannot reach any attribute or run anything.
PLACEHOLDERS = {"name": "the person's name", "reference": "the inquiry's reference",
                "topic": "the topic they chose (with the product category, if any)"}
PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")


def placeholders_known(value: str) -> None:
    unknown = sorted({name for name in PLACEHOLDER.findall(value) if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            "Unknown placeholder%(plural)s: %(unknown)s. Use %(known)s.",
            code="unknown_placeholder",
            params={"plural": "s" if len(unknown) > 1 else "",
                    "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                    "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)})


class CannedReply(models.Model):
    """A reply staff start from, filled in for one inquiry on its page and edited
    before it is sent. It holds no personal data: the placeholders are filled only
    in the reply box, and so in the sent mail and the inquiry's timeline."""

    title = models.CharField(max_length=200, unique=True,
                             help_text="What staff choose it by, in the list on an inquiry.")
    body = models.TextField(
        max_length=20000, validators=[placeholders_known],
        help_text="The reply's text, without greeting or signature (the mail adds them). "
        + "Placeholders: " + "; ".join(f"{{{name}}} for {meaning}"
                                       for name, meaning in PLACEHOLDERS.items()) + ".")
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "canned replies"

    def __str__(self):
        return self.title

    def filled_for(self, inquiry: Inquiry) -> str:
        values = {"name": inquiry.name, "reference": inquiry.reference,
                  "topic": inquiry.topic_described}
        return PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), self.body)
