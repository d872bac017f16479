"""The daily purges of what nobody confirmed (privacy requests, newsletter sign-ups):
one command shape, with --dry-run, over one service each."""

from django.core.management.base import BaseCommand


class UnconfirmedPurgeCommand(BaseCommand):
    # What the purge erases, in words, for its one line of output.
    what: str

    def purge(self, *, dry_run: bool) -> dict[str, int]:
        """Rows erased (or, with ``dry_run``, that would be), by model."""
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, erase nothing.")

    def handle(self, *args, dry_run=False, **options):
        counts = self.purge(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        by_model = ", ".join(f"{label}: {count}" for label, count in counts.items())
        self.stdout.write(f"{verb} {self.what} ({by_model}).")
