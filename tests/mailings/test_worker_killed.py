"""A mailing of a few hundred recipients whose worker is killed (SIGKILL) twice: in the
middle of writing a batch of its mails, and in the middle of an SMTP conversation.
Started again, the workers reach every recipient exactly once: one row, one message."""

import signal
import threading
from collections import Counter

import pytest
from django.db import connection, transaction

from communications.mailings import MAILING_BATCH_SIZE
from communications.models import OutboundMail
from mailings.services import staff_mailing_send
from privacy.models import ClientProfile, Person
from privacy.models.people import email_hash
from tests.communications.test_worker_recovery import task_worker, workers  # noqa: F401
from tests.conftest import StallingSMTPServer
from tests.waiting import wait_until

pytestmark = pytest.mark.usefixtures("committed_db")

RECIPIENTS = [f"client{number:03d}@example.com" for number in range(300)]
# In the second batch: its insert waits on this address's row, held by the test.
HELD = RECIPIENTS[MAILING_BATCH_SIZE + 50]
# Its delivery hangs mid-conversation until the worker is dead.
STALLED = RECIPIENTS[10]


def clients_add() -> None:
    people = Person.objects.bulk_create(
        Person(email=address, email_hash=email_hash(address)) for address in RECIPIENTS)
    ClientProfile.objects.bulk_create(
        ClientProfile(person=person, company="Client Ltd", account_number=f"C-{person.pk}")
        for person in people)


def waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                       " AND datname = current_database()")
        return cursor.fetchone()[0] > 0


@pytest.fixture
def stalling_smtp_server():
    server = StallingSMTPServer(stall={STALLED})
    server.start()
    yield server
    server.released.set()
    server.stop()


def test_a_mailing_whose_worker_dies_mid_batch_and_mid_send_reaches_everyone_once(
        announcement, staff_user, stalling_smtp_server, workers, tmp_path):  # noqa: F811
    clients_add()
    mailing = staff_mailing_send(item=announcement, user=staff_user)
    mails = OutboundMail.objects.filter(mailing=mailing)
    log = tmp_path / "workers.log"
    stale = {"MAIL_DELIVERY_STALE_SECONDS": "2"}

    # The test writes (and does not commit) a mail for one address of the second
    # batch: the worker's insert of that batch waits on the unique constraint.
    held, release = threading.Event(), threading.Event()

    def hold_one_address():
        try:
            with transaction.atomic():
                OutboundMail.objects.create(
                    to=HELD, subject="held", body="held", category="service",
                    purpose="held", mailing=mailing, message_id="<held@example.com>")
                held.set()
                release.wait(timeout=60)
                transaction.set_rollback(True)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_one_address)
    holder.start()
    try:
        assert held.wait(timeout=10)
        workers.append(task_worker(stalling_smtp_server.port, log, **stale))
        wait_until(lambda: mails.count() == MAILING_BATCH_SIZE and waiting_on_a_lock(), 60,
                   f"the second batch did not start: {log.read_text()}")
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=10)
    finally:
        release.set()
        holder.join()
    # The first batch is whole, the second left nothing; no mail has gone yet.
    assert mails.count() == MAILING_BATCH_SIZE
    assert stalling_smtp_server.messages == []

    workers.append(task_worker(stalling_smtp_server.port, log, **stale))
    assert stalling_smtp_server.stalled.wait(timeout=60), log.read_text()
    workers[1].send_signal(signal.SIGKILL)
    workers[1].wait(timeout=10)
    stalling_smtp_server.released.set()

    workers.append(task_worker(stalling_smtp_server.port, log, **stale))
    wait_until(lambda: mails.count() == len(RECIPIENTS)
               and not mails.exclude(status=OutboundMail.Status.SENT).exists(), 180,
               f"not every mail was sent: {log.read_text()[-3000:]}")
    received = Counter(message["To"] for message in stalling_smtp_server.messages)
    assert received == Counter(RECIPIENTS)
    assert Counter(mails.values_list("to", flat=True)) == Counter(RECIPIENTS)
