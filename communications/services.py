"""Queue mail with what caused it; deliver it later, retrying from the database."""

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, Func, JSONField, OuterRef, Q
from django.utils import timezone

from communications.content import MailContent, mail_content_render, mail_html
from communications.delivery_rule import delivery_allowed
from communications.models import Mailing, OutboundMail, UndeliverableAddress
from roochi_site.email_address import email_canonical

logger = logging.getLogger(__name__)

# A mail whose delivery was cut off this many times (its worker killed, or a bug that
# fails the task) is given up rather than tried for ever: it may be what kills them.
MAIL_DELIVERY_RECOVERIES = 5


def mail_queue(
    *,
    to: str,
    subject: str,
    template_name: str,
    context: dict,
    category: OutboundMail.Category,
    purpose: str,
    answers_request_of: datetime | None = None,
    headers: dict[str, str] | None = None,
) -> OutboundMail:
    """Store a mail and its delivery task in the caller's transaction.

    The task row lives in the same database (django-tasks-db), so a mail and its
    delivery are committed together with what caused them, or not at all.
    """
    content = mail_content_render(subject=subject, template_name=template_name,
                                  context=context, headers=headers)
    with transaction.atomic(savepoint=False):
        [mail] = mails_store([mail_row(to=to, content=content, category=category,
                                       purpose=purpose, answers_request_of=answers_request_of)])
    return mail


def mail_row(*, to: str, content: MailContent, category: OutboundMail.Category, purpose: str,
             answers_request_of: datetime | None = None,
             mailing: Mailing | None = None) -> OutboundMail:
    """An unsaved mail: mails_store writes it with its delivery."""
    return OutboundMail(
        to=email_canonical(to), subject=content.subject, body=content.text,
        html_body=content.html, headers=content.headers,
        category=category, purpose=purpose, answers_request_of=answers_request_of,
        mailing=mailing,
    )


def mails_store(mails: list[OutboundMail], *, delivered_apart: bool = False,
                ) -> list[OutboundMail]:
    """Write mails and their delivery, in the caller's transaction: one task for all
    of them, the mails of one cause (a submission's acknowledgement and staff notice:
    one row to write, one task for a worker to take up), or with ``delivered_apart``
    one task each (a mailing's thousands, which several workers share and which would
    make one task run for longer than MAIL_DELIVERY_STALE_SECONDS)."""
    from communications.tasks import mails_deliver_task

    stored = OutboundMail.objects.bulk_create(mails)
    for group in ([[mail] for mail in stored] if delivered_apart else [stored]):
        mails_deliver_task.enqueue(mail_ids=[mail.pk for mail in group])
    return stored


def retry_delay(attempts: int) -> timedelta | None:
    """How long to wait before the next attempt, or None to give up."""
    delays = settings.MAIL_RETRY_DELAYS
    if attempts > len(delays):
        return None
    return timedelta(seconds=delays[attempts - 1])


def mails_deliver(*, mail_ids: list[int]) -> None:
    """One delivery attempt of each mail, each in a transaction of its own: a worker
    that dies between two leaves the first sent and the rest queued, which
    mail_delivery_recover finds and queues again one by one."""
    for mail_id in mail_ids:
        mail_deliver(mail_id=mail_id)


def mail_deliver(*, mail_id: int) -> OutboundMail | None:
    """One delivery attempt. Concurrent workers never send the same mail twice: the
    row stays locked for the attempt and others skip it."""
    from communications.tasks import mails_deliver_task

    with transaction.atomic():
        mail = (
            OutboundMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, status=OutboundMail.Status.QUEUED)
            .first()
        )
        if mail is None:
            return None
        if address_bounced_before(mail):
            mail.status = OutboundMail.Status.UNDELIVERABLE
            mail.save(update_fields=["status"])
            return mail
        # P6: checked at delivery, so a choice made after the mail was queued counts.
        if not delivery_allowed(mail):
            mail.status = OutboundMail.Status.SUPPRESSED
            mail.save(update_fields=["status"])
            return mail
        mail.attempts += 1
        try:
            message_send(mail)
        except (smtplib.SMTPException, OSError) as error:
            mail.last_error = f"{type(error).__name__}: {error}"[:500]
            delay = retry_delay(mail.attempts)
            if delay is None:
                mail.status = OutboundMail.Status.FAILED
                logger.error(  # noqa: TRY400 (the error is recorded on the row)
                    "Gave up on mail %s after %s attempts", mail.pk, mail.attempts
                )
            else:
                mails_deliver_task.using(run_after=timezone.now() + delay).enqueue(
                    mail_ids=[mail.pk])
        else:
            mail.status = OutboundMail.Status.SENT
            mail.sent_at = timezone.now()
            mail.last_error = ""
        mail.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return mail


