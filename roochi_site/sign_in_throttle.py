"""Repeated failed staff sign-ins are refused for a while, per account and per client.

Our own small throttle rather than django-axes: axes keeps each attempt's raw client
address and User-Agent in its tables, which P4 forbids. Here an account that failed
STAFF_SIGN_IN_ACCOUNT_FAILURES times, or a client that failed
STAFF_SIGN_IN_CLIENT_FAILURES times, within STAFF_SIGN_IN_WINDOW_MINUTES cannot sign in
until the window has passed or an administrator unlocks the account. The account is
keyed by the name typed, so a name with no account is throttled the same way and the
answer tells nobody which names exist.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from roochi_site.models import SignInFailure
from roochi_site.submission_limit import client_address, client_key, keyed_hash


def account_key_of(username: str) -> str:
    # Not bound to a day, unlike the client's: an account's lock must not lapse at midnight.
    return keyed_hash("staff-sign-in-account", username.strip().lower())


def client_key_of(request) -> str:
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return client_key(scope="staff-sign-in-client", client_address=client_address(request),
                      hour=today)


def open_failures():
    window = timedelta(minutes=settings.STAFF_SIGN_IN_WINDOW_MINUTES)
    return SignInFailure.objects.filter(at__gt=timezone.now() - window, released_at__isnull=True)


def sign_in_refused(request, username: str) -> bool:
    """Is this account, or this client, held back after too many failures?"""
    failures = open_failures()
    by_account = failures.filter(account_key=account_key_of(username)).count()
    by_client = failures.filter(client_key=client_key_of(request)).count()
    return (by_account >= settings.STAFF_SIGN_IN_ACCOUNT_FAILURES
            or by_client >= settings.STAFF_SIGN_IN_CLIENT_FAILURES)


def sign_in_failure_record(request, username: str) -> SignInFailure:
    account = get_user_model().objects.filter(
        **{f"{get_user_model().USERNAME_FIELD}__iexact": username.strip()}).first()
    return SignInFailure.objects.create(account=account, account_key=account_key_of(username),
                                        client_key=client_key_of(request))


def sign_in_failures_release(*, account_key: str, by=None) -> int:
    """Unlock an account (an administrator, ``by``) or close its failures (its owner
    signed in, ``by`` None); the number of failures released."""
    return SignInFailure.objects.filter(
        Q(account_key=account_key), released_at__isnull=True,
    ).update(released_at=timezone.now(), released_by=by)
