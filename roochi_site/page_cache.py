"""Fast (DESIGN.md): a public page's HTML is the same for every visitor (no cookie, no
per-visitor state, no inline script), so it is rendered once and served from this
process's memory until something it shows changes.

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
import gzip
import hashlib
import logging
import re
import struct
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csp import get_nonce
from django.urls import Resolver404, resolve

from roochi_site.csrf import FORM_TOKEN_FIELD, form_token_new, form_token_read

# A bound on the pages one process keeps (each is some tens of KB): past it, all are
# dropped and kept again as they are asked for.
MAX_KEPT_PAGES = 500
# A form's signed token (roochi_site/csrf.py) is the one part of a form page that
# differs between visitors: the page is stored with a placeholder in its place, and
# each visitor is served a fresh token, so tokens never expire together or get shared.
FORM_TOKEN_VALUE = re.compile(rb'(name="' + FORM_TOKEN_FIELD.encode() + rb'" value=")([^"]*)(")')
# The placeholder keeps the token's form (its scope), so that the fresh one is bound to it.
FORM_TOKEN_PLACEHOLDER = re.compile(rb"\x00form-token:([^\x00]*)\x00")

# A gzip member's header (RFC 1952): deflate, no name, no time, the system unknown.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
# A deflate stream's last block, empty.
DEFLATE_END = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush(zlib.Z_FINISH)

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


def page_cache_parts() -> str:
    """What every cached page is kept under besides its path: the registered parts."""
    return ":".join(f"{name}={value}" for name, value in _key_part_values())


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


# Headers a 304 repeats (RFC 9110, section 15.4.5), besides the security headers the
# outer middleware adds to every answer.
NOT_MODIFIED_HEADERS = ("Cache-Control", "Content-Location", "ETag", "Expires", "Vary")
# Added by the cache itself, per answer: never stored with a page.
PER_ANSWER_HEADERS = {"content-length", "content-encoding", "etag", "cache-control", "vary"}
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@dataclass(frozen=True)
class CachedPage:
    """A page as the full middleware stack answered it once: its bytes, and every
    header the stack built, so that an answer from the cache carries the same ones
    (CSP, Permissions-Policy, X-Frame-Options...) without building them again. A page
    without a form token is compressed once and has an ETag derived from its bytes,
    the same in every process; a page with one is told apart per visitor."""

    headers: tuple[tuple[str, str], ...]
    # A page without a form token; a form page is kept as the text around its token.
    html: bytes
    has_token: bool
    gzipped: bytes = b""
    etag: str = ""
    # A form page: its text around the token, compressed once, and the token's scope.
    around_token: "TokenPage | None" = None
    token_scope: str = ""

    @classmethod
    def of(cls, response: HttpResponse, html: bytes, *, has_token: bool) -> "CachedPage":
        headers = tuple((name, value) for name, value in response.items()
                        if name.lower() not in PER_ANSWER_HEADERS)
        if has_token:
            before, scope, after = FORM_TOKEN_PLACEHOLDER.split(html)
            return cls(headers=headers, html=b"", has_token=True,
                       around_token=TokenPage.of(before, after), token_scope=scope.decode())
        digest = hashlib.sha256(html).hexdigest()[:32]
        return cls(headers=headers, html=html, has_token=False,
                   gzipped=gzip.compress(html, compresslevel=9, mtime=0), etag=f'W/"{digest}"')

    def answer(self, request: HttpRequest) -> HttpResponse:
        accepts_gzip = ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if self.has_token:
            # A fresh token each time: never stored by a browser or a proxy, and never
            # "not modified", since no two answers are the same.
            token = form_token_new(self.token_scope).encode()
            response = HttpResponse(self.around_token.gzipped(token) if accepts_gzip
                                    else self.around_token.plain(token))
            cache_control = "no-store"
        elif self.etag in if_none_match(request):
            response = HttpResponseNotModified()
            cache_control = public_cache_control()
        else:
            response = HttpResponse(self.gzipped if accepts_gzip else self.html)
            cache_control = public_cache_control()
        if response.status_code == 200:
            for name, value in self.headers:
                response.headers[name] = value
            if accepts_gzip:
                response.headers["Content-Encoding"] = "gzip"
            response.headers["Content-Length"] = str(len(response.content))
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = cache_control
        if self.etag:
            response.headers["ETag"] = self.etag
        return response


@dataclass(frozen=True)
class TokenPage:
    """A form page as the text before and after its token, kept so that each visitor's
    copy is made without compressing the page again: compressing it whole took 0.8 ms
    an answer, as much as the rest of the answer.

    Each side is compressed once into raw deflate blocks that end on a byte boundary
    and refer to nothing before them (a full flush); the token goes between them as a
    stored block, which costs no compressor (making one allocates hundreds of KB); the
    pieces make one gzip member (RFC 1951, 1952), the way pigz joins its blocks."""

    before: bytes
    after: bytes
    before_deflated: bytes
    after_deflated: bytes
    before_crc: int

    @classmethod
    def of(cls, before: bytes, after: bytes) -> "TokenPage":
        return cls(before=before, after=after, before_deflated=deflated(before),
                   after_deflated=deflated(after), before_crc=zlib.crc32(before))

    def plain(self, token: bytes) -> bytes:
        return self.before + token + self.after

    def gzipped(self, token: bytes) -> bytes:
        crc = zlib.crc32(self.after, zlib.crc32(token, self.before_crc))
        length = len(self.before) + len(token) + len(self.after)
        return b"".join([GZIP_HEADER, self.before_deflated, stored_block(token),
                         self.after_deflated, DEFLATE_END,
                         struct.pack("<II", crc, length & 0xFFFFFFFF)])


def deflated(data: bytes, *, level: int = 9) -> bytes:
    """Raw deflate blocks of ``data`` that end on a byte boundary and refer to nothing
    before them (a full flush): pieces made so join into one valid stream."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def stored_block(data: bytes) -> bytes:
    """``data`` as one deflate block kept as it is (RFC 1951, 3.2.4), for a stream that
    stands on a byte boundary: a header byte (not the last block, stored), then the
    length and its complement."""
    if len(data) > 0xFFFF:
        raise ValueError("a stored block holds at most 65535 bytes")
    return b"\x00" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data


