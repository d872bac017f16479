"""Messages as they arrive in the support inbox, and the inbox they arrive in."""

import mailbox
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from django.utils import timezone

SUPPORT = "support@roochi.com"


def customer_mail(*, sender: str, subject: str, text: str, in_reply_to: str = "",
                  references: str = "", attachment: bytes | None = None,
                  headers: dict[str, str] | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = f"Ana Example <{sender}>"
    message["To"] = SUPPORT
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain="mail.example.com")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if attachment is not None:
        message.add_attachment(attachment, maintype="image", subtype="jpeg",
                               filename="damaged-crate.jpg")
    return bytes(message)


def auto_reply(*, sender: str, subject: str, in_reply_to: str = "") -> bytes:
    return customer_mail(sender=sender, subject=f"Automatic reply: {subject}",
                         text="I am out of the office until Monday.", in_reply_to=in_reply_to,
                         headers={"Auto-Submitted": "auto-replied"})


def bounce(*, recipient: str, status: str = "5.1.1", action: str = "failed",
           original_message_id: str = "<original@roochi.com>") -> bytes:
    """A delivery status notification (RFC 3464), as Postfix writes one."""
    return f"""\
From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: {SUPPORT}
Subject: Undelivered Mail Returned to Sender
Date: {format_datetime(timezone.now())}
Message-ID: {make_msgid(domain="mx.example.net")}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="report"

--report
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered.

--report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 {status} <{recipient}>: Recipient address rejected

--report
Content-Type: text/rfc822-headers

Message-ID: {original_message_id}
Subject: We received your request

--report--
""".replace("\n", "\r\n").encode()


class Inbox:
    """A Maildir the reader reads, as a mail server would fill it."""

    def __init__(self, path: Path):
        self.path = path
        self.maildir = mailbox.Maildir(path, create=True)

    def deliver(self, raw: bytes) -> str:
        return self.maildir.add(raw)

    def read(self, **options):
        """One run of the reader over this inbox (communications.inbox.inbox_read)."""
        from communications.inbox import MaildirInbox, inbox_read

        with MaildirInbox(self.path) as maildir:
            return inbox_read(maildir, **options)

    def subjects(self) -> list[str]:
        return sorted(message["Subject"] for message in mailbox.Maildir(self.path))
