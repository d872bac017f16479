"""Fast (DESIGN.md): a public page's HTML is the same for every visitor (no cookie, no
per-visitor state, no inline script), so it is rendered once and served from Django's
cache until something it shows changes.

What a page shows besides its path is named by the apps that own it: each registers a
key part at ``ready()`` (pages adds the content generation of its rows, privacy what the
pages show of the policy in force). This module knows none of them, so it sits below
every app. A key part must be cheap (no query on most requests): it runs on every hit.

When the database is away, the pages keep being served: a key part that cannot be read
gives its last known value (nobody can change pages or publish a policy without the
database either), and the database is not asked again for a second; a page this
process never cached needs the database, and gets the "try again" page (503).
"""

import functools
import hashlib
import logging
import re
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce

from roochi_site.csrf import FORM_TOKEN_FIELD, form_token_new, form_token_read

CACHE_TIMEOUT = 24 * 60 * 60
# A form's signed token (roochi_site/csrf.py) is the one part of a form page that
# differs between visitors: the page is stored with a placeholder in its place, and
# each visitor is served a fresh token, so tokens never expire together or get shared.
FORM_TOKEN_VALUE = re.compile(rb'(name="' + FORM_TOKEN_FIELD.encode() + rb'" value=")([^"]*)(")')
# The placeholder keeps the token's form (its scope), so that the fresh one is bound to it.
FORM_TOKEN_PLACEHOLDER = re.compile(rb"\x00form-token:([^\x00]*)\x00")

logger = logging.getLogger(__name__)

KeyPart = Callable[[], str]
_key_parts: dict[str, KeyPart] = {}
# The value each part last gave, and when one last failed for lack of a database.
_last_known: dict[str, str] = {}
_database_failed_at = float("-inf")
DATABASE_RETRY_SECONDS = 1


def page_cache_vary_on(name: str, part: KeyPart) -> None:
    """Make every cached page's key include ``part()``: a few characters that change
    whenever what the pages show of the registering app changes."""
    _key_parts[name] = part


def page_cache_key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.path.encode()).hexdigest()
    parts = ":".join(f"{name}={value}" for name, value in _key_part_values())
    return f"public-page:{parts}:{path}"


def _key_part_values() -> list[tuple[str, str]]:
    global _database_failed_at  # noqa: PLW0603 -- one per process, like the cache itself.
    names = sorted(_key_parts)
    recently_failed = time.monotonic() - _database_failed_at < DATABASE_RETRY_SECONDS
    if recently_failed and all(name in _last_known for name in names):
        return [(name, _last_known[name]) for name in names]
    values = []
    for name in names:
        try:
            value = _key_parts[name]()
        except (OperationalError, InterfaceError) as error:
            _database_failed_at = time.monotonic()
            if name not in _last_known:
                raise
            logger.warning("Serving cached pages under the last known %s: %s", name,
                           type(error).__name__)
            value = _last_known[name]
        _last_known[name] = value
        values.append((name, value))
    return values


def page_cache_store(request: HttpRequest, key: str, response: HttpResponse) -> None:
    """Keep a rendered page, unless it is not a 200 or used the CSP nonce (that must not
    be served to someone else). A form's token is kept as a placeholder."""
    if response.status_code != 200 or response.streaming or get_nonce(request):
        return
    def placeholder(match: re.Match) -> bytes:
        read = form_token_read(match[2].decode())
        scope = read[1] if read else ""
        return match[1] + b"\x00form-token:" + scope.encode() + b"\x00" + match[3]

    html, tokens = FORM_TOKEN_VALUE.subn(placeholder, response.content)
    if tokens <= 1:
        cache.set(key, html, CACHE_TIMEOUT)


def page_cache_response(html: bytes) -> HttpResponse:
    return HttpResponse(FORM_TOKEN_PLACEHOLDER.sub(
        lambda match: form_token_new(match[1].decode()).encode(), html))


def public_page_cache(view, *, query_key: Callable[[HttpRequest], str] | None = None):
    """Serve a view's GET answers from the cache. For a view whose answer depends only
    on its path and what the registered key parts describe (a form's token aside).

    The query string is not part of the key: anyone can invent one, and each would
    fill the cache. A view whose answer depends on one names it with ``query_key``,
    which must give one of a few known values (or "") for any query string."""

    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in {"GET", "HEAD"}:
            return view(request, *args, **kwargs)
        key = page_cache_key(request)
        if query_key is not None:
            key = f"{key}:{query_key(request)}"
        if (html := cache.get(key)) is not None:
            return page_cache_response(html)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        page_cache_store(request, key, response)
        return response

    cached_view.public_page_cache = True
    return cached_view
