"""A five-second PostgreSQL outage during submissions and deliveries, on a server of
its own: gunicorn and the task worker run as deployed, the server is stopped (every
connection cut) while a delivery is mid-conversation, and started again.

Nothing is lost: every acknowledged submission (the 302 to the thank-you page) has its
row and its mail, each mail received once. During the outage the cached home page
answers 200, a form post the clear "try again" page (503); the worker waits and goes
on by itself."""

import logging
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg
import pytest
from django.core import signing

from bench.server import gunicorn_serving
from inquiries.views import THANKS_SALT
from tests.conftest import StallingSMTPServer
from tests.quality.documents import hidden_fields
from tests.waiting import wait_until

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
OUTAGE_SECONDS = 5
STALLED = "stalled.delivery@example.com"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


BROWSER = urllib.request.build_opener(NoRedirect)


def request(url: str, data: dict | None = None):
    """(status, headers, body) of one request, as a browser sends a same-site post."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    sent = urllib.request.Request(  # noqa: S310 (always http://127.0.0.1)
        url, data=body, headers={"Sec-Fetch-Site": "same-origin"})
    try:
        with BROWSER.open(sent, timeout=20) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read().decode()


class Visitors:
    """People sending the support form one after another, each with their own address,
    until told to stop; what each was answered is kept."""

    def __init__(self, url: str, form: dict):
        self.url, self.form = url, form
        self.answers: list[tuple[str, int, str, str]] = []  # email, status, location, body
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.send, daemon=True)

    def send(self):
        number = 0
        while not self.stopping.is_set():
            email = f"visitor{number}@example.com"
            status, headers, body = request(self.url, {**self.form, "email": email})
            self.answers.append((email, status, headers.get("Location", ""), body))
            number += 1
            time.sleep(0.1)

    def statuses(self) -> Counter:
        return Counter(status for _email, status, _location, _body in self.answers)


@pytest.fixture
def site(throwaway_postgres, collected_static, tmp_path):
    """gunicorn (one worker, so its page cache is the one warmed) and the task worker,
    on their own PostgreSQL, sending to a mail server that stalls for STALLED."""
    smtp = StallingSMTPServer(stall={STALLED})
    smtp.start()
    env = {"DJANGO_HTTPS": "false", "DATABASE_URL": throwaway_postgres.url,
           "STATIC_ROOT": str(collected_static), "EMAIL_HOST": "127.0.0.1",
           "EMAIL_PORT": str(smtp.port), "EMAIL_USE_TLS": "false",
           "FORM_MIN_FILL_SECONDS": "0", "INQUIRY_LIMIT_PER_HOUR": "10000",
           "LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT,
                   env={**os.environ, **env}, check=True, timeout=120)
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "task_worker", "--interval", "0.2"],
            cwd=ROOT, env={**os.environ, **env}, stdout=output, stderr=subprocess.STDOUT)
    try:
        with gunicorn_serving(app="roochi_site.wsgi", env=env, workers=1,
                              ready_path="/robots.txt") as server:
            yield server.url, worker, log, smtp
    finally:
        smtp.released.set()
        worker.terminate()
        worker.wait(timeout=20)
        smtp.stop()


def assert_outage_answers(during: list, home: str) -> None:
    """The cached home page as before; each form post the clear page, no cookie."""
    pages, posts = during[0::2], during[1::2]
    assert {status for status, _headers, _body in pages} == {200}
    assert all(body == home for _status, _headers, body in pages)
    assert {status for status, _headers, _body in posts} == {503}
    for _status, headers, body in posts:
        assert headers["Retry-After"] == "30"
        assert "Set-Cookie" not in headers
        assert "Please try again in a moment" in body
        assert "Traceback" not in body


def assert_nothing_lost(database_url: str, visitors: Visitors, smtp, log: Path) -> int:
    """Every acknowledged submission stored; every stored one's two mails sent, each
    received once. Returns how many were acknowledged."""
    with psycopg.connect(database_url) as database:
        stored = dict(database.execute("SELECT reference, email FROM inquiries_inquiry"))

        def all_sent():
            statuses = database.execute(
                "SELECT status, count(*) FROM communications_outboundmail GROUP BY status")
            return dict(statuses.fetchall()) == {"sent": 2 * len(stored)}

        wait_until(all_sent, 30, f"mail still waiting: {log.read_text()}")
    acknowledged = {
        signing.loads(location.split("/")[-2], salt=THANKS_SALT)["reference"]: email
        for email, status, location, _body in visitors.answers if status == 302}
    assert acknowledged.items() <= stored.items()
    acknowledgements = Counter(message["To"] for message in smtp.messages
                               if message["To"] != "support@roochi.com")
    assert acknowledgements == Counter(dict.fromkeys(stored.values(), 1))
    notices = [message for message in smtp.messages if message["To"] == "support@roochi.com"]
    assert len(notices) == len(stored)
    return len(acknowledged)


@pytest.fixture
def visitors_sending():
    """Start Visitors; they stop before the site does, whatever the test's outcome."""
    started: list[Visitors] = []

    def start(url: str, form: dict) -> Visitors:
        visitors = Visitors(url, form)
        started.append(visitors)
        visitors.thread.start()
        return visitors

    yield start
    for visitors in started:
        visitors.stopping.set()
        visitors.thread.join(timeout=30)


