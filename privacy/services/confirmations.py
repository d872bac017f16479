"""Confirmation links, and nobody mailed without limit through them (P6, P8).

A link holds a random token of which only the SHA-256 is stored, and works once. An
address gets at most one link of a kind per window: while an unused link from the
window exists, a new request is neither stored nor mailed, and the page answers the
same. The privacy-request form and the newsletter sign-up both use this.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import connection, models, transaction
from django.db.models import QuerySet

from communications.models import OutboundMail
from privacy import registry


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def confirmation_token_new() -> tuple[str, str]:
    """A new link's token, for the mail, and its digest, for the database."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def confirmation_recently_sent(*, address_hash: str, unused_links: QuerySet, sent_field: str,
                               hours: int, now: datetime) -> bool:
    """Whether ``unused_links`` (this address's rows whose link still works) holds one
    sent within the last ``hours``.

    Call it inside the transaction that will store the new link: it locks the address
    until that transaction ends, so two requests for one address at once make one mail
    (the second waits and then sees the first)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [address_hash])
    return unused_links.filter(**{f"{sent_field}__gte": now - timedelta(hours=hours)}).exists()


def unconfirmed_purge(expired: QuerySet, *, dry_run: bool,
                      dependents: tuple[tuple[type[models.Model], str], ...] = ()
                      ) -> dict[str, int]:
    """Delete rows nobody confirmed before their link expired, with the mail that
    carried the link (through the registry: it holds the address) and the rows that
    depend on them (model, foreign key), in one transaction; rows by model (with
    ``dry_run``, counted and left).

    Deleted rather than erased as the registry declares (anonymised, a hash kept as
    proof): nobody confirmed them, so there is nothing to prove, and the address may
    have been typed by someone else (P8)."""
    model = expired.model
    with transaction.atomic():
        rows = model._default_manager.filter(
            pk__in=list(expired.select_for_update().values_list("pk", flat=True)))
        mails = OutboundMail.objects.filter(
            pk__in=rows.exclude(confirmation_mail=None).values("confirmation_mail"))
        mail_label = OutboundMail._meta.label
        if dry_run:
            return {mail_label: mails.count(),
                    **{dependent._meta.label: dependent._default_manager.filter(
                        **{f"{key}__in": rows}).count() for dependent, key in dependents},
                    model._meta.label: rows.count()}
        counts = {mail_label: registry.erase_rows(mails),
                  **{dependent._meta.label: 0 for dependent, _key in dependents},
                  model._meta.label: 0}
        counts.update(rows.delete()[1])
        return counts
