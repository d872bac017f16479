"""P8 outside the database: what a person wrote to the support inbox that no route took
waits there for staff, in the person's own words. Their copy lists it, their erasure
removes it (under any spelling of their address), an inbox that cannot be reached
erases nothing and says so, and an erasure applied again after a database restore
leaves alone what they wrote since."""

import json
import os
import time
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.utils import format_datetime

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.dateformat import format as date_format

from inquiries.models import Inquiry
from privacy import registry
from privacy.erasure_ledger import ledger_path
from privacy.models import PrivacyRequest
from privacy.models.people import email_hash
from privacy.services.erasures import erasures_reapply
from tests.communications.inbox_messages import customer_mail
from tests.communications.test_inbox_imap import imap_server, subjects_and_seen  # noqa: F401
from tests.conftest import free_port
from tests.inquiries.conftest import InquiryFactory
from tests.privacy.requests.conftest import copy_link_path, request_confirm, request_submit

pytestmark = pytest.mark.usefixtures("committed_db")

ANA = "ana.perez@example.com"
# The same address as she may type it in her mail program.
ANA_AS_SENT = "Ana.Perez@EXAMPLE.com"
BEN = "ben@example.com"
ACCENTED = "Crème brûlée for the office"
registry_declarations = registry.declarations()


@pytest.fixture
def support_inbox(inbox, settings):
    settings.INBOX_IMAP_HOST = ""
    settings.INBOX_MAILDIR = str(inbox.path)
    inbox.deliver(customer_mail(sender=ANA_AS_SENT, subject="Where is my crate?",
                                text="It has not arrived."))
    inbox.deliver(customer_mail(sender=BEN, subject="A price list, please", text="Thanks"))
    return inbox


def with_date(raw: bytes, date: str) -> bytes:
    """The message with its Date header written as given."""
    head, rest = raw.split(b"Date: ", 1)
    return head + f"Date: {date}\r\n".encode() + rest.split(b"\n", 1)[1]


def test_the_copy_lists_the_person_s_messages_waiting_in_the_inbox(support_inbox):
    path = copy_link_path(ANA)
    html = Client().get(path).text
    assert ">Messages you wrote to us, waiting in our inbox</h2>" in html
    assert "Where is my crate?" in html
    assert "It has not arrived." in html  # her own words
    assert "A price list, please" not in html
    data = json.loads(Client().get(path + "data.json").content)
    [part] = [part for part in data["sections"]
              if part["title"] == "Messages you wrote to us, waiting in our inbox"]
    assert [record["Subject"] for record in part["records"]] == ["Where is my crate?"]
    # Staff's preview of an erasure shows it too.
    [found] = registry.records_for(ANA)["communications"]["communications.support_inbox"]
    assert found["Subject"] == "Where is my crate?"


def test_an_erasure_removes_the_person_s_messages_from_the_inbox_and_no_one_else_s(
        support_inbox, client, staff):
    request_submit(client, ANA, "delete")
    privacy_request = request_confirm(client, ANA)
    action = f"/admin/privacy/privacyrequest/{privacy_request.pk}/act/erase/"
    # Staff see it among what the erasure will remove before they confirm.
    preview = staff.get(action).text
    assert "communications.support_inbox: 1 (an erasure deletes them)" in preview
    assert "Where is my crate?" in preview
    assert "A price list, please" not in preview
    response = staff.post(action, {"confirm": "yes"})
    assert response.status_code == 302
    assert support_inbox.subjects() == ["A price list, please"]
    privacy_request.refresh_from_db()
    assert privacy_request.status == PrivacyRequest.Status.COMPLETED
    assert "communications.support_inbox: 1" in privacy_request.events.get(
        action="erased").note


