"""`make run` and `make dev`: set up, then serve the site on this machine.

One process owns the embedded database (when DATABASE_URL is unset): it starts it,
prepares the site, runs the web server and the task worker as children, and on
Ctrl-C stops them all, the database last. Problems a newcomer can fix (a port in
use, a database that will not start) are one line, not a traceback.

A child that stops is started again after a short pause, with a line saying so: the
site outlives a crash of either. Only a child that keeps stopping right after it
starts (QUICK_STOPS_ALLOWED times in a row, each within QUICK_STOP_SECONDS) ends the
run, since starting it again would not help (a port taken meanwhile, a broken set-up).
"""

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

HOST = "127.0.0.1"
# A child that stops sooner than this after it started stopped "right away".
QUICK_STOP_SECONDS = 10.0
QUICK_STOPS_ALLOWED = 5
# The pause before each restart, longer after each quick stop in a row.
RESTART_DELAYS = [1.0, 2.0, 4.0, 8.0]


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As gunicorn does: a port left in TIME_WAIT by the last run is free to use.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def first_admin_password() -> str | None:
    """On a site with no staff account yet, the bootstrap account's one-time password
    (roochi_site/staff_site.py: it can only create the first named account); None
    once any account exists."""
    from roochi_site.staff_site import bootstrap_account_create

    password = secrets.token_urlsafe(15)
    return password if bootstrap_account_create(password) else None


def prepare(*, collect_static: bool) -> str | None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if collect_static:
        call_command("collectstatic", interactive=False, verbosity=0)
    return first_admin_password()


def children(port: int, *, dev: bool) -> dict[str, list[str]]:
    python = sys.executable
    if dev:
        web = [python, "manage.py", "runserver", f"{HOST}:{port}"]
    else:
        web = [
            # P4: the access log shows what was asked for, never who asked.
            python, "-m", "gunicorn", "-c", "python:roochi_site.gunicorn_conf",
            "--bind", f"{HOST}:{port}", "--workers", "2",
        ]
    # Our wrapper of db_worker: it waits out a database outage and takes up the mail of
    # a worker that died (communications/management/commands/task_worker.py).
    worker = [python, "manage.py", "task_worker"]
    # The purges, the inbox and the pruning of finished tasks, at their intervals.
    jobs = [python, "manage.py", "scheduled_jobs"]
    return {"web server": web, "task worker": worker, "scheduled jobs": jobs}


@dataclass
class Child:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    quick_stops: int = 0
    restart_at: float | None = None

    def start(self) -> None:
        # A group of its own: a terminal's Ctrl-C reaches only this runner, which then
        # asks each child to stop gracefully (SIGTERM). A Ctrl-C reaching gunicorn's
        # workers too would cut a request in half and print its traceback.
        self.process = subprocess.Popen(self.command, process_group=0)
        self.started_at = time.monotonic()
        self.restart_at = None


def supervise(running: list[Child], stop_signals: list[int]) -> int:
    """Keep every child running until a stop signal is recorded (0), or one keeps
    stopping right after it starts (1)."""
    for child in running:
        child.start()
    while not stop_signals:
        now = time.monotonic()
        for child in running:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    print(f"  Starting the {child.name} again.", file=sys.stderr, flush=True)
                    child.start()
                continue
            code = child.process.poll()
            if code is None:
                continue
            child.quick_stops = (
                child.quick_stops + 1 if now - child.started_at < QUICK_STOP_SECONDS else 0)
            if child.quick_stops >= QUICK_STOPS_ALLOWED:
                print(f"error: the {child.name} stopped right after starting "
                      f"{child.quick_stops} times in a row (exit code {code}); stopping "
                      f"everything. Its messages are above.", file=sys.stderr, flush=True)
                return 1
            delay = RESTART_DELAYS[min(child.quick_stops, len(RESTART_DELAYS) - 1)]
            print(f"  The {child.name} stopped (exit code {code}); starting it again in "
                  f"{delay:g} s.", file=sys.stderr, flush=True)
            child.restart_at = now + delay
        time.sleep(0.2)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--dev", action="store_true", help="Django's autoreloading server")
    options = parser.parse_args()

    if not port_is_free(options.port):
        print(
            f"error: port {options.port} on {HOST} is in use; stop what uses it "
            f"or choose another: make run PORT=8001",
            file=sys.stderr,
        )
        return 1

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roochi_site.settings")
    # This runner serves plain HTTP on the loopback address only: never a deployment.
    os.environ.setdefault("DJANGO_HTTPS", "false")
    if options.dev:
        os.environ.setdefault("DJANGO_DEBUG", "true")
    # Links in mail, the sitemap, robots.txt and security.txt name the port served.
    os.environ.setdefault("SITE_URL", f"http://{HOST}:{options.port}")
    import django
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from roochi_site.embedded_db import EmbeddedDatabaseError

    stop_signals: list[int] = []

    def request_stop(signum, frame):
        stop_signals.append(signum)
        raise KeyboardInterrupt

    # Installed before set-up: a Ctrl-C while migrating must stop the run, and whatever
    # swallows the KeyboardInterrupt, the recorded signal is checked before serving.
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        django.setup()
        password = prepare(collect_static=not options.dev)
    except (EmbeddedDatabaseError, ImproperlyConfigured) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    if stop_signals:
        return 130

    # The children join the database this process started; they do not own it.
    os.environ["DATABASE_URL"] = settings.DATABASE_URL
    running = [Child(name, command)
               for name, command in children(options.port, dev=options.dev).items()]

    site = f"http://{HOST}:{options.port}/"
    print(f"\n  Site:  {site}\n  Admin: {site}admin/")
    if password:
        print(f"  Bootstrap account: bootstrap / {password}  (shown once; it can only "
              f"create the first named staff account, then it is disabled)")
    print("  Ctrl-C stops everything.\n", flush=True)

    status = 0
    try:
        status = supervise(running, stop_signals)
    except KeyboardInterrupt:
        pass
    finally:
        stop_children([child.process for child in running if child.process is not None])
    # Leaving main() lets the embedded database stop (its atexit handler).
    return status


def stop_children(processes: list[subprocess.Popen]) -> None:
    """Ask each child to stop gracefully (SIGTERM: gunicorn finishes the requests it is
    answering, the worker the task it runs); kill one still running after 20 s."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    sys.exit(main())