def public_cache_control() -> str:
    """Browsers and the company's own proxy may reuse a page without a form for a
    short while (PUBLIC_PAGE_MAX_AGE_SECONDS), then ask again with its ETag."""
    return f"public, max-age={settings.PUBLIC_PAGE_MAX_AGE_SECONDS}"


def if_none_match(request: HttpRequest) -> set[str]:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    # A weak comparison (RFC 9110, section 13.1.2): W/"x" and "x" name the same page.
    return {f'W/{tag}' if not tag.startswith("W/") else tag
            for tag in (part.strip() for part in header.split(",")) if tag}


def page_cache_entry(request: HttpRequest, response: HttpResponse) -> CachedPage | None:
    """A page to keep, unless it is not a 200 a public_page_cache view gave, used the
    CSP nonce (that must not be served to someone else), sets a cookie (P1) or carries
    more than one token. A form's token is kept as a placeholder."""
    if (response.status_code != 200 or response.streaming or get_nonce(request)
            or response.cookies or not getattr(response, "public_page_cache", False)):
        return None

    def placeholder(match: re.Match) -> bytes:
        read = form_token_read(match[2].decode())
        scope = read[1] if read else ""
        return match[1] + b"\x00form-token:" + scope.encode() + b"\x00" + match[3]

    html, tokens = FORM_TOKEN_VALUE.subn(placeholder, response.content)
    if tokens > 1:
        return None
    return CachedPage.of(response, html, has_token=tokens == 1)


def is_cacheable_request(request: HttpRequest) -> bool:
    return (request.method in {"GET", "HEAD"}
            and not request.path_info.startswith((settings.ADMIN_PATH, settings.STATIC_URL)))


class KeptPages:
    """The pages this process keeps, all under one value of the key parts. When the
    parts change (an edit, a policy taking effect, a new day), every page kept is out
    of date, and all are dropped at once. In memory rather than in Django's cache: a hit
    then costs neither the backend's key checks nor unpickling the page (a third of
    what a form page from the cache cost), and a kept page is never changed."""

    def __init__(self):
        # Replaced whole, so that a thread never files a page under parts it was not
        # made under.
        self._kept: tuple[str, dict[str, CachedPage]] = ("", {})

    def get(self, parts: str, key: str) -> CachedPage | None:
        kept_parts, pages = self._kept
        return pages.get(key) if kept_parts == parts else None

    def keep(self, parts: str, key: str, page: CachedPage) -> None:
        kept_parts, pages = self._kept
        if kept_parts != parts or len(pages) >= MAX_KEPT_PAGES:
            self._kept = (parts, {key: page})
        else:
            pages[key] = page

    def clear(self) -> None:
        self._kept = ("", {})


kept_pages = KeptPages()


class PublicPageCacheMiddleware:
    """Answers a cached public page before the middleware it does not need (sessions,
    authentication, messages, the CSRF check, per-answer header building), with the
    headers the full stack built for it once per content generation.

    Placed inside the cookie guard, the security middleware (HTTPS redirect, HSTS,
    per request) and the visit statistics (a page from the cache is a page view too),
    and above everything else. What makes a page correct still holds: the key carries
    what the registered parts describe (the pages' content, the policy state), each
    visitor gets a fresh form token, and a page is only ever kept as the full stack
    answered it. A first answer is given from the kept page too, so that a hit and a
    miss cannot differ.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_cacheable_request(request):
            return self.get_response(request)
        try:
            # A Host this site does not answer to is never served a page: the full
            # stack refuses it (400) with every header.
            request.get_host()
            parts = page_cache_parts()
            key = f"{request.path}?{page_query_key(request)}"
        except (DisallowedHost, OperationalError, InterfaceError):
            # Without a database and with nothing known yet, the view's own path
            # answers 503.
            return self.get_response(request)
        if (page := kept_pages.get(parts, key)) is not None:
            return page.answer(request)
        response = self.get_response(request)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        page = page_cache_entry(request, response)
        if page is None:
            return response
        kept_pages.keep(parts, key, page)
        return page.answer(request)


def public_page_cache(view, *, query_key: Callable[[HttpRequest], str] | None = None):
    """Let PublicPageCacheMiddleware keep a view's GET answers. For a view whose
    answer depends only on its path and what the registered key parts describe (a
    form's token aside).

    The query string is not part of the key: anyone can invent one, and each would
    fill the cache. A view whose answer depends on one names it with ``query_key``,
    which must give one of a few known values, or "" (the page without a query), for
    any query string."""

    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.method in {"GET", "HEAD"}:
            response.public_page_cache = True
        return response

    cached_view.public_page_cache = True
    cached_view.public_page_query_key = query_key
    return cached_view


def page_query_key(request: HttpRequest) -> str:
    """What of the query string the page's view says its answer depends on, if any.
    Only asked when there is a query string: without one every view's part is ""."""
    if not request.META.get("QUERY_STRING"):
        return ""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return ""
    query_key = getattr(match.func, "public_page_query_key", None)
    return query_key(request) if query_key is not None else ""
