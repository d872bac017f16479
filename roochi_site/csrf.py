"""Cross-site request protection for public forms, without a cookie (P1).

Django's CSRF middleware needs a cookie, so it guards only the staff admin. A public
POST is accepted when the browser says it came from this site:
- Fetch Metadata: ``Sec-Fetch-Site: same-origin`` (every current browser sends it);
- otherwise the ``Origin`` header naming this site or a trusted origin;
- otherwise (old clients, some proxies) a signed, expiring form token in the body.
Every public form carries that token anyway (``roochi_site.forms.PublicFormMixin``), so
all three paths work for a real visitor.
"""

import functools
import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware

from roochi_site.middleware import is_staff_path

FORM_TOKEN_FIELD = "form_token"
FORM_TOKEN_SALT = "roochi_site.public-form"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class FormTokenSigner(signing.TimestampSigner):
    """Django's timestamp signer, with each key's MAC derived once rather than at every
    token: deriving it was most of what a form page served from the cache cost. Its
    tokens are the ones Django's own signer makes and reads (SHA-256, fallback keys
    included)."""

    def signature(self, value, key=None):
        mac = keyed_mac(self.salt + "signer", key or self.key).copy()
        mac.update(value.encode())
        return signing.b64_encode(mac.digest()).decode()


@functools.lru_cache(maxsize=16)
def keyed_mac(salt: str, key: str | bytes) -> hmac.HMAC:
    """An HMAC-SHA256 keyed as django.utils.crypto.salted_hmac keys it, to copy."""
    secret = key.encode() if isinstance(key, str) else key
    return hmac.new(hashlib.sha256(salt.encode() + secret).digest(), digestmod=hashlib.sha256)


@functools.lru_cache(maxsize=4)
def form_token_signer(secret_key: str, fallback_keys: tuple[str, ...]) -> FormTokenSigner:
    return FormTokenSigner(key=secret_key, fallback_keys=list(fallback_keys),
                           salt=FORM_TOKEN_SALT)


def form_token_signer_current() -> FormTokenSigner:
    return form_token_signer(settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))


def form_token_new(scope: str, *, issued_at: float | None = None) -> str:
    """A token that proves a form was served by this site, which form (its scope: a
    token shown with one form is refused by another), and when. The random part makes
    each one unique, so a form that uses it to recognise a second post of the same
    submission never mistakes two visitors for one."""
    moment = time.time() if issued_at is None else issued_at
    value = f"{moment:.3f}|{secrets.token_urlsafe(9)}|{scope}"
    return form_token_signer_current().sign(value)


def form_token_read(token: str) -> tuple[float, str] | None:
    """(when it was issued, its form's scope), or None when forged or expired."""
    try:
        issued_at, _random, scope = form_token_signer_current().unsign(
            token, max_age=settings.FORM_TOKEN_MAX_AGE).split("|", 2)
        return float(issued_at), scope
    except (signing.BadSignature, ValueError):
        return None


def form_token_issued_at(token: str, *, scope: str | None = None) -> float | None:
    """The Unix time the token was issued, or None when it is forged, expired or (with
    a scope) was issued for another form."""
    read = form_token_read(token)
    if read is None or (scope is not None and read[1] != scope):
        return None
    return read[0]


def cross_site_reason(request: HttpRequest) -> str | None:
    """Why this unsafe request must be refused, or None when it came from this site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return None if fetch_site == "same-origin" else f"Sec-Fetch-Site is {fetch_site}"
    origin = request.headers.get("Origin")
    if origin is not None:
        own_origin = f"{request.scheme}://{request.get_host()}"
        if origin == own_origin or origin in settings.CSRF_TRUSTED_ORIGINS:
            return None
        return f"Origin {origin} is not this site"
    if form_token_issued_at(request.POST.get(FORM_TOKEN_FIELD, "")) is None:
        return "no Fetch Metadata, no Origin and no valid form token"
    return None


class SameOriginPostMiddleware(CsrfViewMiddleware):
    """Django's cookie-based check for the admin; the cookieless one everywhere else."""

    def process_view(self, request, callback, callback_args, callback_kwargs):
        if is_staff_path(request):
            return super().process_view(request, callback, callback_args, callback_kwargs)
        if request.method in SAFE_METHODS or getattr(callback, "csrf_exempt", False):
            return None
        if reason := cross_site_reason(request):
            return self._reject(request, reason)
        return None
