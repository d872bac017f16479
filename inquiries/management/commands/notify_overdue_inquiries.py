"""Tell each form's team, once, about every inquiry that passed its first-reply
deadline. Run it every few minutes (settings.SCHEDULED_JOBS, or cron).

Once means once: the notice and the inquiry's "told" mark commit together, so running
it again, from two machines at once, or after a crash between the two, sends no second
notice (inquiries.services.inquiries_overdue_notify).
"""

from django.core.management.base import BaseCommand

from inquiries.services import inquiries_overdue_notify


class Command(BaseCommand):
    help = "Notify the team once of each inquiry past its first-reply deadline."

    def handle(self, *args, **options):
        count = inquiries_overdue_notify()
        self.stdout.write(f"Notified the team of {count} overdue inquir"
                          f"{'y' if count == 1 else 'ies'}.")
