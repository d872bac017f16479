"""The pages' content generation: a counter that a database trigger bumps on any change
to a page row (migration pages/0003), so every worker, on every machine, agrees on it.
It is the pages' part of the public page cache's key (roochi_site/page_cache.py).

Reading it is one tiny query; a worker re-reads it at most every
PUBLIC_PAGE_CACHE_RECHECK_SECONDS, so a cached page costs no query at all and a staff
edit shows on every worker within that many seconds (see docs/decisions.md).
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection


@dataclass
class _GenerationSeen:
    value: int = 0
    read_at: float = float("-inf")


_seen = _GenerationSeen()


def content_generation() -> int:
    """The pages' content generation, as of at most PUBLIC_PAGE_CACHE_RECHECK_SECONDS ago."""
    now = time.monotonic()
    if now - _seen.read_at >= settings.PUBLIC_PAGE_CACHE_RECHECK_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM pages_content_generation")
            (_seen.value,) = cursor.fetchone()
        _seen.read_at = now
    return _seen.value


def content_generation_forget() -> None:
    """Make this process re-read the content generation on its next request."""
    _seen.read_at = float("-inf")


def content_generation_key() -> str:
    return str(content_generation())
