from privacy.management.unconfirmed_purge import UnconfirmedPurgeCommand
from privacy.services.newsletter import newsletter_signups_purge_expired


class Command(UnconfirmedPurgeCommand):
    help = (
        "Erase newsletter sign-ups nobody confirmed within "
        "NEWSLETTER_CONFIRMATION_WINDOW_HOURS, with the mail that carried their link, in "
        "one transaction. Anyone can type an address into the sign-up form, so an "
        "unconfirmed one is kept no longer than its link (P3, P8). A new sign-up purges "
        "its own address's; run this hourly for the rest."
    )
    what = "expired unconfirmed newsletter sign-ups"

    def purge(self, *, dry_run: bool) -> dict[str, int]:
        return newsletter_signups_purge_expired(dry_run=dry_run)