def test_an_inbox_that_cannot_be_reached_erases_nothing_and_says_so(client, staff, settings):
    InquiryFactory(email=ANA)
    request_submit(client, ANA, "delete")
    privacy_request = request_confirm(client, ANA)
    settings.INBOX_IMAP_HOST = "127.0.0.1"
    settings.INBOX_IMAP_PORT = free_port()  # nothing listens there
    action = f"/admin/privacy/privacyrequest/{privacy_request.pk}/act/erase/"
    assert "communications.support_inbox: could not be read just now" in staff.get(action).text
    response = staff.post(action, {"confirm": "yes"})
    assert response.status_code == 200
    assert ("Nothing was changed: the support inbox could not be read "
            "(ConnectionRefusedError") in response.text
    assert "so the erasure was not done" in response.text
    assert Inquiry.objects.filter(email=ANA).exists()
    privacy_request.refresh_from_db()
    assert privacy_request.status != PrivacyRequest.Status.COMPLETED
    # Her copy says that part could not be read, rather than failing or leaving it out.
    html = Client().get(copy_link_path(ANA)).text
    assert "We could not read this part of your information just now" in html


def test_an_inbox_server_that_never_answers_gives_the_copy_its_note_in_time(settings,
                                                                           monkeypatch):
    """It accepts the connection and says nothing: the page does not wait for ever."""
    import socket

    from communications import inbox

    monkeypatch.setattr(inbox, "INBOX_WAIT_IN_A_REQUEST_SECONDS", 0.5)
    silent = socket.create_server(("127.0.0.1", 0))  # listens; never greets
    try:
        settings.INBOX_IMAP_HOST = "127.0.0.1"
        settings.INBOX_IMAP_PORT = silent.getsockname()[1]
        path = copy_link_path(ANA)
        started = time.monotonic()
        response = Client().get(path)
        waited = time.monotonic() - started
    finally:
        silent.close()
    # Far below gunicorn's 30 s, which the default wait of an inbox read would reach.
    assert waited < 10
    assert response.status_code == 200
    assert "We could not read this part of your information just now" in response.text


def test_a_row_that_cannot_be_erased_stops_the_erasure_before_the_inbox_is_touched(
        support_inbox, monkeypatch):
    """What leaves the inbox cannot be taken back: the database's part goes first."""
    from django.db import DataError

    from roochi_site.personal_data import Erasure, PersonalData

    InquiryFactory(email=ANA)
    # Her inquiry's erasure fails: a value its column cannot take.
    failing = PersonalData(model=Inquiry, fields=("name",), person_lookup="email",
                           erasure=Erasure.ANONYMISE, anonymised_values={"reference": "x" * 100})
    monkeypatch.setattr(registry, "declarations", lambda: [failing, *registry_declarations])
    with pytest.raises(DataError):
        registry.erase_person(ANA)
    assert support_inbox.subjects() == ["A price list, please", "Where is my crate?"]
    assert Inquiry.objects.filter(email=ANA).exists()


def test_a_message_with_broken_or_unusual_headers_is_listed_as_well_as_it_can_be(inbox,
                                                                                 settings):
    """Anyone can send a message "from" the person: none may break their copy."""
    settings.INBOX_IMAP_HOST, settings.INBOX_MAILDIR = "", str(inbox.path)
    for subject, date in [("=?utf-8?b?Q?=", "Fri, 31 Dec 9999 23:00:00 -1100"),
                          ("Crème brûlée, 8-bit", "not a date"),
                          ("A long\r\n folded subject", "Mon, 1 Jan 2024 10:00:00 -0000"),
                          ("An endless year", "Mon, 1 Jan 99999999999999999999 10:00:00 +0000")]:
        raw = customer_mail(sender=ANA, subject="placeholder", text="Words.")
        raw = raw.replace(b"Subject: placeholder", f"Subject: {subject}".encode())
        inbox.deliver(with_date(raw, date))
    response = Client().get(copy_link_path(ANA))
    assert response.status_code == 200
    html = response.text
    assert "Crème brûlée, 8-bit" in html
    assert "A long folded subject" in html
    assert "An endless year" in html
    assert "Fri, 31 Dec 9999 23:00:00 -1100" in html
    assert "not a date" in html
    # "-0000" is UTC (RFC 5322), shown in the site's time zone.
    assert date_format(timezone.localtime(datetime(2024, 1, 1, 10, tzinfo=UTC)),
                       "j F Y, H:i") in html


