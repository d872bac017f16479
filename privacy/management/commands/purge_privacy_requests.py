from privacy.management.unconfirmed_purge import UnconfirmedPurgeCommand
from privacy.services.requests import privacy_requests_purge_expired


class Command(UnconfirmedPurgeCommand):
    help = (
        "Erase privacy requests nobody confirmed before their link expired, with their "
        "timeline and the mail that carried the link, through the personal-data registry, "
        "in one transaction. An unconfirmed request may have been made by someone else in "
        "the person's name, so it is kept no longer than its link (P8). Run it hourly."
    )
    what = "expired unconfirmed privacy requests"

    def purge(self, *, dry_run: bool) -> dict[str, int]:
        return privacy_requests_purge_expired(dry_run=dry_run)
