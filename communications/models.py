from django.db import models

from communications.content import message_id_new


class Mailing(models.Model):
    """One message to many people. The app that owns it registers its kind
    (communications/mailings.py): who receives it and what each one is sent. A task
    writes one OutboundMail per recipient, in batches; a database constraint lets a
    mailing reach each address at most once, even when a batch runs again after its
    worker died."""

    kind = models.CharField(max_length=40, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Every recipient has a row: the audience was read to its end.
    prepared_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self):
        return f"Mailing {self.pk} ({self.kind})"


class OutboundMail(models.Model):
    """One message to one person, stored before any attempt to send it.

    The row is written in the same transaction as what caused it (an inquiry, a
    reply), so a mail is never lost; the task worker delivers it and retries from the
    database when the mail server fails.
    """

    class Category(models.TextChoices):
        """What the mail is, chosen where it is queued: the delivery rule (P5, P6)
        decides from this and the person's state whether it may go."""

        # Answers a request the person made: an acknowledgement, a staff reply.
        REPLY = "reply", "Reply to the person's own request"
        # About their privacy request: its confirmation link, received, done, refused.
        PRIVACY_REQUEST = "privacy_request", "About the person's privacy request"
        # To our own staff (a new inquiry's notice); holds no personal data.
        STAFF_NOTICE = "staff_notice", "Notice to our staff"
        # P6: strictly service-related; ignores only the newsletter choice.
        SERVICE = "service", "Service announcement"
        NEWSLETTER = "newsletter", "Newsletter or promotion"
        # P9: a material change of the privacy policy, with a choice.
        POLICY_CHANGE = "policy_change", "Privacy policy change"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed for good"
        SUPPRESSED = "suppressed", "Not sent: the person opted out"
        # Mail to this address came back for good (UndeliverableAddress).
        UNDELIVERABLE = "undeliverable", "Not sent: the address bounced"

    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # The mail's own HTML (a newsletter's Markdown), or empty: the text is then sent as
    # HTML too, made when it is sent (communications/content.py). Either way no remote
    # image, no link other than those in the text: nothing tells us it was read.
    html_body = models.TextField(blank=True)
    # On the site's own domain; a reply's In-Reply-To finds the mail it answers.
    message_id = models.CharField(max_length=250, unique=True, default=message_id_new,
                                  editable=False)
    # Further headers, as the cause set them: threading, Reply-To, List-Unsubscribe.
    headers = models.JSONField(default=dict, blank=True)
    mailing = models.ForeignKey(
        Mailing, null=True, blank=True, on_delete=models.CASCADE, related_name="mails",
        editable=False,
    )
    category = models.CharField(max_length=20, choices=Category)
    # For a reply: when the request it answers was made. A person who stopped all
    # communication and then asked again is answered about that request (P5, P6).
    answers_request_of = models.DateTimeField(null=True, blank=True)
    purpose = models.CharField(max_length=60, help_text="What the mail is for, e.g. inquiry-ack.")
    status = models.CharField(max_length=20, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "to"], condition=models.Q(mailing__isnull=False),
                name="mailing_reaches_an_address_once",
            ),
        ]

    def __str__(self):
        # Never the subject or address: this text is copied into the admin's change log.
        return f"Mail {self.pk} ({self.purpose})"


class UndeliverableAddress(models.Model):
    """An address our mail came back from for good (a bounce with a permanent failure,
    RFC 3464). Mail nobody asked for at that moment is no longer sent to it
    (communications.services.mail_deliver). The row goes when the person confirms a
    newsletter sign-up through a link mailed to it (address_reached), or when staff
    delete it because the person says the address works again."""

    # Canonical (roochi_site/email_address.py).
    email = models.EmailField(unique=True)
    marked_at = models.DateTimeField()
    # The status the receiving server gave, e.g. 5.1.1 (RFC 3463): no diagnostic text,
    # which often repeats the address.
    status_code = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-marked_at"]

    def __str__(self):
        # Never the address: this text is copied into the admin's change log.
        return f"Undeliverable address {self.pk}"


class InboundMessage(models.Model):
    """One message of the inbox the reader handled (communications/inbox.py): the
    record that makes reading the inbox twice change nothing. It keeps no address and
    no text; the route that took the message keeps what it needs (an inquiry's
    timeline holds the customer's words)."""

    class Disposition(models.TextChoices):
        # What it caused is committed; the message leaves the inbox.
        REMOVED = "removed", "Handled and removed from the inbox"
        # Left for staff to read in the inbox: nothing took it, or what took it needs
        # what only the inbox keeps (an attachment).
        LEFT = "left", "Left in the inbox for staff"

    # SHA-256 of the Message-ID header, or of the whole message when it has none.
    message_hash = models.CharField(max_length=64, unique=True, editable=False)
    handled_at = models.DateTimeField(auto_now_add=True)
    # The route that took it: "automatic", "bounce", "unsubscribe", "inquiry-reply";
    # "" when none did.
    route = models.CharField(max_length=40, blank=True)
    disposition = models.CharField(max_length=10, choices=Disposition)
    # What it caused, as "app_label.model:pk" (an inquiry's timeline event, an opt-out's
    # confirmation mail): a pointer, which outlives the row it names as a bare id.
    caused = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-handled_at"]

    def __str__(self):
        return f"Inbound message {self.pk} ({self.route or 'for staff'})"


class WorkerHeartbeat(models.Model):
    """When a task worker last said it was alive: one row, updated by every worker
    every TASK_WORKER_HEARTBEAT_SECONDS (one UPDATE), read by /health/."""

    beat_at = models.DateTimeField()

    def __str__(self):
        return f"Task worker heartbeat at {self.beat_at:%Y-%m-%d %H:%M:%S}"