def test_a_database_outage_loses_no_submission_and_sends_each_mail_once(
        site, throwaway_postgres, visitors_sending):
    url, worker, log, smtp = site
    home_status, _headers, home = request(url + "/")
    assert home_status == 200
    status, _headers, form_page = request(url + "/support-request/")
    assert status == 200
    form = {**hidden_fields(form_page), "name": "Ana Pérez", "reply_by": "email",
            "topic": "delivery", "order_number": "SO-12345678",
            "message": "Where is my order?"}

    visitors = visitors_sending(url + "/support-request/", form)
    # A delivery mid-conversation when the database goes: the worker waits on the mail
    # server, holding the mail's row in an open transaction.
    status, _headers, _body = request(url + "/support-request/", {**form, "email": STALLED})
    assert status == 302
    assert smtp.stalled.wait(timeout=30), log.read_text()

    throwaway_postgres.stop()
    outage_started = time.monotonic()
    smtp.released.set()  # the mail server gives up too (451): the worker must record it
    during = []
    while time.monotonic() - outage_started < OUTAGE_SECONDS:
        during.append(request(url + "/"))
        during.append(request(url + "/support-request/", {**form, "email": "x@example.com"}))
        time.sleep(0.2)
    throwaway_postgres.start()
    restarted = time.monotonic()
    assert_outage_answers(during, home)

    # The site and the worker come back by themselves.
    wait_until(lambda: visitors.statuses()[302] > 0 and visitors.answers[-1][1] == 302,
               30, "no submission was accepted after the outage")
    site_back = time.monotonic() - restarted
    wait_until(lambda: any(STALLED in message["To"] for message in smtp.messages),
               30, f"the interrupted delivery was not made: {log.read_text()}")
    mail_back = time.monotonic() - restarted
    wait_until(lambda: visitors.statuses()[302] >= 3, 30, "too few submissions after")
    visitors.stopping.set()
    visitors.thread.join(timeout=30)
    assert worker.poll() is None, "the worker exited"
    assert visitors.statuses()[503] > 0, "the visitors never met the outage"

    acknowledged = assert_nothing_lost(throwaway_postgres.url, visitors, smtp, log)
    assert "The database is back" in log.read_text()
    assert "cut off by the database outage" in log.read_text()
    # Shown with --log-cli-level=INFO.
    logger.info("Outage of %s s: the first submission was accepted %.1f s after the restart, "
                "the interrupted mail delivered %.1f s after; %s acknowledged, %s refused "
                "with 503", OUTAGE_SECONDS, site_back, mail_back, acknowledged,
                visitors.statuses()[503])
