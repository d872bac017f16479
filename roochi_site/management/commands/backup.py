from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from roochi_site.backups import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Dump the whole database (pg_dump, custom format) into BACKUP_DIR, or the folder "
        "given. Restore with pg_restore, then run `manage.py erasures_reapply` "
        "(README.md, Backups)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, help="where to write (default BACKUP_DIR)")

    def handle(self, *, directory, **options):
        try:
            path = backup_write(directory=directory)
        except BackupError as error:
            raise CommandError(f"The backup failed: {error}") from None
        self.stdout.write(str(path))
