"""The inbox read over IMAP, from a real IMAP server on loopback (pymap, in memory):
each message handled once, what nobody took left unread for staff, the rest removed."""

import imaplib
import subprocess
import sys
from pathlib import Path

import pytest

from communications.inbox import ImapInbox, inbox_read
from communications.models import OutboundMail, UndeliverableAddress
from communications.services import mail_queue
from tests.communications.inbox_messages import auto_reply, bounce, customer_mail
from tests.conftest import free_port
from tests.waiting import wait_until

pytestmark = pytest.mark.usefixtures("committed_db")

USER, PASSWORD = "demouser", "demopass"


def connected(port: int) -> imaplib.IMAP4 | None:
    try:
        imap = imaplib.IMAP4("127.0.0.1", port, timeout=5)
    except OSError:
        return None
    imap.login(USER, PASSWORD)
    imap.select("INBOX")
    return imap


@pytest.fixture
def imap_server():
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("pymap")), "--host", "127.0.0.1", "--port",
         str(port), "--no-tls", "dict", "--demo-data", "--demo-user", USER,
         "--demo-password", PASSWORD],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        imap = wait_until(lambda: connected(port), 20, "the IMAP server answers")
        # An empty inbox: the demo data's own messages go.
        imap.store("1:*", "+FLAGS", r"(\Deleted)")
        imap.expunge()
        yield port, imap
        imap.logout()
    finally:
        server.terminate()
        server.wait(10)


def subjects_and_seen(imap: imaplib.IMAP4) -> list[tuple[str, bool]]:
    imap.noop()
    _, [found] = imap.uid("SEARCH", None, "ALL")
    listed = []
    for uid in found.split():
        _, data = imap.uid("FETCH", uid, "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        header = next(item[1] for item in data if isinstance(item, tuple))
        answer = b" ".join(part for item in data
                           for part in (item if isinstance(item, tuple) else [item]))
        listed.append((header.decode().strip().removeprefix("Subject: "), b"\\Seen" in answer))
    return sorted(listed)


def test_the_inbox_is_read_over_imap_once(imap_server):
    port, imap = imap_server
    mail_queue(to="gone@example.com", subject="Your request",
               template_name="communications/mail/footer.txt", context={},
               category=OutboundMail.Category.REPLY, purpose="test")
    for raw in [bounce(recipient="gone@example.com"),
                auto_reply(sender="ana@example.com", subject="Your request"),
                customer_mail(sender="ana@example.com", subject="A question", text="Fiji?")]:
        imap.append("INBOX", None, None, raw)
    inbox = ImapInbox(host="127.0.0.1", port=port, user=USER, password=PASSWORD,
                      folder="INBOX", tls=False)

    with inbox:
        first = inbox_read(inbox)
    assert first.routes == {"bounce": 1, "automatic": 1, "for staff": 1}
    assert UndeliverableAddress.objects.filter(email="gone@example.com").exists()
    # The bounce is gone; what stays for staff is still unread.
    assert subjects_and_seen(imap) == [("A question", False),
                                       ("Automatic reply: Your request", False)]

    with inbox:
        second = inbox_read(inbox)
    assert (second.read, second.known, second.routes) == (2, 2, {})
    assert len(subjects_and_seen(imap)) == 2


def test_a_wrong_password_is_a_clear_error(imap_server):
    port, _imap = imap_server
    inbox = ImapInbox(host="127.0.0.1", port=port, user=USER, password="wrong",
                      folder="INBOX", tls=False)
    with pytest.raises(imaplib.IMAP4.error), inbox:
        pass


def test_a_folder_larger_than_one_fetch_is_read_in_batches_and_whole(imap_server,
                                                                      monkeypatch):
    """A folder staff let grow: one command naming every UID would pass the line a
    server accepts, so the headers come in batches, and none is missed or read twice."""
    from communications import inbox as inbox_module

    port, imap = imap_server
    monkeypatch.setattr(inbox_module, "IMAP_FETCH_BATCH", 2)
    for number in range(5):
        imap.append("INBOX", None, None, customer_mail(sender=f"p{number}@example.com",
                                                       subject=f"Question {number}", text="?"))
    with ImapInbox(host="127.0.0.1", port=port, user=USER, password=PASSWORD,
                   folder="INBOX", tls=False) as inbox:
        report = inbox_read(inbox)
    assert report.routes == {"for staff": 5}
    assert subjects_and_seen(imap) == [(f"Question {number}", False) for number in range(5)]
