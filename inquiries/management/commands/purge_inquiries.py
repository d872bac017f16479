"""Erase closed inquiries once their retention period is over. Run it daily (cron).

An inquiry is kept only to answer the request it carries, and for a while after it is
closed, should the person come back about it (INQUIRY_RETENTION_MONTHS). After that it
is erased with its timeline and the mail sent about it, through the personal-data
registry, in one transaction.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from inquiries.services import inquiries_purge


class Command(BaseCommand):
    help = "Erase closed inquiries older than INQUIRY_RETENTION_MONTHS (run daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be erased; erase nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        count = inquiries_purge(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{verb} {count} closed inquir{'y' if count == 1 else 'ies'} older than "
            f"{settings.INQUIRY_RETENTION_MONTHS} months."
        )
