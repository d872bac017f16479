"""Run the site's scheduled jobs (settings.SCHEDULED_JOBS) at their intervals, for ever.

`make run` starts it beside the web server and the task worker. In production, run it
on one machine as a service, or run the same commands from cron (README.md, Scheduled
jobs): the jobs are safe to run twice, but each needs only one machine.

A job that fails is logged and tried again at its next time; one job's failure never
stops the others, and a database outage only makes the jobs of that moment fail.
"""

import logging
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the scheduled jobs of settings.SCHEDULED_JOBS at their intervals."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true",
                            help="Run every job once, then stop.")

    def handle(self, *args, once: bool, **options):
        due = dict.fromkeys(range(len(settings.SCHEDULED_JOBS)), 0.0)
        while True:
            now = time.monotonic()
            for index, job in enumerate(settings.SCHEDULED_JOBS):
                if due[index] <= now:
                    job_run(job)
                    due[index] = time.monotonic() + job["every"]
            if once:
                return
            time.sleep(max(0.5, min(due.values()) - time.monotonic()))


def job_run(job: dict) -> None:
    close_old_connections()
    try:
        call_command(job["command"], *job.get("args", []), verbosity=0)
    except Exception:  # one job's failure never stops the schedule
        logger.exception("The scheduled job %s failed; it runs again in %s s",
                         job["command"], job["every"])
    finally:
        close_old_connections()
