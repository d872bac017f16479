from django.core.management.base import BaseCommand

from privacy.services.erasures import erasures_reapply


class Command(BaseCommand):
    help = (
        "Run after restoring a database backup: erase again everyone the erasure ledger "
        "(ERASURE_LEDGER_PATH) names, so that a backup taken before an erasure never "
        "brings the person back (P8). One transaction; running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="say what would be erased, change nothing")

    def handle(self, *, dry_run, **options):
        figures = erasures_reapply(dry_run=dry_run)
        self.stdout.write(", ".join(f"{what}: {count}" for what, count in figures.items()))
