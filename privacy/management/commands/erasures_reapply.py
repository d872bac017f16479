from django.core.management.base import BaseCommand, CommandError

from privacy.services.erasures import erasures_reapply
from roochi_site.personal_data import StoreUnavailableError


class Command(BaseCommand):
    help = (
        "Run after restoring a database backup: erase again everyone the erasure ledger "
        "(ERASURE_LEDGER_PATH) names, so that a backup taken before an erasure never "
        "brings the person back (P8). One transaction; running it twice changes nothing. "
        "Also removes from the support inbox what an erased person sent before their erasure."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="say what would be erased, change nothing")

    def handle(self, *, dry_run, **options):
        try:
            figures = erasures_reapply(dry_run=dry_run)
        except StoreUnavailableError as error:
            raise CommandError(f"The database's erasures are done, but {error}: run the "
                               f"command again once it can be reached.") from error
        self.stdout.write(", ".join(f"{what}: {count}" for what, count in figures.items()))
