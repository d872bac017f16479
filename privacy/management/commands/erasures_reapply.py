from django.core.management.base import BaseCommand, CommandError

from privacy.services.erasures import InboxPartError, erasures_reapply


class Command(BaseCommand):
    help = (
        "Run after restoring a database backup: erase again everyone the erasure ledger "
        "(ERASURE_LEDGER_PATH) names, so that a backup taken before an erasure never "
        "brings the person back (P8), in one transaction; then removes from the support inbox "
        "what arrived from an erased person before their erasure. Running it twice "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="say what would be erased, change nothing")

    def handle(self, *, dry_run, **options):
        try:
            figures = erasures_reapply(dry_run=dry_run)
        except InboxPartError as error:
            self.stdout.write(", ".join(f"{what}: {count}"
                                        for what, count in error.figures.items()))
            done = "counted" if dry_run else "done"
            raise CommandError(f"The database's erasures are {done}, but not the support "
                               f"inbox's ({error}): run the command again once it can be "
                               f"read.") from error
        self.stdout.write(", ".join(f"{what}: {count}" for what, count in figures.items()))
