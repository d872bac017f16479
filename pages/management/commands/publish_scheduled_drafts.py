"""Put live every draft of a live page or category whose chosen time has come. Run it
every minute (settings.SCHEDULED_JOBS, or cron).

A new page or category scheduled with its own "publish at" needs no job (the public
queries compare that time with the clock); a draft does, because its words must move
from the revision onto the row the public reads. Running it twice, or from two machines
at once, publishes each draft once: each is locked and checked still to be a draft
(pages.revisions.scheduled_drafts_publish).
"""

from django.core.management.base import BaseCommand

from pages.revisions import scheduled_drafts_publish


class Command(BaseCommand):
    help = "Publish the drafts of pages and categories whose scheduled time has come."

    def handle(self, *args, **options):
        count = scheduled_drafts_publish()
        self.stdout.write(f"Published {count} scheduled draft{'' if count == 1 else 's'}.")
