"""Close the days of visit statistics that are over, and roll up old hourly counts.
Run it daily, a few minutes after midnight UTC (cron).

Every web process does this itself shortly after midnight UTC (sitestats/recorder.py);
this command is for a site whose processes were not running then, so that a day's
salt never outlives its day by much (P4: yesterday's visitor cannot be recognised
today). Each step is one transaction, and safe to run at any time, twice or at once.
"""

from django.core.management.base import BaseCommand

from sitestats.services import hourly_counts_roll_up, visit_days_close


class Command(BaseCommand):
    help = ("Count the visitors of days that are over and delete their salt and visitor "
            "rows; sum old hourly page views into days (run daily after midnight UTC).")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Say what would be closed and rolled up; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        days = visit_days_close(dry_run=dry_run)
        hourly = hourly_counts_roll_up(dry_run=dry_run)
        shown = f" ({', '.join(day.isoformat() for day in days)})" if days else ""
        if dry_run:
            self.stdout.write(f"Would close {len(days)} day(s){shown} and roll up {hourly} "
                              "hourly count(s).")
        else:
            self.stdout.write(f"Closed {len(days)} day(s){shown} and rolled up {hourly} "
                              "hourly count(s).")
