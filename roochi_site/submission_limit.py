"""The per-client limit every public form shares: at most so many accepted
submissions of one scope per client address per clock hour, counted under a keyed,
hour-bound hash of the address (P4: the address itself is never kept)."""

import hashlib
import hmac
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from roochi_site.models import SubmissionCount


def client_address(request: HttpRequest) -> str:
    """The visitor's address: the connection's, or, when the connection comes from a
    trusted proxy (TRUSTED_PROXIES), the last address the proxies appended to
    X-Forwarded-For that is not a proxy of ours. A visitor cannot forge it: what they
    put in the header themselves stands left of what our proxies appended."""
    address = request.META.get("REMOTE_ADDR", "")
    if address not in settings.TRUSTED_PROXIES:
        return address
    forwarded = [part.strip() for part in
                 request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for hop in reversed(forwarded):
        if hop not in settings.TRUSTED_PROXIES:
            return hop
    return address


class SubmissionLimitReachedError(Exception):
    """Too many submissions from one client address this hour."""


def keyed_hash(*parts: str) -> str:
    """An HMAC of the parts under a key derived from the site's secret: it cannot be
    reversed, nor computed by anyone without the secret."""
    key = hashlib.sha256(f"roochi_site.client-key|{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, "|".join(parts).encode(), hashlib.sha256).hexdigest()


def client_key(*, scope: str, client_address: str, hour: datetime) -> str:
    """A client address's key for one scope and one period (the hour, or the day,
    starting at ``hour``): it cannot be linked across periods."""
    return keyed_hash(scope, hour.isoformat(), client_address)


def submission_counts_expire(*, at: datetime | None = None) -> int:
    """Delete the counts of hours that are over (P4); the number deleted. Called by the
    hourly `purge_inquiries`, so that none outlives its hour by more than an hour; not
    with each submission, which would pay a statement for it every time."""
    hour = (at or timezone.now()).replace(minute=0, second=0, microsecond=0)
    return SubmissionCount.objects.filter(hour__lt=hour).delete()[0]


def submission_count_increment(*, scope: str, client_address: str, limit: int,
                               at: datetime | None = None) -> int:
    """Count one more submission; raise SubmissionLimitReachedError past the limit.

    Every form's service calls it before the submission's transaction, never inside
    it: committed at once, it counts every valid post, refused ones included, so a
    refused post writes only its count and costs less than a success, and the hot row
    of one client (a flood, or every visitor behind one proxy) is locked for this one
    statement rather than for a whole submission (docs/decisions.md). The upsert is
    atomic in PostgreSQL: posts at once from one client each get their own count."""
    at = at or timezone.now()
    hour = at.replace(minute=0, second=0, microsecond=0)
    table = SubmissionCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, client_key, hour, count) "  # noqa: S608
            "VALUES (%s, %s, %s, 1) ON CONFLICT (scope, client_key, hour) "
            f"DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [scope, client_key(scope=scope, client_address=client_address, hour=hour), hour],
        )
        count = cursor.fetchone()[0]
    if count > limit:
        raise SubmissionLimitReachedError
    return count
