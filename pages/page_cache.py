"""Fast (DESIGN.md): a public page's HTML is the same for every visitor (no cookie, no
per-visitor state, no inline script), so it is rendered once and served from Django's
cache until its content or the policy version in force changes.

The cache key is the path, the pages' content generation and what the pages show of
the privacy policy (privacy.policy.policy_page_state). The content generation is a
counter that a database trigger bumps on any change to a page row (migration
pages/0003), so every worker, on every machine, agrees on it. Reading it is one tiny
query; a worker re-reads it at most every PUBLIC_PAGE_CACHE_RECHECK_SECONDS, so a
cached page costs no query at all and a staff edit shows on every worker within that
many seconds (see docs/decisions.md).
"""

import functools
import hashlib
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce

from privacy.policy import current_version, policy_page_state
from roochi_site.csrf import FORM_TOKEN_FIELD, form_token_new

CACHE_TIMEOUT = 24 * 60 * 60
# A form's signed token (roochi_site/csrf.py) is the one part of a form page that
# differs between visitors: the page is stored with a placeholder in its place, and
# each visitor is served a fresh token, so tokens never expire together or get shared.
FORM_TOKEN_VALUE = re.compile(rb'(name="' + FORM_TOKEN_FIELD.encode() + rb'" value=")[^"]*(")')
FORM_TOKEN_PLACEHOLDER = b"\x00form-token\x00"


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


def page_cache_key(request: HttpRequest) -> str:
    # The policy part changes with the version in force, a scheduled one, a newly
    # published one and the changed-policy notice (P9), which shows for some days only.
    path = hashlib.sha256(request.path.encode()).hexdigest()
    return f"public-page:{content_generation()}:{policy_page_state()}:{path}"


def page_cache_store(request: HttpRequest, key: str, response: HttpResponse) -> None:
    """Keep a rendered page, unless it is not a 200 or used the CSP nonce (that must not
    be served to someone else). A form's token is kept as a placeholder."""
    if response.status_code != 200 or response.streaming or get_nonce(request):
        return
    html, tokens = FORM_TOKEN_VALUE.subn(rb"\1" + FORM_TOKEN_PLACEHOLDER + rb"\2",
                                         response.content)
    if tokens <= 1:
        cache.set(key, html, CACHE_TIMEOUT)


def page_cache_response(html: bytes) -> HttpResponse:
    return HttpResponse(html.replace(FORM_TOKEN_PLACEHOLDER, form_token_new().encode()))


def public_page_cache(view):
    """The cache for a function view. The view should put `current_policy` from
    privacy.policy.current_version() in its context, as the key does."""

    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in {"GET", "HEAD"}:
            return view(request, *args, **kwargs)
        key = page_cache_key(request)
        if (html := cache.get(key)) is not None:
            return page_cache_response(html)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        page_cache_store(request, key, response)
        return response

    return cached_view


class PublicPageCacheMixin:
    """The cache for a class-based view whose GET answer depends only on its path, the
    pages' content and the policy version in force (a form's token aside)."""

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.current_policy = current_version()
        key = page_cache_key(request)
        if (html := cache.get(key)) is not None:
            return page_cache_response(html)
        response = super().get(request, *args, **kwargs)
        response.render()
        page_cache_store(request, key, response)
        return response

    def get_context_data(self, **kwargs):
        # The version the key was made with, so the footer cannot disagree with the key
        # (and the context processor does not look it up a second time).
        return super().get_context_data(current_policy=self.current_policy, **kwargs)
