from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from privacy.models import StaffAccess
from roochi_site.models import SignInFailure


class Command(BaseCommand):
    help = (
        "Delete the staff access record (P7) older than STAFF_ACCESS_RECORD_DAYS and the "
        "failed staff sign-ins older than STAFF_SIGN_IN_RECORD_DAYS. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        old = {
            "staff access records": StaffAccess.objects.filter(
                at__lt=now - timedelta(days=settings.STAFF_ACCESS_RECORD_DAYS)),
            "failed staff sign-ins": SignInFailure.objects.filter(
                at__lt=now - timedelta(days=settings.STAFF_SIGN_IN_RECORD_DAYS)),
        }
        counts = {name: rows.count() if dry_run else rows.delete()[0]
                  for name, rows in old.items()}
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} " + ", ".join(f"{count} {name}"
                                                 for name, count in counts.items()) + ".")
