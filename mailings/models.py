"""Staff-written mailings: newsletter issues and service announcements. Both are
written, previewed, tested and sent the same way (mailings/admin.py); once sent, an
issue points at its communications.Mailing and never changes."""

import re
from typing import ClassVar

import markdown
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from communications.models import Mailing


def subject_on_one_line(value: str) -> None:
    if re.search(r"[\r\n]", value):
        raise ValidationError("A subject is one line.", code="subject_lines")


def body_fit_for_mail(value: str) -> None:
    html = markdown.markdown(value, extensions=["extra"])
    errors = []
    # The policy: no clear gifs. An image in a mail, even from our own site, is fetched
    # when the mail is opened and tells us when, where and whether it was read.
    if re.search(r"<img\b", html, re.IGNORECASE):
        errors.append(ValidationError(
            "A mail carries no images: the policy promises no clear gifs, and any image "
            "tells us when a mail is read. Link to a page of the site instead.",
            code="image_in_mail"))
    # A mail has no address of its own to complete "/shipping/" from.
    if any(not re.match(r"(https?://|mailto:)", href)
           for href in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', html, re.IGNORECASE)):
        errors.append(ValidationError(
            "Give each link its full address (https://…, or mailto:…): a link such as "
            "/shipping/ does not work in a mail.", code="relative_link_in_mail"))
    if errors:
        raise ValidationError(errors)


class StaffMailing(models.Model):
    """One message staff write to many people; sent once."""

    # The communications mailing kind it is sent as (registered in mailings/apps.py).
    kind: ClassVar[str]

    subject = models.CharField(max_length=200, validators=[subject_on_one_line])
    body = models.TextField(
        validators=[body_fit_for_mail],
        help_text="Markdown: paragraphs, **bold**, lists, [links](https://…). No images. "
        "The text part of the mail is this text as written; the HTML part is its Markdown.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Its recipients' figures (communications.mailings.mailing_progress); each mail's
    # content finds the text through it (mailing.serviceannouncement, cached).
    mailing = models.OneToOneField(Mailing, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="%(class)s", editable=False)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+", editable=False)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self._meta.verbose_name.capitalize()} {self.pk}"

    @property
    def is_sent(self) -> bool:
        return self.mailing_id is not None


class NewsletterIssue(StaffMailing):
    """Promotional: to confirmed subscribers the mail rule allows, each mail with a
    one-click unsubscribe (P6, RFC 8058)."""

    kind = "newsletter"

    class Meta(StaffMailing.Meta):
        verbose_name = "newsletter issue"


class ServiceAnnouncement(StaffMailing):
    """Strictly service-related (planned maintenance, say): to clients and people with
    open requests whatever their newsletter choice; no promotion (the policy's
    "Service Announcements")."""

    kind = "service-announcement"

    class Meta(StaffMailing.Meta):
        verbose_name = "service announcement"
