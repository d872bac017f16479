"""Remind the privacy officer, once, of each open privacy request whose legal deadline
is PRIVACY_REQUEST_REMINDER_DAYS away. Run it every quarter of an hour or hourly
(settings.SCHEDULED_JOBS, or cron).

The reminder and the request's "reminded" mark commit together, so a second run, a
second machine or a crash between the two sends no second reminder
(privacy.services.requests.privacy_requests_deadline_remind).
"""

from django.core.management.base import BaseCommand

from privacy.services.requests import privacy_requests_deadline_remind


class Command(BaseCommand):
    help = "Remind the privacy officer once of each request whose deadline is near."

    def handle(self, *args, **options):
        count = privacy_requests_deadline_remind()
        self.stdout.write(f"Reminded the privacy officer of {count} request"
                          f"{'' if count == 1 else 's'}.")
