"""The inbox the customers write to (the Reply-To of our mail): read, each message
handled once, routed.

Routing, in order. Automatic mail (RFC 3834: auto-replies, bounces, mailing-list
traffic) is never answered and reaches no other route, so two robots never loop; a
bounce that reports a permanent failure for an address we mailed marks it
undeliverable. Then the routes the apps above register at ``ready()`` (privacy: an
"unsubscribe" subject; inquiries: a reply to an inquiry), by their order; the first
that takes a message wins. Whatever none takes is left in the inbox for staff.

Each message is recorded by the hash of its Message-ID (InboundMessage) in the same
transaction as what it caused, and removed from the inbox only after that commit: a
crash between the two leaves it in the inbox, and the next run finds the record and
only removes it. The inbox is a Maildir (local runs, tests) or an IMAP folder
(production), read by ``manage.py inbox_read`` every minute (settings.SCHEDULED_JOBS).
"""

import email
import email.errors
import email.policy
import hashlib
import imaplib
import logging
import mailbox
import re
import ssl
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import strip_tags

from communications.models import InboundMessage, OutboundMail, UndeliverableAddress
from roochi_site.email_address import email_canonical, email_canonical_or_lower
from roochi_site.personal_data import StoreUnavailableError

logger = logging.getLogger(__name__)

MESSAGE_ID = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True)
class IncomingMessage:
    """What a route sees of a message a person wrote to us."""

    message_id: str
    # Canonical; "" when the From header names no usable address.
    sender: str
    subject: str
    # The plain text, or the HTML's text when there is no plain part.
    text: str
    # The Message-IDs it answers: In-Reply-To, then References.
    answers: tuple[str, ...]
    # Files attached: the inbox alone keeps them.
    has_attachments: bool


@dataclass(frozen=True)
class Routed:
    """A route took the message. What it caused (an inquiry's timeline event, a
    confirmation mail) is recorded; a message whose attachments matter stays in the
    inbox for staff."""

    caused: models.Model | None = None
    leave_in_inbox: bool = False


Route = Callable[[IncomingMessage], Routed | None]


@dataclass(frozen=True)
class InboundRoute:
    name: str
    route: Route
    order: int


_routes: dict[str, InboundRoute] = {}


def inbound_route_register(name: str, route: Route, *, order: int) -> None:
    """Offer each message nobody took before to ``route``, lowest order first."""
    _routes[name] = InboundRoute(name=name, route=route, order=order)


def inbound_routes() -> list[InboundRoute]:
    return sorted(_routes.values(), key=lambda route: route.order)


# --- What a message is ----------------------------------------------------------------

# RFC 3834 section 2 and the headers responders use in practice: none of these is a
# person writing, and none may be answered.
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
AUTOMATIC_HEADERS = ("X-Autoreply", "X-Autorespond", "List-Id", "List-Unsubscribe")


def message_parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def header_text(message: EmailMessage, name: str) -> str:
    """A header as text; "" when absent or too broken to read."""
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError, LookupError, OverflowError,
            email.errors.MessageError):
        value = None
    return str(value).strip() if value is not None else ""


def automatic(message: EmailMessage) -> bool:
    auto_submitted = header_text(message, "Auto-Submitted").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return True
    if header_text(message, "Precedence").lower() in AUTOMATIC_PRECEDENCE:
        return True
    if header_text(message, "Return-Path") == "<>":  # a bounce's null sender
        return True
    if message.get_content_type() == "multipart/report":
        return True
    return any(header_text(message, name) for name in AUTOMATIC_HEADERS)


def permanent_failures(message: EmailMessage) -> list[tuple[str, str]]:
    """(canonical address, status) for each recipient a delivery status notification
    (RFC 3464) reports as failed with a permanent status (5.x.x, RFC 3463)."""
    if message.get_content_type() != "multipart/report":
        return []
    failures = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        # The first block is about the message, each further one about a recipient.
        for block in part.get_payload()[1:]:
            action = header_text(block, "Action").lower()
            status = header_text(block, "Status")
            _type, _, address = header_text(block, "Final-Recipient").partition(";")
            if action != "failed" or not status.startswith("5"):
                continue
            try:
                failures.append((email_canonical(address), status[:20]))
            except ValidationError:
                continue
    return failures