def erased_an_hour_ago(email: str) -> None:
    """The ledger's line of an erasure made an hour ago."""
    erased_at = (timezone.now() - timedelta(hours=1)).isoformat(timespec="seconds")
    with ledger_path().open("a") as ledger:
        ledger.write(f"{erased_at} {email_hash(email)}\n")


def delivered_at(inbox, raw: bytes, arrived) -> None:
    """A message that arrived in the Maildir at that time (its file's time, as a mail
    server's delivery leaves it), and says it was sent then."""
    key = inbox.deliver(with_date(raw, format_datetime(arrived)))
    [path] = inbox.path.glob(f"*/{key}*")
    os.utime(path, (arrived.timestamp(), arrived.timestamp()))


def test_erasing_again_after_a_restore_leaves_what_the_person_wrote_since(support_inbox):
    """The inbox is not rolled back by a database restore: what is there from her,
    sent after her erasure, is a new message to answer."""
    erased_an_hour_ago(ANA)
    InquiryFactory(email=ANA)  # brought back by the restore
    figures = erasures_reapply()
    assert not Inquiry.objects.filter(email=ANA).exists()
    assert support_inbox.subjects() == ["A price list, please", "Where is my crate?"]
    assert figures["inbox messages removed"] == 0


def test_erasing_again_removes_what_an_older_erasure_left_in_the_inbox(support_inbox):
    """An erasure made before the inbox was part of the registry left the messages
    sent before it: applying the ledger again removes them, and only them."""
    erased_an_hour_ago(ANA)
    two_hours_ago = timezone.now() - timedelta(hours=2)
    delivered_at(support_inbox, customer_mail(sender=ANA_AS_SENT, subject="Before",
                                              text="Sent before my erasure."), two_hours_ago)
    delivered_at(support_inbox, customer_mail(sender=BEN, subject="Ben, before", text="Hi"),
                 two_hours_ago)
    assert erasures_reapply(dry_run=True)["inbox messages to remove"] == 1
    assert len(support_inbox.subjects()) == 4
    assert erasures_reapply()["inbox messages removed"] == 1
    assert support_inbox.subjects() == ["A price list, please", "Ben, before",
                                        "Where is my crate?"]


def test_an_erasure_from_before_the_ledger_is_completed_by_its_database_record(
        support_inbox):
    """The ledger began after the first erasures: the person's erased row says when."""
    from privacy.models import Person

    Person.objects.create(email=None, email_hash=email_hash(ANA), status=Person.Status.ERASED,
                          status_changed_at=timezone.now() - timedelta(hours=1))
    delivered_at(support_inbox, customer_mail(sender=ANA, subject="Before", text="Old."),
                 timezone.now() - timedelta(hours=2))
    # A line a full disk cut short, and the next one appended to it, breaks nothing.
    ledger_path().write_text("2026-12-0\n2026-12-02T06:42026-12-03T10:00:00+00:00 abc\n")
    assert erasures_reapply()["inbox messages removed"] == 1
    assert support_inbox.subjects() == ["A price list, please", "Where is my crate?"]


@pytest.mark.parametrize("dry_run", [False, True])
def test_an_unreachable_inbox_leaves_the_database_s_erasures_done_and_says_so(
        settings, capsys, dry_run):
    from django.core.management import CommandError, call_command

    erased_an_hour_ago(ANA)
    InquiryFactory(email=ANA)
    settings.INBOX_IMAP_HOST, settings.INBOX_IMAP_PORT = "127.0.0.1", free_port()
    done = "counted" if dry_run else "done"
    with pytest.raises(CommandError, match=f"The database's erasures are {done}, but not the "
                       "support inbox's .*could not be read"):
        call_command("erasures_reapply", *(["--dry-run"] if dry_run else []))
    assert "in the ledger: 1" in capsys.readouterr().out
    assert Inquiry.objects.filter(email=ANA).exists() == dry_run


