from django.core.management.base import BaseCommand

from privacy.services.newsletter import newsletter_signups_purge_expired


class Command(BaseCommand):
    help = (
        "Delete newsletter sign-ups nobody confirmed within "
        "NEWSLETTER_CONFIRMATION_WINDOW_HOURS, with the mail that carried their link, in "
        "one transaction. Anyone can type an address into the sign-up form, so an "
        "unconfirmed one is kept no longer than its link (P3, P8). Each new sign-up also "
        "purges; run this daily so none lingers when no one signs up."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        counts = newsletter_signups_purge_expired(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        by_model = ", ".join(f"{label}: {count}" for label, count in counts.items())
        self.stdout.write(f"{verb} expired unconfirmed newsletter sign-ups ({by_model}).")
