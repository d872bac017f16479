"""After a database restore: every erasure of the ledger applied again (P8)."""

from django.db import transaction
from django.utils import timezone

from privacy import registry
from privacy.erasure_ledger import ledger_hashes
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
    only the hash, as an erasure leaves it, so mail stays stopped for them (P6)."""
    hashes = ledger_hashes()
    with transaction.atomic():
        addresses = erased_addresses_find(hashes)
        missing = hashes - set(Person.objects.filter(email_hash__in=hashes)
                               .values_list("email_hash", flat=True))
        if dry_run:
            return {"in the ledger": len(hashes), "people to erase again": len(addresses),
                    "erased records to restore": len(missing)}
        for address in sorted(addresses):
            registry.erase_person(address, outside_stores_too=False)
        Person.objects.bulk_create(
            [Person(email=None, email_hash=person_hash, status=Person.Status.ERASED,
                    status_changed_at=timezone.now()) for person_hash in sorted(missing)],
            ignore_conflicts=True)
    return {"in the ledger": len(hashes), "people erased again": len(addresses),
            "erased records restored": len(missing)}
