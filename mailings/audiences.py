"""Who a service announcement is for: clients we serve and people whose requests are
open, whatever their newsletter choice (P6). Apps above this one add their open
requests through ``announcement_audience_register`` at ``ready()`` (inquiries does),
so this app imports none of them."""

from collections.abc import Callable, Iterable, Iterator

from communications.models import Mailing
from privacy.models import Person, PrivacyRequest
from privacy.models.people import email_hash
from roochi_site.email_address import email_canonical_or_lower

AudienceSource = Callable[[], Iterable[str]]
_sources: list[AudienceSource] = []


def announcement_audience_register(source: AudienceSource) -> None:
    """Add the addresses ``source()`` yields (any spelling) to every announcement."""
    if source not in _sources:
        _sources.append(source)


def clients_accepting_communications() -> Iterable[str]:
    return (Person.objects.accepting_communications().filter(client__isnull=False)
            .order_by("pk").values_list("email", flat=True).iterator())


def open_privacy_requests() -> Iterable[str]:
    return (PrivacyRequest.objects.filter(status=PrivacyRequest.Status.VERIFIED)
            .exclude(email="").order_by("pk").values_list("email", flat=True).iterator())


def announcement_audience(mailing: Mailing) -> Iterator[str]:
    """Each address once. People who stopped all communication, were deactivated or
    erased are left out here (only a hash may remain of them); the mail rule decides
    again at delivery, so a stop after this still counts."""
    stopped = set(Person.objects.exclude(pk__in=Person.objects.accepting_communications())
                  .values_list("email_hash", flat=True))
    seen: set[str] = set()
    for source in [clients_accepting_communications, open_privacy_requests, *_sources]:
        for address in source():
            canonical = email_canonical_or_lower(address)
            if canonical in seen or email_hash(canonical) in stopped:
                continue
            seen.add(canonical)
            yield canonical
