from django.core.management.base import BaseCommand
from django.db import transaction

from privacy.models import PrivacyRequest
from privacy.requests import privacy_requests_purge_expired


class Command(BaseCommand):
    help = (
        "Delete privacy requests nobody confirmed before their link expired. An "
        "unconfirmed request may have been made by someone else in the person's name, "
        "so it is kept no longer than its link (P8). Each new request also purges; run "
        "this daily so none lingers when no one asks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            if dry_run:
                count = PrivacyRequest.objects.expired().count()
            else:
                count = privacy_requests_purge_expired()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} expired unconfirmed privacy request(s).")
