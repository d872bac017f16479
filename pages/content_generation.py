"""The pages' content generation: a counter that a database trigger bumps on any change
to a page, category or picture row (migrations pages/0003 and 0004), so every worker,
on every machine, agrees on it. With the moment of the latest scheduled publication
that has come, it is the pages' part of the public page cache's key
(roochi_site/page_cache.py): a page scheduled for nine o'clock changes no row at nine,
so the key changes by the clock, and a worker re-reads at that moment.

Reading it is one tiny query; a worker re-reads it at most every
PUBLIC_PAGE_CACHE_RECHECK_SECONDS, so a cached page costs no query at all and a staff
edit shows on every worker within that many seconds (see docs/decisions.md).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

# One query: the counter, the latest scheduled publication that has come and the next
# one still to come, over pages and categories.
GENERATION_QUERY = """
SELECT (SELECT value FROM pages_content_generation),
       max(publish_at) FILTER (WHERE publish_at <= %(now)s),
       min(publish_at) FILTER (WHERE publish_at > %(now)s)
FROM (SELECT publish_at FROM pages_page WHERE published
      UNION ALL SELECT publish_at FROM pages_category WHERE published) AS scheduled
"""


@dataclass
class _GenerationSeen:
    value: str = ""
    read_at: float = float("-inf")
    next_publication: datetime | None = None


_seen = _GenerationSeen()


def content_generation() -> str:
    """The pages' content generation, as of at most PUBLIC_PAGE_CACHE_RECHECK_SECONDS ago
    (or of the last scheduled publication, when that came since)."""
    now, wall_clock = time.monotonic(), timezone.now()
    due = _seen.next_publication is not None and _seen.next_publication <= wall_clock
    if due or now - _seen.read_at >= settings.PUBLIC_PAGE_CACHE_RECHECK_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(GENERATION_QUERY, {"now": wall_clock})
            value, latest, _seen.next_publication = cursor.fetchone()
        _seen.value = f"{value}@{latest.timestamp() if latest else 0}"
        _seen.read_at = now
    return _seen.value


def content_generation_forget() -> None:
    """Make this process re-read the content generation on its next request."""
    _seen.read_at = float("-inf")


def content_generation_key() -> str:
    return content_generation()


def per_content_generation[T](compute: Callable[[], T]) -> Callable[[], T]:
    """``compute``, answered once per content generation: for what the public sees of
    pages and categories, which changes only with it (a scheduled publication
    included), so the kept answer is right exactly as long as a cached page is. A form
    asks for the published categories at every post; this makes that no query."""
    kept: dict[str, T] = {}

    def current() -> T:
        generation = content_generation()
        if generation not in kept:
            # Replaced whole: two threads at once compute it twice, never mix answers.
            answer = compute()
            kept.clear()
            kept[generation] = answer
        return kept[generation]

    return current
