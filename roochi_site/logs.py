"""How the site's log lines look, and how errors reach staff (settings.LOGGING).

One line per event: time, level, logger, message, and a traceback folded into the same
line, so a log collector never splits one event into many or mixes two. Email
addresses are masked in every line: a database error repeats the row's values in its
DETAIL ("Key (email)=(...) already exists"), and no log may hold a person's address
(the policy's Log Files promise, P4, P8).

Errors mail the staff of ADMINS, with what happened and where (the logger, the
message, the path without its query or tokens, the traceback's frames) and nothing of
the request: not its POST data, cookies, headers or address, which Django's own
AdminEmailHandler copies in full. A failure that repeats is mailed once in
ERROR_MAIL_REPEAT_MINUTES per process, so an outage does not flood the staff's inbox.
"""

import logging
import re
import time

from django.conf import settings
from django.core.mail import mail_admins

EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MASK = "[email]"
# What separates a traceback's lines within the one line.
FOLD = " | "


def masked(text: str) -> str:
    return EMAIL_ADDRESS.sub(MASK, text)


class OneLineFormatter(logging.Formatter):
    default_format = "%(asctime)s %(levelname)s %(name)s: %(message)s"

    def __init__(self, fmt: str | None = None, datefmt: str | None = None, **kwargs):
        super().__init__(fmt or self.default_format, datefmt, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        return masked(FOLD.join(line for line in super().format(record).splitlines() if line))


class StaffErrorMailHandler(logging.Handler):
    """Mails each error record to ADMINS (none: nothing is sent)."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.setFormatter(OneLineFormatter())
        self.last_sent: dict[tuple[str, str], float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if not settings.ADMINS:
            return
        key = (record.name, str(record.msg))
        now = time.monotonic()
        if now - self.last_sent.get(key, -1e9) < settings.ERROR_MAIL_REPEAT_MINUTES * 60:
            return
        self.last_sent[key] = now
        subject = masked(f"{record.levelname}: {record.getMessage()}")[:150]
        lines = [f"{record.levelname} in {record.name}: {record.getMessage()}"]
        if status := getattr(record, "status_code", None):
            lines.append(f"Status: {status}")
        if record.exc_info:
            lines += ["", self.formatter.formatException(record.exc_info)]
        lines += ["", "The request's data, cookies, headers and address are not included (P4)."]
        body = masked("\n".join(lines))
        try:
            mail_admins(subject, body)
        except Exception:  # the mail of an error must never raise another
            self.handleError(record)
