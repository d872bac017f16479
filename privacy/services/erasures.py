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


class InboxPartError(Exception):
    """The database's part of a reapply is done (or, for a dry run, counted), but the
    support inbox's could not be: the figures of the first part, and why."""

    def __init__(self, figures: dict[str, int], reason: str):
        super().__init__(reason)
        self.figures = figures


def erasure_times(entries: dict[str, datetime | None]) -> dict[str, datetime]:
    """When each erased person was last erased: the ledger's time, or the later time
    the database records on the person's erased row (erasures from before the ledger
    have only that, and a person erased twice has the later one there)."""
    times = {person_hash: erased_at for person_hash, erased_at in entries.items() if erased_at}
    for person_hash, erased_at in Person.objects.filter(status=Person.Status.ERASED).values_list(
            "email_hash", "status_changed_at"):
        if erased_at and (person_hash not in times or erased_at > times[person_hash]):
            times[person_hash] = erased_at
    return times


def erasures_reapply(*, dry_run: bool = False) -> dict[str, int]:
    """Erase again, in one transaction, everyone the ledger names; running it twice
    changes nothing. A person the restored database has no row for gets one holding
    only the hash, as an erasure leaves it, so mail stays stopped for them (P6).

    The support inbox is not restored with the database: what arrived from an erased
    person after their (last) erasure is a new message, and stays. What arrived
    before it goes: an erasure made before the inbox joined the registry (2 December
    2026) left it there. When a message arrived is the inbox's own record (IMAP's
    INTERNALDATE, the Maildir file's time), or else its Date header; with neither it
    stays. This part comes after the database's commit; when it fails, InboxPartError
    carries the first part's figures."""
    entries = ledger_entries()
    hashes = set(entries)
    # Before this run writes erased rows of its own, stamped now.
    times = erasure_times(entries)
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

    figures = ({"in the ledger": len(hashes), "people to erase again": len(addresses),
                "erased records to restore": len(missing)} if dry_run else
               {"in the ledger": len(hashes), "people erased again": len(addresses),
                "erased records restored": len(missing)})

    try:
        messages = inbox_messages_erase_where(
            lambda sender: times.get(email_hash(sender)) if sender else None, dry_run=dry_run)
    except Exception as error:
        raise InboxPartError(figures, f"{type(error).__name__}: {error}") from error
    return {**figures, f"inbox messages {'to remove' if dry_run else 'removed'}": messages}
