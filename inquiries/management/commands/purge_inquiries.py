"""Erase closed inquiries once their retention period is over, and the spam counts of
hours that are over. Run it every hour (cron).

An inquiry is kept only to answer the request it carries, and for a while after it is
closed, should the person come back about it (INQUIRY_RETENTION_MONTHS). After that it
is erased with its timeline and the mail sent about it, through the personal-data
registry, in one transaction. The spam limit's counts (a keyed hash of a client
address) are kept only for their hour (P4); submissions delete them too, this command
makes sure they go when nobody sends anything.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from inquiries.services import inquiries_purge
from roochi_site.submission_limit import submission_counts_expire


class Command(BaseCommand):
    help = (
        "Erase closed inquiries older than INQUIRY_RETENTION_MONTHS and the spam counts "
        "of past hours (run hourly)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be erased; erase nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        count = inquiries_purge(dry_run=dry_run)
        if not dry_run:
            submission_counts_expire()
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{verb} {count} closed inquir{'y' if count == 1 else 'ies'} older than "
            f"{settings.INQUIRY_RETENTION_MONTHS} months."
        )
