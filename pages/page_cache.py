"""Fast (DESIGN.md): a public page's HTML is the same for every visitor (no cookie, no
per-visitor state, no inline script), so it is rendered once and served from Django's
cache until its content or the policy version in force changes.

The cache key is the path, the pages' content generation and the current policy
version number. The content generation is a counter that a database trigger bumps on
any change to a page row (migration pages/0003), so every worker, on every machine,
agrees on it. Reading it is one tiny query; a worker re-reads it at most every
PUBLIC_PAGE_CACHE_RECHECK_SECONDS, so a cached page costs no query at all and a staff
edit shows on every worker within that many seconds (see docs/decisions.md).
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce

from privacy.policy import current_version


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


class PublicPageCacheMixin:
    """For a view whose GET answer depends only on its path, the pages' content and the
    policy version in force. Never for a page with per-request content (a form and its
    token, a CSP nonce): a response that used the nonce is not stored."""

    cache_timeout = 24 * 60 * 60

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.current_policy = current_version()
        key = self.page_cache_key(request)
        if (html := cache.get(key)) is not None:
            return HttpResponse(html)
        response = super().get(request, *args, **kwargs)
        response.render()
        if response.status_code == 200 and not get_nonce(request):
            cache.set(key, response.content, self.cache_timeout)
        return response

    def get_context_data(self, **kwargs):
        # The version the key was made with, so the footer cannot disagree with the key
        # (and the context processor does not look it up a second time).
        return super().get_context_data(current_policy=self.current_policy, **kwargs)

    def page_cache_key(self, request: HttpRequest) -> str:
        policy_number = self.current_policy.number if self.current_policy else 0
        path = hashlib.sha256(request.path.encode()).hexdigest()
        return f"public-page:{content_generation()}:{policy_number}:{path}"
