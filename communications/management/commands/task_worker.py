"""The task worker: django-tasks-db's `db_worker`, made to outlast what stopped it.
Run it instead of `db_worker` (`make run` does; see README.md, Deploying).

"Nothing is lost" (DESIGN.md) needs two things `db_worker` does not do:

- It exits on the first database error, so a short PostgreSQL outage (a restart, a
  fail-over) stopped every worker. This one waits for the database, reconnects, and
  puts back to "ready" the task the outage cut off, to run again: its transaction was
  rolled back, and our tasks are written to run twice safely (a mail checks its row's
  status under a lock; purges and erasures find nothing left to do).
- A worker that is killed leaves its task marked running for ever. At start, and then
  every MAIL_DELIVERY_STALE_SECONDS (at most every minute), each worker takes up the
  mail no live worker is delivering (communications.services.mail_delivery_recover).

It also writes its heartbeat every TASK_WORKER_HEARTBEAT_SECONDS, for /health/.
"""

import contextlib
import logging
import os
import threading
import time

from django.conf import settings
from django.core.management.base import CommandError
from django.db import InterfaceError, OperationalError, connection, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from communications.health import worker_heartbeat_write
from communications.services import mail_delivery_recover
from communications.task_recovery import stale_tasks_recover

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Waits between attempts to reach the database again: short first, for a restart.
RECONNECT_DELAYS = [0.5, 1, 2]
RECOVERY_MAX_INTERVAL = 60


def database_error_summary(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


class Worker(db_worker.Worker):
    def run(self) -> None:
        if not self.batch:
            threading.Thread(target=self.recover_periodically, name="mail-delivery-recovery",
                             daemon=True).start()
            threading.Thread(target=self.heartbeat_periodically, name="heartbeat",
                             daemon=True).start()
        started = False
        while True:
            try:
                if not started:
                    mail_delivery_recover()
                    stale_tasks_recover()
                    started = True
                self.tasks_cut_off_requeue()
                super().run()
            except DATABASE_ERRORS as error:
                if not self.running:  # asked to stop: nothing to wait for
                    raise
                self.database_wait(error)
            else:
                return

    def database_wait(self, error: Exception) -> None:
        """Wait until the database answers again. Ctrl-C and SIGTERM still stop the
        worker at once (db_worker's signal handler exits when no task is running)."""
        logger.warning("The database is unavailable (%s); the worker waits for it.",
                       database_error_summary(error))
        outage_started = time.monotonic()
        attempt = 0
        while True:
            self.connections_drop()
            time.sleep(RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)])
            attempt += 1
            try:
                connection.ensure_connection()
            except DATABASE_ERRORS:
                continue
            logger.warning("The database is back after %.1f s; the worker goes on.",
                           time.monotonic() - outage_started)
            return

    @staticmethod
    def connections_drop() -> None:
        with contextlib.suppress(*DATABASE_ERRORS):  # a broken connection is gone anyway
            connections.close_all()

    def tasks_cut_off_requeue(self) -> None:
        """Put back to "ready" the task this worker was running when the database went
        away: it is marked running, by this worker, and this worker runs nothing now."""
        running = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, worker_ids__contains=[self.worker_id])
        for result in running:
            if result.worker_ids[-1] != self.worker_id:
                continue  # taken up since by another worker
            DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY)
            logger.warning("Task %s (%s) was cut off by the database outage; it runs again.",
                           result.pk, result.task_path)

    @staticmethod
    def heartbeat_periodically() -> None:
        """A thread, so that a long task (a mailing's batch) does not read as a dead
        worker; a worker stuck for good shows as mail waiting (the outbox check)."""
        while True:
            try:
                worker_heartbeat_write()
            except DATABASE_ERRORS as error:
                logger.warning("Could not write the heartbeat (%s).", database_error_summary(error))
                Worker.connections_drop()
            time.sleep(settings.TASK_WORKER_HEARTBEAT_SECONDS)

    @staticmethod
    def recover_periodically() -> None:
        interval = min(RECOVERY_MAX_INTERVAL, max(1, settings.MAIL_DELIVERY_STALE_SECONDS))
        while True:
            time.sleep(interval)
            try:
                mail_delivery_recover()
                stale_tasks_recover()
            except DATABASE_ERRORS as error:
                logger.warning("Could not look for mail to take up (%s); trying again in %s s.",
                               database_error_summary(error), interval)
            finally:
                Worker.connections_drop()  # this thread's own connection


class Command(db_worker.Command):
    help = ("Run the background worker (django-tasks-db's db_worker) so that it waits out "
            "a database outage and takes up mail whose worker died.")

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay,
               reload, max_tasks, worker_id, exclude_queues, **options):
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        if exclude_queues and "*" not in queue_name.split(","):
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
