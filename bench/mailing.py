"""The newsletter scenario of `make bench`: an issue to every confirmed subscriber of
the prepared database, written and sent by one `manage.py task_worker` (as `make run`
and a deployment run it) through a local SMTP sink (aiosmtpd, which keeps nothing),
while wrk loads the home page. Mails per second count from the moment staff pressed
"send" to the last mail the sink accepted: writing the mails is part of it."""

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller

from bench.server import ROOT, free_port

# Run in a child process with the bench's environment (bench/run.py, ours_prepare).
START = """
import django, json; django.setup()
from django.contrib.auth import get_user_model
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from communications.models import OutboundMail
# The bench's own database holds the mail of earlier scenarios (the submissions'
# acknowledgements), which no worker sent: set aside, so the worker sends only this.
OutboundMail.objects.filter(status=OutboundMail.Status.QUEUED).update(
    status=OutboundMail.Status.FAILED, last_error="Set aside by the benchmark.")
DBTaskResult.objects.filter(status=TaskResultStatus.READY).delete()
from mailings.models import NewsletterIssue
from mailings.services import staff_mailing_send
staff, _ = get_user_model().objects.get_or_create(username="bench-editor", is_staff=True)
issue = NewsletterIssue.objects.create(
    subject=SUBJECT, created_by=staff,
    body="Olive oil season: **the new harvest is in**.\\n\\n"
         "- Arbequina, by the pallet\\n- Koroneiki, by the drum\\n\\n"
         "[Prices](https://www.roochi.com/prices/)")
print(json.dumps({"mailing": staff_mailing_send(item=issue, user=staff).pk}))
"""


SUBJECT = "The bench's newsletter"


class Sink:
    """Accepts every message and counts those of the issue."""

    def __init__(self):
        self.received = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if message_from_bytes(envelope.content)["Subject"] == SUBJECT:
            with self.lock:
                self.received += 1
        return "250 OK"


@dataclass
class NewsletterRun:
    recipients: int
    sent: int
    suppressed: int
    failed: int
    received: int
    prepared_s: float
    total_s: float
    # Whether the mails were still going when the page load ended.
    overlapped: bool

    @property
    def mails_per_second(self) -> float:
        return self.sent / self.total_s if self.total_s else 0.0


def mailing_state(database_url: str, mailing_id: int) -> dict:
    import psycopg

    with psycopg.connect(database_url) as connection:
        created, prepared = connection.execute(
            "SELECT created_at, prepared_at FROM communications_mailing WHERE id = %s",
            [mailing_id]).fetchone()
        counts = dict(connection.execute(
            "SELECT status, count(*) FROM communications_outboundmail WHERE mailing_id = %s "
            "GROUP BY status", [mailing_id]).fetchall())
        last_sent = connection.execute(
            "SELECT max(sent_at) FROM communications_outboundmail WHERE mailing_id = %s",
            [mailing_id]).fetchone()[0]
    return {"created": created, "prepared": prepared, "counts": counts, "last_sent": last_sent}


def newsletter_send(*, env: dict[str, str], database_url: str, load, timeout: float,
                    log: Path) -> tuple[NewsletterRun, object]:
    """Start the issue, run one task worker against the sink, call ``load()`` (wrk on a
    page) once the first mail went, and wait until every mail is settled."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    worker = None
    try:
        code = f"SUBJECT = {SUBJECT!r}\n{START}"
        output = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                                stdout=subprocess.PIPE, text=True,
                                env={**os.environ, **env}).stdout
        mailing_id = json.loads(output.strip().splitlines()[-1])["mailing"]
        worker_env = {**os.environ, **env, "EMAIL_HOST": "127.0.0.1",
                      "EMAIL_PORT": str(controller.port), "EMAIL_USE_TLS": "false"}
        with log.open("a") as worker_log:
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "task_worker", "--no-startup-delay",
                 "--interval", "0.1"],
                cwd=ROOT, env=worker_env, stdout=worker_log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while sink.received == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        loaded = load()
        state = mailing_state(database_url, mailing_id)
        overlapped = state["prepared"] is None or state["counts"].get("queued", 0) > 0
        while time.monotonic() < deadline and (
                state["prepared"] is None or state["counts"].get("queued", 0)):
            time.sleep(0.2)
            state = mailing_state(database_url, mailing_id)
        if state["prepared"] is None or state["counts"].get("queued", 0):
            raise RuntimeError(f"the newsletter was not sent in {timeout:.0f} s: "
                               f"{state['counts']}; see {log}")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        controller.stop()
    counts = state["counts"]
    return NewsletterRun(
        recipients=sum(counts.values()), sent=counts.get("sent", 0),
        suppressed=counts.get("suppressed", 0), failed=counts.get("failed", 0),
        received=sink.received,
        prepared_s=(state["prepared"] - state["created"]).total_seconds(),
        total_s=((state["last_sent"] or state["created"]) - state["created"]).total_seconds(),
        overlapped=overlapped,
    ), loaded
