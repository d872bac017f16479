from django.core.management.base import BaseCommand

from privacy.services.requests import privacy_requests_purge_expired


class Command(BaseCommand):
    help = (
        "Erase privacy requests nobody confirmed before their link expired, with their "
        "timeline and the mail that carried the link, through the personal-data registry, "
        "in one transaction. An unconfirmed request may have been made by someone else in "
        "the person's name, so it is kept no longer than its link (P8). Each new request "
        "also purges; run this daily so none lingers when no one asks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, erase nothing.")

    def handle(self, *args, dry_run=False, **options):
        counts = privacy_requests_purge_expired(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        by_model = ", ".join(f"{label}: {count}" for label, count in counts.items())
        self.stdout.write(f"{verb} expired unconfirmed privacy requests ({by_model}).")