def test_over_imap_the_erasure_removes_her_messages_and_the_copy_reads_their_subjects(
        imap_server, settings):  # noqa: F811
    port, imap = imap_server
    raw = customer_mail(sender=ANA_AS_SENT, subject="placeholder", text="Two boxes.")
    # An encoded subject, as a mail program sends one with accents.
    raw = raw.replace(b"Subject: placeholder", f"Subject: {Header(ACCENTED, 'utf-8').encode()}"
                      .encode())
    for message in [raw, customer_mail(sender=BEN, subject="Hello", text="Hi")]:
        imap.append("INBOX", None, None, message)
    settings.INBOX_IMAP_HOST, settings.INBOX_IMAP_PORT = "127.0.0.1", port
    settings.INBOX_IMAP_USER, settings.INBOX_IMAP_PASSWORD = "demouser", "demopass"
    settings.INBOX_IMAP_FOLDER, settings.INBOX_IMAP_TLS = "INBOX", False

    [section] = [section for section in registry.readable_copy(ANA)
                 if section.title == "Messages you wrote to us, waiting in our inbox"]
    assert [item.value for item in section.records[0] if item.label == "Subject"] == [ACCENTED]
    erased = registry.erase_person(ANA)
    assert erased["communications.support_inbox"] == 1
    # Ben's message is still there, and still unread for staff.
    assert subjects_and_seen(imap) == [("Hello", False)]


def test_a_correction_changes_rows_and_never_reads_the_inbox(staff, monkeypatch):
    """Nothing in the inbox can be corrected: a correction does not wait on it."""
    from privacy.models import ClientProfile, Person
    from roochi_site import personal_data
    from tests.privacy.requests.test_request_admin import open_request, url

    def unread(email):
        raise AssertionError("a correction read the support inbox")

    store = personal_data.OutsideStore(name="communications.support_inbox", title="Unread",
                                       items=unread, erase=lambda email: 0)
    monkeypatch.setitem(personal_data._outside_stores, store.name, store)
    profile = ClientProfile.objects.create(person=Person.objects.create(email=ANA),
                                           company="Ana Trading", account_number="C-100")
    response = staff.post(url(open_request("correct", ANA), "correct"), {
        "record": f"privacy.ClientProfile|{profile.pk}|company", "value": "Ana Perez Trading"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.company == "Ana Perez Trading"


def test_over_imap_erasing_again_goes_by_when_the_server_received_each_message(
        imap_server, settings):  # noqa: F811
    """The server's INTERNALDATE, not the sender's clock: a message she sent after her
    erasure from a clock two hours slow stays; one that arrived before it goes."""
    import imaplib

    port, imap = imap_server
    now = timezone.now()
    erased_an_hour_ago(ANA)
    slow_clock = with_date(customer_mail(sender=ANA, subject="After, slow clock",
                                         text="Thanks."),
                           format_datetime(now - timedelta(hours=2)))
    imap.append("INBOX", None, imaplib.Time2Internaldate(now.timestamp()), slow_clock)
    imap.append("INBOX", None, imaplib.Time2Internaldate((now - timedelta(hours=2)).timestamp()),
                customer_mail(sender=ANA, subject="Before", text="Old."))
    settings.INBOX_IMAP_HOST, settings.INBOX_IMAP_PORT = "127.0.0.1", port
    settings.INBOX_IMAP_USER, settings.INBOX_IMAP_PASSWORD = "demouser", "demopass"
    settings.INBOX_IMAP_FOLDER, settings.INBOX_IMAP_TLS = "INBOX", False

    assert erasures_reapply()["inbox messages removed"] == 1
    assert subjects_and_seen(imap) == [("After, slow clock", False)]
