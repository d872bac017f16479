"""The support inbox is read once a minute: automatic mail is never answered, a bounce
marks the address, each message is handled once and leaves the inbox only after what
it caused is committed (communications/inbox.py)."""

import pytest
from django.core.management import CommandError, call_command

from communications import inbox as inbox_module
from communications.inbox import (
    IncomingMessage,
    MaildirInbox,
    Routed,
    inbound_route_register,
)
from communications.models import InboundMessage, OutboundMail, UndeliverableAddress
from communications.services import mail_queue
from tests.communications.inbox_messages import auto_reply, bounce, customer_mail
from tests.conftest import free_port

pytestmark = pytest.mark.usefixtures("committed_db")




def mail_to(address: str) -> OutboundMail:
    return mail_queue(to=address, subject="Your request RT-TEST",
                      template_name="communications/mail/footer.txt", context={},
                      category=OutboundMail.Category.REPLY, purpose="test")


@pytest.fixture
def every_message_taken(monkeypatch):
    """A route that takes every message a person wrote, as the apps' routes do."""
    taken = []

    def take(message: IncomingMessage) -> Routed:
        taken.append(message)
        return Routed()

    monkeypatch.setattr(inbox_module, "_routes", {})
    inbound_route_register("everything", take, order=1)
    return taken


def test_a_permanent_bounce_marks_the_address_and_leaves_the_inbox(inbox):
    mail_to("gone@example.com")
    inbox.deliver(bounce(recipient="Gone@Example.com", status="5.1.1"))
    report = inbox.read()
    assert report.routes == {"bounce": 1}
    [marked] = UndeliverableAddress.objects.all()
    assert (marked.email, marked.status_code) == ("gone@example.com", "5.1.1")
    assert inbox.subjects() == []


def test_a_delay_notice_marks_nothing_and_stays_for_staff(inbox):
    mail_to("slow@example.com")
    inbox.deliver(bounce(recipient="slow@example.com", status="4.4.1", action="delayed"))
    assert inbox.read().routes == {"automatic": 1}
    assert not UndeliverableAddress.objects.exists()
    assert inbox.subjects() == ["Undelivered Mail Returned to Sender"]


def test_a_bounce_of_mail_we_never_sent_marks_nothing(inbox):
    """Backscatter: someone sent mail in our name; that address tells us nothing."""
    inbox.deliver(bounce(recipient="stranger@example.com"))
    assert inbox.read().routes == {"automatic": 1}
    assert not UndeliverableAddress.objects.exists()


@pytest.mark.parametrize("headers", [
    {"Auto-Submitted": "auto-replied"},
    {"Auto-Submitted": "auto-generated"},
    {"Precedence": "bulk"},
    {"X-Autoreply": "yes"},
    {"List-Id": "<traders.lists.example.com>"},
    {"Return-Path": "<>"},
])
def test_automatic_mail_reaches_no_route(inbox, every_message_taken, headers):
    """RFC 3834: an automatic message is never answered, so two robots never loop."""
    inbox.deliver(customer_mail(sender="robot@example.com", subject="unsubscribe",
                                text="Out of office", headers=headers))
    assert inbox.read().routes == {"automatic": 1}
    assert every_message_taken == []
    assert inbox.subjects() == ["unsubscribe"]


def test_auto_submitted_no_is_a_person_writing(inbox, every_message_taken):
    inbox.deliver(customer_mail(sender="ana@example.com", subject="Hello", text="Hi",
                                headers={"Auto-Submitted": "no"}))
    assert inbox.read().routes == {"everything": 1}
    assert every_message_taken[0].sender == "ana@example.com"


def test_a_message_no_route_takes_stays_for_staff_and_is_considered_once(inbox):
    inbox.deliver(customer_mail(sender="ana@example.com", subject="A question",
                                text="Do you ship to Fiji?"))
    assert inbox.read().routes == {"for staff": 1}
    second = inbox.read()
    assert (second.known, second.routes) == (1, {})
    assert inbox.subjects() == ["A question"]
    assert InboundMessage.objects.get().disposition == InboundMessage.Disposition.LEFT


