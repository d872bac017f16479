"""One message to many people: a newsletter issue, a service announcement, a
policy-change notice. The app that owns a kind of mailing registers it at ``ready()``
with who receives it and what each recipient is sent; this module writes the mails.

A mailing is prepared by a task, in batches: each batch is one transaction that
writes its recipients' mails and their delivery tasks. A worker that dies mid-batch
leaves nothing of that batch; the task runs again (communications/task_recovery.py)
and goes on from the recipients that already have a mail. The database constraint
``mailing_reaches_an_address_once`` is the last word: two preparations at once still
cannot mail anyone twice.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from communications.content import MailContent
from communications.models import Mailing, OutboundMail
from communications.services import mail_row, mails_store
from roochi_site.email_address import email_canonical

# Recipients written per transaction: large enough to be quick, small enough that a
# batch cut off by a dead worker is cheap to write again.
MAILING_BATCH_SIZE = 200


@dataclass(frozen=True)
class MailingKind:
    category: OutboundMail.Category
    # Every address the mailing should reach, in any spelling (each is mailed once).
    audience: Callable[[Mailing], Iterable[str]]
    # What one address is sent.
    message: Callable[[Mailing, str], MailContent]


_kinds: dict[str, MailingKind] = {}


def mailing_kind_register(name: str, *, category: OutboundMail.Category,
                          audience: Callable[[Mailing], Iterable[str]],
                          message: Callable[[Mailing, str], MailContent]) -> None:
    _kinds[name] = MailingKind(category=category, audience=audience, message=message)


def mailing_kind(name: str) -> MailingKind:
    try:
        return _kinds[name]
    except KeyError:
        raise ImproperlyConfigured(f"No mailing kind {name!r} is registered.") from None


def mailing_start(*, kind: str) -> Mailing:
    """Create a mailing and the task that prepares it, in the caller's transaction."""
    from communications.tasks import mailing_prepare_task

    mailing_kind(kind)
    with transaction.atomic(savepoint=False):
        mailing = Mailing.objects.create(kind=kind)
        mailing_prepare_task.enqueue(mailing_id=mailing.pk)
    return mailing


def mailing_prepare(*, mailing_id: int, batch_size: int = MAILING_BATCH_SIZE) -> int:
    """Write the mailing's mails, batch by batch; return how many this run wrote.

    Safe to run again, and at once from two workers: each batch locks the mailing's
    row, so batches never interleave, and skips the addresses that have a mail.
    """
    mailing = Mailing.objects.get(pk=mailing_id)
    if mailing.prepared_at is not None:
        return 0
    kind = mailing_kind(mailing.kind)
    written = 0
    batch: list[str] = []
    for address in kind.audience(mailing):
        batch.append(email_canonical(address))
        if len(batch) >= batch_size:
            written += mailing_batch_write(mailing, kind, batch)
            batch = []
    written += mailing_batch_write(mailing, kind, batch)
    Mailing.objects.filter(pk=mailing.pk, prepared_at__isnull=True).update(
        prepared_at=timezone.now())
    return written


def mailing_batch_write(mailing: Mailing, kind: MailingKind, addresses: list[str]) -> int:
    with transaction.atomic():
        Mailing.objects.select_for_update().get(pk=mailing.pk)
        done = set(mailing.mails.filter(to__in=addresses).values_list("to", flat=True))
        fresh = list(dict.fromkeys(address for address in addresses if address not in done))
        mails_store([
            mail_row(to=address, content=kind.message(mailing, address),
                     category=kind.category, purpose=mailing.kind, mailing=mailing)
            for address in fresh
        ], delivered_apart=True)
    return len(fresh)


@dataclass(frozen=True)
class MailingProgress:
    prepared: bool
    queued: int
    sent: int
    suppressed: int
    failed: int
    undeliverable: int

    @property
    def total(self) -> int:
        return self.queued + self.sent + self.suppressed + self.failed + self.undeliverable

    @property
    def done(self) -> int:
        return self.total - self.queued

    @property
    def finished(self) -> bool:
        return self.prepared and self.queued == 0


def mailing_progress(mailing: Mailing) -> MailingProgress:
    """How far the mailing has got: one query over its mails by status."""
    counts = dict(mailing.mails.order_by().values_list("status").annotate(Count("pk")))
    status = OutboundMail.Status
    return MailingProgress(
        prepared=mailing.prepared_at is not None,
        queued=counts.get(status.QUEUED, 0), sent=counts.get(status.SENT, 0),
        suppressed=counts.get(status.SUPPRESSED, 0), failed=counts.get(status.FAILED, 0),
        undeliverable=counts.get(status.UNDELIVERABLE, 0),
    )