def message_text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, UnicodeError):  # an unknown or lying charset
        content = body.get_payload(decode=True).decode("utf-8", errors="replace")
    if body.get_content_type() == "text/html":
        content = strip_tags(content)
    return content.strip()


def sender_of(message: EmailMessage) -> str:
    return first_address(header_text(message, "From"))


def first_address(from_header: str) -> str:
    """The first usable address a From header names, canonical; "" when none."""
    for _name, address in getaddresses([from_header]):
        try:
            return email_canonical(address)
        except ValidationError:
            continue
    return ""


def incoming(message: EmailMessage) -> IncomingMessage:
    return IncomingMessage(
        message_id=header_text(message, "Message-ID"),
        sender=sender_of(message),
        subject=header_text(message, "Subject"),
        text=message_text(message),
        answers=tuple(dict.fromkeys(
            MESSAGE_ID.findall(header_text(message, "In-Reply-To"))
            + MESSAGE_ID.findall(header_text(message, "References")))),
        has_attachments=any(True for _ in message.iter_attachments()),
    )


def message_hash(*, message_id: str, raw: Callable[[], bytes]) -> str:
    """What makes a message the same message: its Message-ID, or all of it when it has
    none (a second copy of one message is then the same too)."""
    if message_id:
        return hashlib.sha256(message_id.strip().encode()).hexdigest()
    return hashlib.sha256(raw()).hexdigest()


# --- Routing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    route: str
    routed: Routed | None


def automatic_route(message: EmailMessage) -> Outcome:
    """A bounce marks the addresses we mailed that failed for good; other automatic
    mail (an out-of-office note, a delay notice, a list) stays for staff, unanswered."""
    marked = None
    for address, status in permanent_failures(message):
        # Only an address we mailed: a bounce of mail someone else sent in our name
        # (backscatter) says nothing about our mail.
        if not OutboundMail.objects.filter(to=address).exists():
            continue
        marked, _ = UndeliverableAddress.objects.update_or_create(
            email=address, defaults={"marked_at": timezone.now(), "status_code": status})
    if marked is not None:
        return Outcome("bounce", Routed(caused=marked))
    return Outcome("automatic", None)


def message_route(message: EmailMessage) -> Outcome:
    if automatic(message):
        return automatic_route(message)
    person_wrote = incoming(message)
    for route in inbound_routes():
        if (routed := route.route(person_wrote)) is not None:
            return Outcome(route.name, routed)
    return Outcome("", None)


# --- The inbox -------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxEntry:
    handle: str
    message_id: str
    raw: Callable[[], bytes]
    # Bytes that begin with the headers the inbox's personal data reads (From,
    # Subject, Date): the whole message from a Maildir, those headers from IMAP.
    header_bytes: bytes
    # When it arrived in the inbox (IMAP's INTERNALDATE, a Maildir file's time); None
    # when the server does not say.
    arrived: Callable[[], datetime | None] = lambda: None