# Mail the person asked for when the request it answers was made; the rest (a
# newsletter, an announcement) nobody asked for at the moment it goes.
UNASKED_CATEGORIES = {OutboundMail.Category.NEWSLETTER, OutboundMail.Category.SERVICE,
                      OutboundMail.Category.POLICY_CHANGE}


def address_bounced_before(mail: OutboundMail) -> bool:
    """Did mail to this address come back for good before the person asked for this
    one? Unasked mail never goes to a bounced address; a reply to a request made after
    the bounce does (the person may have mended their mailbox, and it costs one bounce,
    which marks the address again)."""
    bounce = UndeliverableAddress.objects.filter(email=mail.to).first()
    if bounce is None:
        return False
    if mail.category in UNASKED_CATEGORIES:
        return True
    return (mail.answers_request_of or mail.created_at) < bounce.marked_at


def address_reached(email: str) -> None:
    """The person followed a link we mailed to ``email`` (a sign-up's confirmation):
    mail reaches the address again, so a bounce recorded before holds back nothing
    from now on. Without this, unasked mail (the newsletter they just confirmed) would
    never go to an address that once bounced."""
    UndeliverableAddress.objects.filter(email=email_canonical(email)).delete()


def message_send(mail: OutboundMail) -> None:
    message = EmailMultiAlternatives(
        subject=mail.subject, body=mail.body, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to], headers={**mail.headers, "Message-ID": mail.message_id},
    )
    message.attach_alternative(mail_html(mail.body, mail.html_body), "text/html")
    message.send()


def mail_delivery_recover(*, stale_after: timedelta | None = None) -> list[int]:
    """Queue again the delivery of each waiting mail that no worker is delivering, and
    return their ids. "Nothing is lost" (DESIGN.md): a worker killed while it talked
    to the mail server leaves its mail queued and its task marked running for ever.

    A mail is taken up when it is still queued and none of the delivery tasks that
    name it (a task delivers the mails of one cause, mails_store) is ready or running
    for less than ``stale_after`` (MAIL_DELIVERY_STALE_SECONDS): after a crash between
    a task's first mail and its second, the first is sent and only the second is
    queued again, in a task of its own, so that a mail that kills its worker cuts off
    no other mail's delivery when it is tried again. Its row
    is locked with SKIP LOCKED: a delivery still under way holds that lock (a dead
    worker's lock went with its connection), so a slow live delivery is never doubled;
    and mail_deliver's own lock and status check make a second task for the same mail
    harmless. Safe to run from any number of workers at once.

    Reads django-tasks-db's table (the backend of settings.TASKS): the tasks framework
    has no query for "running since".
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from communications.tasks import mails_deliver_task

    if stale_after is None:
        stale_after = timedelta(seconds=settings.MAIL_DELIVERY_STALE_SECONDS)
    now = timezone.now()
    deliveries = DBTaskResult.objects.filter(task_path=mails_deliver_task.module_path)
    under_way = deliveries.filter(
        Q(status=TaskResultStatus.READY)
        | Q(status=TaskResultStatus.RUNNING, started_at__gt=now - stale_after),
        args_kwargs__kwargs__mail_ids__contains=Func(
            OuterRef("pk"), function="jsonb_build_array", output_field=JSONField()),
    )
    recovered = []
    with transaction.atomic():
        orphans = (
            OutboundMail.objects.select_for_update(skip_locked=True)
            .filter(status=OutboundMail.Status.QUEUED)
            .exclude(Exists(under_way))
            .order_by("pk")
        )
        for mail in orphans:
            mine = deliveries.filter(args_kwargs__kwargs__mail_ids__contains=[mail.pk])
            mine.filter(status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=now,
                traceback=f"No result after {stale_after}: the worker stopped. "
                          f"The delivery was queued again.",
            )
            if mine.filter(status=TaskResultStatus.FAILED).count() >= MAIL_DELIVERY_RECOVERIES:
                mail.status = OutboundMail.Status.FAILED
                mail.last_error = (f"Delivery cut off {MAIL_DELIVERY_RECOVERIES} times "
                                   f"(worker stopped or task failed); given up.")
                mail.save(update_fields=["status", "last_error"])
                logger.error("Gave up on mail %s: its delivery was cut off %s times",
                             mail.pk, MAIL_DELIVERY_RECOVERIES)
                continue
            mails_deliver_task.enqueue(mail_ids=[mail.pk])
            recovered.append(mail.pk)
    if recovered:
        logger.warning("Queued again the delivery of mail %s: no worker was delivering it",
                       ", ".join(map(str, recovered)))
    return recovered
