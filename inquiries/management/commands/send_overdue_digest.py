"""Send each form's team one list a day of its overdue inquiries. Run it every quarter
of an hour or hourly (settings.SCHEDULED_JOBS, or cron): it sends from
INQUIRY_OVERDUE_DIGEST_HOUR in the staff's time zone, once a day and form, and nothing
on a day when nothing is overdue (inquiries.services.overdue_digest_send).
"""

from django.core.management.base import BaseCommand

from inquiries.services import overdue_digest_send


class Command(BaseCommand):
    help = "Send the day's list of overdue inquiries to each form's team, once a day."

    def handle(self, *args, **options):
        digests = overdue_digest_send()
        self.stdout.write(f"Sent {len(digests)} list{'' if len(digests) == 1 else 's'} "
                          "of overdue inquiries.")