class MaildirInbox:
    """A Maildir folder: local runs and tests (INBOX_MAILDIR)."""

    def __init__(self, path: Path | str):
        # A fresh checkout has no var/ yet; Maildir makes only the last folder.
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.maildir = mailbox.Maildir(path, factory=None, create=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.maildir.close()

    def entries(self) -> Iterator[InboxEntry]:
        for key in list(self.maildir.iterkeys()):
            raw = self.maildir.get_bytes(key)
            headers = BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
            yield InboxEntry(handle=key, message_id=str(headers.get("Message-ID", "")).strip(),
                             raw=lambda raw=raw: raw, header_bytes=raw,
                             arrived=lambda key=key: self.arrived(key))

    def arrived(self, key: str) -> datetime | None:
        try:
            return datetime.fromtimestamp(self.maildir.get_message(key).get_date(), tz=UTC)
        except KeyError:  # gone meanwhile (the reader took it)
            return None

    def remove(self, handle: str) -> None:
        self.maildir.discard(handle)


# UIDs a FETCH names at most: about 4 KB of command line.
IMAP_FETCH_BATCH = 500


def internal_date(described: bytes) -> datetime | None:
    """The INTERNALDATE a FETCH response names (RFC 3501: "02-Dec-2026 06:42:00 +0000")."""
    found = re.search(rb'INTERNALDATE "([^"]+)"', described)
    if found is None:
        return None
    try:
        return datetime.strptime(found.group(1).decode().strip(), "%d-%b-%Y %H:%M:%S %z")
    except ValueError:
        return None


class ImapInbox:
    """A folder on an IMAP server (RFC 3501; INBOX_IMAP_*), over TLS unless told
    otherwise. Messages are read with BODY.PEEK, so what stays for staff stays unread."""

    def __init__(self, *, host: str, port: int, user: str, password: str, folder: str,
                 tls: bool, timeout: float = 30):
        self.host, self.port, self.user, self.password = host, port, user, password
        self.folder, self.tls, self.timeout = folder, tls, timeout

    def __enter__(self):
        if self.tls:
            self.imap = imaplib.IMAP4_SSL(self.host, self.port, timeout=self.timeout,
                                          ssl_context=ssl.create_default_context())
        else:
            self.imap = imaplib.IMAP4(self.host, self.port, timeout=self.timeout)
        try:
            self.imap.login(self.user, self.password)
            self.ok(self.imap.select(self.quoted(self.folder)))
        except BaseException:
            self.imap.shutdown()
            raise
        # RFC 4315: UID EXPUNGE removes only our message, not others flagged deleted.
        # Asked again: a server names its capabilities anew once logged in.
        [capabilities] = self.ok(self.imap.capability())
        self.uid_expunge = b"UIDPLUS" in capabilities.upper().split()
        return self

    def __exit__(self, *exc_info):
        try:
            if not self.uid_expunge:
                self.imap.expunge()
            self.imap.logout()
        except (imaplib.IMAP4.error, OSError):
            self.imap.shutdown()

    @staticmethod
    def quoted(name: str) -> str:
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'

    @staticmethod
    def ok(response: tuple[str, list]) -> list:
        status, data = response
        if status != "OK":
            raise imaplib.IMAP4.error(f"{status} {data!r}")
        return data

    def entries(self) -> Iterator[InboxEntry]:
        [found] = self.ok(self.imap.uid("SEARCH", None, "UNDELETED"))
        uids = found.split()
        # Headers of all first: a message already handled is never downloaded again.
        # In batches: one command naming thousands of UIDs would pass the line length a
        # server accepts (Dovecot's imap_max_line_length is 64 KB).
        for start in range(0, len(uids), IMAP_FETCH_BATCH):
            yield from self.entries_of(uids[start:start + IMAP_FETCH_BATCH])

    def entries_of(self, uids: list[bytes]) -> Iterator[InboxEntry]:
        data = self.ok(self.imap.uid(
            "FETCH", b",".join(uids).decode(),
            "(UID INTERNALDATE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID FROM SUBJECT DATE)])"))
        for index, item in enumerate(data):
            if not isinstance(item, tuple):
                continue
            # The server may name the UID before the header's literal or after it.
            after = data[index + 1] if index + 1 < len(data) else b""
            described = item[0] + (after if isinstance(after, bytes) else b"")
            found_uid = re.search(rb"UID (\d+)", described)
            if found_uid is None:
                continue
            uid = found_uid.group(1).decode()
            headers = BytesHeaderParser(policy=email.policy.compat32).parsebytes(item[1])
            arrived = internal_date(described)
            yield InboxEntry(handle=uid, message_id=str(headers.get("Message-ID", "")).strip(),
                             raw=lambda uid=uid: self.message(uid), header_bytes=item[1],
                             arrived=lambda arrived=arrived: arrived)

    def message(self, uid: str) -> bytes:
        data = self.ok(self.imap.uid("FETCH", uid, "(BODY.PEEK[])"))
        return next(item[1] for item in data if isinstance(item, tuple))

    def remove(self, handle: str) -> None:
        self.ok(self.imap.uid("STORE", handle, "+FLAGS", r"(\Deleted)"))
        if self.uid_expunge:
            self.ok(self.imap.uid("EXPUNGE", handle))


@dataclass
class InboxReport:
    read: int = 0
    # Messages handled by an earlier run (removed now if that run could not).
    known: int = 0
    failed: int = 0
    # New messages by the route that took them ("for staff": none did).
    routes: Counter = field(default_factory=Counter)


def inbox_read(inbox: MaildirInbox | ImapInbox, *, dry_run: bool = False) -> InboxReport:
    """Handle every message of the inbox once; what each one caused is committed
    before it leaves the inbox. A dry run routes each new message, undoes what it did
    and removes nothing."""
    report = InboxReport()
    for entry in inbox.entries():
        report.read += 1
        key = message_hash(message_id=entry.message_id, raw=entry.raw)
        if known := InboundMessage.objects.filter(message_hash=key).first():
            report.known += 1
            if known.disposition == InboundMessage.Disposition.REMOVED and not dry_run:
                inbox.remove(entry.handle)
            continue
        try:
            outcome = inbox_message_handle(key=key, raw=entry.raw(), dry_run=dry_run)
        except IntegrityError:
            continue  # another reader recorded it first, and removes it
        except Exception:  # one message that breaks a route must not stop the others
            logger.exception("Could not handle an inbox message; it is tried again next time")
            report.failed += 1
            continue
        report.routes[outcome.route or "for staff"] += 1
        if outcome.routed is not None and not outcome.routed.leave_in_inbox and not dry_run:
            inbox.remove(entry.handle)
    return report


def inbox_message_handle(*, key: str, raw: bytes, dry_run: bool = False) -> Outcome:
    """Route one message and record it, in one transaction."""
    with transaction.atomic():
        # Written first: a second reader at the same moment waits here, then fails on
        # the unique hash once this one commits.
        record = InboundMessage.objects.create(message_hash=key,
                                               disposition=InboundMessage.Disposition.LEFT)
        outcome = message_route(message_parse(raw))
        routed = outcome.routed
        record.route = outcome.route
        if routed is not None and not routed.leave_in_inbox:
            record.disposition = InboundMessage.Disposition.REMOVED
        if routed is not None and routed.caused is not None:
            record.caused = f"{routed.caused._meta.label_lower}:{routed.caused.pk}"
        record.save(update_fields=["route", "disposition", "caused"])
        if dry_run:
            transaction.set_rollback(True)
    return outcome


def configured_inbox(*, timeout: float = 30) -> "ImapInbox | MaildirInbox | None":
    """The inbox of the settings: an IMAP folder when INBOX_IMAP_HOST is set, else the
    Maildir at INBOX_MAILDIR; None with neither."""
    if settings.INBOX_IMAP_HOST:
        return ImapInbox(host=settings.INBOX_IMAP_HOST, port=settings.INBOX_IMAP_PORT,
                         user=settings.INBOX_IMAP_USER, password=settings.INBOX_IMAP_PASSWORD,
                         folder=settings.INBOX_IMAP_FOLDER, tls=settings.INBOX_IMAP_TLS,
                         timeout=timeout)
    if settings.INBOX_MAILDIR:
        return MaildirInbox(settings.INBOX_MAILDIR)
    return None


# --- A person's messages in the inbox (P8) ---------------------------------------------
# What nobody took stays in the inbox for staff: the person's own words, outside the
# database, so the registry reaches it as a store of its own (communications/personal_data.py).


def entry_headers(entry: InboxEntry) -> EmailMessage:
    """The entry's From, Subject and Date, decoded and unfolded as routing reads them."""
    return BytesHeaderParser(policy=email.policy.default).parsebytes(entry.header_bytes)


def sent_at(headers: EmailMessage) -> datetime | None:
    """When the sender's Date header says it was sent; None for no date."""
    try:
        sent = parsedate_to_datetime(header_text(headers, "Date"))
    except (TypeError, ValueError, OverflowError):
        return None
    # "-0000": in UTC, the sender's own zone unknown (RFC 5322).
    return sent if sent.tzinfo is not None else sent.replace(tzinfo=UTC)


def sent_shown(headers: EmailMessage) -> str:
    """When the message was sent, in the site's time zone; the Date header as written
    when it is no date the site can show."""
    sent = sent_at(headers)
    try:
        return date_format(timezone.localtime(sent), "j F Y, H:i") if sent else \
            header_text(headers, "Date")
    except OverflowError:  # a date near the end of time, past it in our zone
        return header_text(headers, "Date")


def entries_from(inbox: "ImapInbox | MaildirInbox", email: str) -> list[InboxEntry]:
    """The inbox's messages whose sender is this person, under any spelling of the
    address (both sides canonical)."""
    person = email_canonical_or_lower(email)
    return [entry for entry in inbox.entries()
            if first_address(header_text(entry_headers(entry), "From")) == person]


def inbox_message_listed(entry: InboxEntry) -> dict[str, str]:
    headers = entry_headers(entry)
    try:
        text = message_text(message_parse(entry.raw()))
    except (LookupError, UnicodeError, ValueError, TypeError):
        text = "(a message we could not read as text)"
    return {"Sent": sent_shown(headers),
            "Subject": header_text(headers, "Subject") or "(no subject)", "Text": text}


def inbox_messages_from(email: str) -> list[dict[str, str]]:
    """The person's messages left in the inbox, as their copy lists them: when sent,
    the subject and their words (attachments stay out)."""
    return in_configured_inbox(
        lambda inbox: [inbox_message_listed(entry) for entry in entries_from(inbox, email)],
        nothing=[])


def inbox_messages_erase(email: str) -> int:
    """Remove the person's messages from the inbox; how many went."""
    def removed(inbox):
        entries = entries_from(inbox, email)
        for entry in entries:
            inbox.remove(entry.handle)
        return len(entries)
    return in_configured_inbox(removed, nothing=0)


def inbox_messages_erase_where(erased_at: Callable[[str], datetime | None], *,
                               dry_run: bool = False) -> int:
    """Remove every message that arrived in the inbox (or, where the inbox keeps no
    time, says it was sent) before ``erased_at(sender)``: when its sender (canonical,
    "" for none) was erased, None for never. A message with no time stays. How many
    went, or with ``dry_run`` would go. Not bounded by a request's wait: a command
    calls it."""
    def removed(inbox):
        count = 0
        for entry in inbox.entries():
            headers = entry_headers(entry)
            erased = erased_at(first_address(header_text(headers, "From")))
            # Asked only of an erased sender's messages: a Maildir reads the file again.
            arrived = (entry.arrived() or sent_at(headers)) if erased else None
            if arrived is not None and arrived < erased:
                count += 1
                if not dry_run:
                    inbox.remove(entry.handle)
        return count
    return in_configured_inbox(removed, nothing=0, wait=30)


# The copy page and staff's erasure read the inbox while a visitor or staff wait, and
# gunicorn's timeout (30 s) would cut a stalled server's page off with no message.
INBOX_WAIT_IN_A_REQUEST_SECONDS = 10


def in_configured_inbox[T](work: Callable[["ImapInbox | MaildirInbox"], T], *, nothing: T,
                           wait: float | None = None) -> T:
    try:
        inbox = configured_inbox(timeout=wait or INBOX_WAIT_IN_A_REQUEST_SECONDS)
        if inbox is None:
            return nothing
        with inbox:
            return work(inbox)
    except (imaplib.IMAP4.error, OSError) as error:
        raise StoreUnavailableError(
            f"the support inbox could not be read ({type(error).__name__}: {error})") from error
