"""Repeated failed staff sign-ins are held back per account and per client, with a clear
message, a record the privacy officer can read, and an unlock for administrators; no
record holds the name typed or the client's address (P4)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from roochi_site.models import SignInFailure
from tests.staff import second_factor_enter

pytestmark = pytest.mark.django_db

PASSWORD = "long enough and not common 42"
HELD_BACK = "Too many failed sign-ins"


def account(username: str, **extra):
    return get_user_model().objects.create_user(username=username, password=PASSWORD,
                                                is_staff=True, **extra)


def sign_in(username: str, password: str, *, address: str = "198.51.100.7"):
    client = Client(REMOTE_ADDR=address)
    response = client.post("/admin/login/", {"username": username, "password": password})
    return client, response


def fail(username: str, times: int, *, address: str = "198.51.100.7") -> None:
    for _ in range(times):
        _client, response = sign_in(username, "wrong password", address=address)
        assert response.status_code == 200
        assert HELD_BACK not in response.content.decode()


def test_an_account_is_held_back_after_five_failures_even_with_the_right_password(settings):
    account("maria")
    fail("maria", settings.STAFF_SIGN_IN_ACCOUNT_FAILURES)
    _client, response = sign_in("Maria", PASSWORD, address="203.0.113.50")
    assert response.status_code == 200
    assert HELD_BACK in response.content.decode()
    assert "held back for 15 minutes" in response.content.decode()
    # Another account is not held back.
    account("joseph")
    assert sign_in("joseph", PASSWORD)[1].status_code == 302


def test_a_name_without_an_account_is_held_back_the_same_way(settings):
    fail("nobody-here", settings.STAFF_SIGN_IN_ACCOUNT_FAILURES)
    response = sign_in("nobody-here", "anything at all")[1]
    assert HELD_BACK in response.content.decode()


def test_one_client_is_held_back_after_many_failures_across_names(settings):
    settings.STAFF_SIGN_IN_CLIENT_FAILURES = 6
    for number in range(6):
        fail(f"guess{number}", 1, address="192.0.2.66")
    account("maria")
    assert HELD_BACK in sign_in("maria", PASSWORD, address="192.0.2.66")[1].content.decode()
    assert sign_in("maria", PASSWORD, address="192.0.2.67")[1].status_code == 302


def test_the_hold_ends_with_its_window(settings):
    account("maria")
    fail("maria", settings.STAFF_SIGN_IN_ACCOUNT_FAILURES)
    SignInFailure.objects.update(
        at=timezone.now() - timedelta(minutes=settings.STAFF_SIGN_IN_WINDOW_MINUTES + 1))
    assert sign_in("maria", PASSWORD)[1].status_code == 302


def test_a_successful_sign_in_releases_the_earlier_failures(settings):
    maria = account("maria")
    fail("maria", settings.STAFF_SIGN_IN_ACCOUNT_FAILURES - 1)
    assert sign_in("maria", PASSWORD)[1].status_code == 302
    fail("maria", 1)
    assert sign_in("maria", PASSWORD)[1].status_code == 302
    assert SignInFailure.objects.filter(account=maria, released_at__isnull=True).count() == 0


def test_no_record_holds_the_name_typed_or_the_address():
    fail("typed-secretname", 2, address="198.51.100.99")
    for failure in SignInFailure.objects.values():
        text = " ".join(str(value) for value in failure.values())
        assert "198.51.100.99" not in text
        assert "secretname" not in text


def test_an_administrator_unlocks_an_account_and_the_record_says_who(settings):
    maria = account("maria")
    fail("maria", settings.STAFF_SIGN_IN_ACCOUNT_FAILURES)
    failure = SignInFailure.objects.filter(account=maria).first()
    action = f"/admin/roochi_site/signinfailure/{failure.pk}/act/unlock/"

    officer = account("privacy-officer")
    officer.user_permissions.add(Permission.objects.get(codename="view_signinfailure"))
    officer_client = second_factor_enter(
        sign_in("privacy-officer", PASSWORD, address="203.0.113.5")[0], officer)
    listing = officer_client.get("/admin/roochi_site/signinfailure/")
    assert listing.status_code == 200
    assert "maria" in listing.content.decode()
    # Reading the record is not unlocking.
    assert officer_client.post(action).status_code in {403, 404}
    assert HELD_BACK in sign_in("maria", PASSWORD)[1].content.decode()

    administrator = account("operator", is_superuser=True)
    administrator_client = second_factor_enter(
        sign_in("operator", PASSWORD, address="203.0.113.6")[0], administrator)
    page = administrator_client.get(f"/admin/roochi_site/signinfailure/{failure.pk}/change/")
    assert "Unlock the account" in page.content.decode()
    response = administrator_client.post(action, follow=True)
    assert "Unlocked: 5 failed sign-in(s) released." in response.content.decode()
    assert sign_in("maria", PASSWORD)[1].status_code == 302
    released = SignInFailure.objects.filter(account=maria, released_by=administrator)
    assert released.count() == settings.STAFF_SIGN_IN_ACCOUNT_FAILURES