def test_a_crash_after_the_commit_removes_the_message_next_time_without_handling_it_again(
        inbox, every_message_taken, monkeypatch):
    inbox.deliver(customer_mail(sender="ana@example.com", subject="Hello", text="Hi"))

    def crash(self, handle):
        raise OSError("the machine went away")

    with monkeypatch.context() as patched:
        patched.setattr(MaildirInbox, "remove", crash)
        with pytest.raises(OSError, match="went away"):
            inbox.read()
    assert len(every_message_taken) == 1
    assert inbox.subjects() == ["Hello"]

    report = inbox.read()
    assert report.known == 1
    assert len(every_message_taken) == 1
    assert inbox.subjects() == []


def test_a_route_that_fails_keeps_the_message_for_the_next_run(inbox, monkeypatch):
    def broken(message):
        raise RuntimeError("a bug")

    monkeypatch.setattr(inbox_module, "_routes", {})
    inbound_route_register("broken", broken, order=1)
    inbox.deliver(customer_mail(sender="ana@example.com", subject="Hello", text="Hi"))
    inbox.deliver(bounce(recipient="gone@example.com"))
    report = inbox.read()
    assert report.failed == 1
    assert report.routes == {"automatic": 1}
    assert not InboundMessage.objects.filter(route="broken").exists()
    assert "Hello" in inbox.subjects()


def test_a_dry_run_changes_and_removes_nothing(inbox):
    mail_to("gone@example.com")
    inbox.deliver(bounce(recipient="gone@example.com"))
    assert inbox.read(dry_run=True).routes == {"bounce": 1}
    assert not UndeliverableAddress.objects.exists()
    assert not InboundMessage.objects.exists()
    assert len(inbox.subjects()) == 1


def test_a_message_without_message_id_is_known_by_its_content(inbox, every_message_taken):
    raw = customer_mail(sender="ana@example.com", subject="Hello", text="Hi")
    raw = b"\r\n".join(line for line in raw.split(b"\n")
                       if not line.lower().startswith(b"message-id")).replace(b"\r\r", b"\r")
    inbox.deliver(raw)
    inbox.deliver(raw)  # delivered twice
    report = inbox.read()
    assert report.routes == {"everything": 1}
    assert report.known == 1
    assert len(every_message_taken) == 1


def test_the_command_without_an_inbox_says_so(settings, capsys):
    settings.INBOX_IMAP_HOST = ""
    settings.INBOX_MAILDIR = ""
    call_command("inbox_read")
    assert "No inbox is configured" in capsys.readouterr().out


def test_the_command_reads_the_configured_maildir(inbox, settings, capsys):
    settings.INBOX_IMAP_HOST = ""
    settings.INBOX_MAILDIR = str(inbox.path)
    inbox.deliver(auto_reply(sender="ana@example.com", subject="Your request"))
    call_command("inbox_read")
    assert "Read 1 messages: 0 handled before, 1 automatic." in capsys.readouterr().out


def test_the_inbox_is_read_every_minute(settings):
    assert {"command": "inbox_read", "every": 60} in settings.SCHEDULED_JOBS


def test_the_command_makes_the_local_maildir_of_a_fresh_checkout(tmp_path, settings, capsys):
    settings.INBOX_IMAP_HOST = ""
    settings.INBOX_MAILDIR = str(tmp_path / "var" / "inbox")
    call_command("inbox_read")
    assert "Read 0 messages" in capsys.readouterr().out
    assert (tmp_path / "var" / "inbox" / "new").is_dir()


def test_an_inbox_that_cannot_be_read_is_a_clear_error(settings):
    settings.INBOX_IMAP_HOST = "127.0.0.1"
    settings.INBOX_IMAP_PORT = free_port()  # nothing listens there
    with pytest.raises(CommandError, match="Could not read the inbox: ConnectionRefusedError"):
        call_command("inbox_read")
