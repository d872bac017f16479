"""Queue mail with what caused it; deliver it later, retrying from the database."""

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from communications.delivery_rule import delivery_allowed
from communications.models import OutboundMail
from roochi_site.company import company
from roochi_site.email_address import email_canonical

logger = logging.getLogger(__name__)


def mail_queue(
    *,
    to: str,
    subject: str,
    template_name: str,
    context: dict,
    category: OutboundMail.Category,
    purpose: str,
    answers_request_of: datetime | None = None,
) -> OutboundMail:
    """Store a mail and its delivery task in the caller's transaction.

    The task row lives in the same database (django-tasks-db), so a mail and its
    delivery are committed together with what caused them, or not at all.
    """
    from communications.tasks import mail_deliver_task

    body = render_to_string(
        template_name, {**context, "site_url": settings.SITE_URL, "company": company()}
    )
    with transaction.atomic(savepoint=False):
        mail = OutboundMail.objects.create(
            to=email_canonical(to), subject=subject, body=body.strip() + "\n", category=category,
            purpose=purpose, answers_request_of=answers_request_of,
        )
        mail_deliver_task.enqueue(mail_id=mail.pk)
    return mail


def retry_delay(attempts: int) -> timedelta | None:
    """How long to wait before the next attempt, or None to give up."""
    delays = settings.MAIL_RETRY_DELAYS
    if attempts > len(delays):
        return None
    return timedelta(seconds=delays[attempts - 1])


def mail_deliver(*, mail_id: int) -> OutboundMail | None:
    """One delivery attempt. Concurrent workers never send the same mail twice: the
    row stays locked for the attempt and others skip it."""
    from communications.tasks import mail_deliver_task

    with transaction.atomic():
        mail = (
            OutboundMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, status=OutboundMail.Status.QUEUED)
            .first()
        )
        if mail is None:
            return None
        # P6: checked at delivery, so a choice made after the mail was queued counts.
        if not delivery_allowed(mail):
            mail.status = OutboundMail.Status.SUPPRESSED
            mail.save(update_fields=["status"])
            return mail
        mail.attempts += 1
        try:
            EmailMessage(
                subject=mail.subject,
                body=mail.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[mail.to],
            ).send()
        except (smtplib.SMTPException, OSError) as error:
            mail.last_error = f"{type(error).__name__}: {error}"[:500]
            delay = retry_delay(mail.attempts)
            if delay is None:
                mail.status = OutboundMail.Status.FAILED
                logger.error(  # noqa: TRY400 (the error is recorded on the row)
                    "Gave up on mail %s after %s attempts", mail.pk, mail.attempts
                )
            else:
                mail_deliver_task.using(run_after=timezone.now() + delay).enqueue(mail_id=mail.pk)
        else:
            mail.status = OutboundMail.Status.SENT
            mail.sent_at = timezone.now()
            mail.last_error = ""
        mail.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return mail
