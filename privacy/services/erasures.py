"""After a database restore: every erasure of the ledger applied again (P8)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from communications.inbox import inbox_messages_erase_where
from privacy import registry
from privacy.erasure_ledger import ledger_entries
from privacy.models import Person
from privacy.models.people import email_hash
from roochi_site.personal_data import declarations


def erased_addresses_find(hashes: set[str]) -> set[str]:
    """Every address, as stored, in any declared model whose hash is in the ledger.
    The ledger holds no address, so each stored one is hashed: rows kept under
    another spelling of an erased address are found too (the hash is of the canonical
    form). Rows found by a finder (Django's admin log) go with the address's rows."""
    found = set()
    for declaration in declarations():
        if declaration.finder is not None:
            continue
        addresses = (declaration.model._default_manager
                     .exclude(**{f"{declaration.person_lookup}__isnull": True})
                     .exclude(**{declaration.person_lookup: ""})
                     .values_list(declaration.person_lookup, flat=True).distinct())
        found.update(address for address in addresses if email_hash(address) in hashes)
    return found


def erasures_reapply(*, dry_run: bool = False) -> dict[str, int]:
    """Erase again, in one transaction, everyone the ledger names; running it twice
    changes nothing. A person the restored database has no row for gets one holding
    only the hash, as an erasure leaves it, so mail stays stopped for them (P6).

    The support inbox is not restored with the database, so the person's messages
    there now were written after their erasure, and stay: but a message sent before
    it is removed, which an erasure made before the inbox was part of the registry
    (2 December 2026) left there. That part comes after the database's commit: an
    inbox that cannot be reached raises StoreUnavailableError once the rest is done."""
    entries = ledger_entries()
    hashes = set(entries)
    with transaction.atomic():
        addresses = erased_addresses_find(hashes)
        missing = hashes - set(Person.objects.filter(email_hash__in=hashes)
                               .values_list("email_hash", flat=True))
        if not dry_run:
            for address in sorted(addresses):
                registry.erase_person(address, outside_stores_too=False)
            Person.objects.bulk_create(
                [Person(email=None, email_hash=person_hash, status=Person.Status.ERASED,
                        status_changed_at=timezone.now()) for person_hash in sorted(missing)],
                ignore_conflicts=True)

    def written_before_erasure(sender: str, sent: datetime | None) -> bool:
        erased_at = entries.get(email_hash(sender)) if sender else None
        return erased_at is not None and sent is not None and sent < erased_at

    messages = inbox_messages_erase_where(written_before_erasure, dry_run=dry_run)
    if dry_run:
        return {"in the ledger": len(hashes), "people to erase again": len(addresses),
                "erased records to restore": len(missing),
                "inbox messages to remove": messages}
    return {"in the ledger": len(hashes), "people erased again": len(addresses),
            "erased records restored": len(missing), "inbox messages removed": messages}
