"""Recording a page view costs the request no query (issue 14): the view is appended to
a buffer in this process's memory, and a background thread writes the buffer every
SITESTATS_WRITE_SECONDS in one transaction (and once more when the process exits).

The same thread closes the days that are over, once a day in each process, shortly
after midnight UTC (sitestats.services.visit_days_close), and rolls up old hourly
counts: with the site serving, yesterday's salt is gone minutes after midnight even
if nobody visits. `manage.py sitestats_close_days` does the same from a scheduler.
"""

import atexit
import logging
import os
import threading
import time
from collections import deque
from datetime import UTC, date, datetime

from django.conf import settings
from django.db import DatabaseError, close_old_connections

from sitestats.dimensions import parser_load
from sitestats.services import (
    CLOSING_DELAY,
    PageView,
    hourly_counts_roll_up,
    page_views_write,
    visit_days_close,
)

logger = logging.getLogger(__name__)

# Views kept while the database is away: beyond this the oldest go (statistics may
# miss an outage's views; the site must not run out of memory for them).
BUFFER_LIMIT = 50_000

_buffer: deque[PageView] = deque(maxlen=BUFFER_LIMIT)
_write_lock = threading.Lock()
_start_lock = threading.Lock()
_writer_started = False
_closed_before: date | None = None


def page_view_record(view: PageView) -> None:
    """Called by the middleware for every page view: a deque append, thread-safe."""
    _buffer.append(view)
    if not _writer_started:
        writer_start()


def writer_start() -> None:
    """Start this process's writer, on its first page view (after gunicorn forked it).
    SITESTATS_WRITE_SECONDS = 0 starts none: the tests write with buffer_write()."""
    global _writer_started  # noqa: PLW0603 -- one writer per process
    with _start_lock:
        if _writer_started:
            return
        _writer_started = True
        if settings.SITESTATS_WRITE_SECONDS > 0:
            threading.Thread(target=_write_every, args=(settings.SITESTATS_WRITE_SECONDS,),
                             name="sitestats-writer", daemon=True).start()
            atexit.register(_write_with_fresh_connection)


def _forget_writer() -> None:
    """In a forked child: the parent's thread did not come along, nor do its views."""
    global _writer_started  # noqa: PLW0603
    _writer_started = False
    _buffer.clear()


os.register_at_fork(after_in_child=_forget_writer)


def _write_every(seconds: float) -> None:
    parser_load()
    while True:
        time.sleep(seconds)
        try:
            _write_with_fresh_connection()
            days_close_when_due()
        except Exception as error:  # the writer must outlive any one batch
            # The type only, no traceback: a message could quote what a visitor sent.
            logger.error("Visit statistics writer: %s", type(error).__name__)  # noqa: TRY400


def _write_with_fresh_connection() -> None:
    # Outside a request nothing else replaces a connection that is too old or broken
    # (CONN_MAX_AGE, CONN_HEALTH_CHECKS).
    close_old_connections()
    buffer_write()


def buffered() -> list[PageView]:
    """The views not yet written (for the tests)."""
    return list(_buffer)


def buffer_write() -> int:
    """Write the buffered views; the number written. A database error loses this
    batch and says so (never with an address or browser string in the message)."""
    with _write_lock:
        batch = []
        while _buffer:
            batch.append(_buffer.popleft())
        if not batch:
            return 0
        try:
            page_views_write(batch)
        except DatabaseError as error:
            logger.warning("Visit statistics: %d page views not written (%s)", len(batch),
                           type(error).__name__)
            return 0
        return len(batch)


def days_close_when_due() -> None:
    """Once a day per process, shortly after midnight UTC: close the days that are over
    and roll up old hourly counts."""
    global _closed_before  # noqa: PLW0603
    due = (datetime.now(UTC) - CLOSING_DELAY).date()
    if _closed_before == due:
        return
    with _write_lock:
        try:
            visit_days_close()
            hourly_counts_roll_up()
        except DatabaseError as error:
            logger.warning("Visit statistics: days not closed yet (%s)", type(error).__name__)
            return
    _closed_before = due
