"""Read the inbox customers write to, and route each new message (communications/inbox.py).

Scheduled every minute (settings.SCHEDULED_JOBS; `make run` runs it). It reads an IMAP
folder when INBOX_IMAP_HOST is set, else the Maildir at INBOX_MAILDIR; with neither it
says so and does nothing. Running it twice, or twice at once, changes nothing: every
message is recorded by its Message-ID's hash with what it caused, and leaves the inbox
only once that is committed.
"""

import imaplib

from django.core.management.base import BaseCommand, CommandError

from communications.inbox import configured_inbox, inbox_read


class Command(BaseCommand):
    help = "Read the inbox and route each new message: opt-outs, replies to inquiries, bounces."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="Say where each new message would go; change and remove nothing.")

    def handle(self, *args, dry_run: bool, **options):
        try:
            inbox = configured_inbox()
            if inbox is None:
                self.stdout.write("No inbox is configured (INBOX_IMAP_HOST or INBOX_MAILDIR): "
                                  "nothing was read.")
                return
            with inbox:
                report = inbox_read(inbox, dry_run=dry_run)
        except (imaplib.IMAP4.error, OSError) as error:
            raise CommandError(
                f"Could not read the inbox: {type(error).__name__}: {error}") from error
        routes = ", ".join(f"{count} {route}" for route, count in sorted(report.routes.items()))
        self.stdout.write(
            f"{'Would route' if dry_run else 'Read'} {report.read} messages: "
            f"{report.known} handled before, {routes or 'no new one'}"
            + (f", {report.failed} failed (tried again next time)" if report.failed else "")
            + ".")
