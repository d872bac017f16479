from django.db import models


class OutboundMail(models.Model):
    """One message to one person, stored before any attempt to send it.

    The row is written in the same transaction as what caused it (an inquiry, a
    reply), so a mail is never lost; the task worker delivers it and retries from the
    database when the mail server fails.
    """

    class Kind(models.TextChoices):
        # Answers something the person asked for: an acknowledgement, a reply.
        TRANSACTIONAL = "transactional", "Reply to the person's own request"
        # P6: strictly service-related; ignores only the newsletter choice.
        SERVICE = "service", "Service announcement"
        NEWSLETTER = "newsletter", "Newsletter or promotion"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed for good"
        SUPPRESSED = "suppressed", "Not sent: the person opted out"

    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind)
    purpose = models.CharField(max_length=60, help_text="What the mail is for, e.g. inquiry-ack.")
    status = models.CharField(max_length=20, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return self.subject
