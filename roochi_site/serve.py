"""`make run` and `make dev`: set up, then serve the site on this machine.

One process owns the embedded database (when DATABASE_URL is unset): it starts it,
prepares the site, runs the web server and the task worker as children, and on
Ctrl-C stops them all, the database last. Problems a newcomer can fix (a port in
use, a database that will not start) are one line, not a traceback.
"""

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time

HOST = "127.0.0.1"


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
    """Create the first admin account with a generated password, once: None after."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    if user_model.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(15)
    user_model.objects.create_superuser(username="admin", email="", password=password)
    return password


def prepare(*, collect_static: bool) -> str | None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if collect_static:
        call_command("collectstatic", interactive=False, verbosity=0)
    return first_admin_password()


def children(port: int, *, dev: bool) -> list[list[str]]:
    python = sys.executable
    if dev:
        web = [python, "manage.py", "runserver", f"{HOST}:{port}"]
    else:
        web = [
            # P4: the access log shows what was asked for, never who asked.
            python, "-m", "gunicorn", "-c", "python:roochi_site.gunicorn_conf",
            "--bind", f"{HOST}:{port}", "--workers", "2",
        ]
    worker = [python, "manage.py", "db_worker"]
    return [web, worker]


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
    processes = [subprocess.Popen(command) for command in children(options.port, dev=options.dev)]

    site = f"http://{HOST}:{options.port}/"
    print(f"\n  Site:  {site}\n  Admin: {site}admin/")
    if password:
        print(f"  First admin account: admin / {password}  (shown once: keep it now)")
    print("  Ctrl-C stops everything.\n", flush=True)

    try:
        # Any child ending (a crash, or a port taken meanwhile) ends the whole run.
        while not stop_signals and all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop_children(processes, interrupted=signal.SIGINT in stop_signals)
    # Leaving main() lets the embedded database stop (its atexit handler).
    return 0


def stop_children(processes: list[subprocess.Popen], *, interrupted: bool) -> None:
    """A terminal's Ctrl-C reaches the children too: give them time to finish what
    they are doing; anything else (or a child still running) is told to stop."""
    for process in processes:
        if not interrupted and process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
