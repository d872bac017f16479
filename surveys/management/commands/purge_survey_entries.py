"""Erase survey and contest entries kept past their time (SURVEY_ENTRIES_KEPT_DAYS after
the survey closed; winners CONTEST_WINNERS_KEPT_DAYS), with their answers and the
winners' mail, in one transaction. Daily, from SCHEDULED_JOBS or cron."""

from django.core.management.base import BaseCommand

from surveys.services import entries_purge


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Say how many entries would be erased; erase nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        count = entries_purge(dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(f"{verb} {count} survey entr{'y' if count == 1 else 'ies'}.")
