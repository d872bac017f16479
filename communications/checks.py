from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility, deploy=True)
def inbox_configured(app_configs, **kwargs):
    """P6: the policy lets people opt out by replying "unsubscribe"; a deployment that
    reads no inbox would never hear them."""
    if settings.INBOX_IMAP_HOST or settings.INBOX_MAILDIR:
        return []
    return [checks.Warning(
        "No inbox is read: replies with \"unsubscribe\" and customers' answers to "
        "inquiries go unheard (P6).",
        hint="Set INBOX_IMAP_HOST, INBOX_IMAP_USER and INBOX_IMAP_PASSWORD (README.md).",
        id="communications.W001",
    )]
