"""Staff sign in to a site titled for the company, with strong passwords hashed with
Argon2, and sessions that end: after idle time, after an absolute time, and on a
password change."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from roochi_site.staff_site import SIGNED_IN_AT
from tests.staff import second_factor_enter, staff_sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "long enough and not common 42"


@pytest.fixture
def staff():
    return get_user_model().objects.create_user(
        username="maria", first_name="Maria", last_name="Okafor", password=PASSWORD,
        is_staff=True, is_superuser=True)


def signed_in(user) -> Client:
    client = Client()
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return second_factor_enter(client, user)


def test_the_sign_in_page_is_titled_for_the_company_not_for_django(client):
    page = client.get("/admin/login/").content.decode()
    assert "<title>Log in | Roochi Traders Inc. staff</title>" in page
    assert '<a href="/admin/">Roochi Traders Inc. staff</a>' in page
    assert "Django administration" not in page


@pytest.mark.parametrize(("password", "reason"), [
    ("roochitraders", "too similar to the company"),
    ("Roochi-Traders-2026", "too similar to the company"),
    ("tradersroochi!", "too similar to the company"),
    ("short pass1", "too short"),
    ("password1234", "too common"),
    ("maria.okafor.1", "too similar to your name"),
])
def test_a_weak_password_is_refused_with_its_reason(staff, password, reason):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=staff)
    assert any(reason in message for message in refused.value.messages)


def test_a_good_password_is_accepted_and_stored_with_argon2(staff):
    validate_password("a river of copper kettles", user=staff)
    assert staff.password.startswith("argon2$")


def test_each_request_moves_the_idle_end_of_a_staff_session(staff, settings):
    client = signed_in(staff)
    client.get("/admin/")
    [session] = Session.objects.all()
    first_end = session.expire_date
    assert abs((first_end - timezone.now()).total_seconds()
               - settings.STAFF_SESSION_IDLE_MINUTES * 60) < 5
    time.sleep(1.1)
    client.get("/admin/")
    session.refresh_from_db()
    assert session.expire_date > first_end


def test_an_idle_session_has_ended(staff):
    client = signed_in(staff)
    Session.objects.update(expire_date=timezone.now())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_session_ends_at_its_absolute_limit_however_busy(staff, settings):
    client = signed_in(staff)
    assert client.get("/admin/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.STAFF_SESSION_MAX_HOURS * 3600 - 1
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
    # Signed out, not only sent away: the next request is anonymous too.
    assert client.get("/admin/").status_code == 302
    assert "Your session ended: please sign in again." in client.get(
        "/admin/login/").content.decode()


def test_a_password_change_ends_the_accounts_other_sessions(staff):
    # An app's code opens one sign-in only (django-otp refuses it again), so the other
    # session is opened directly.
    here, elsewhere = signed_in(staff), staff_sign_in(Client(), staff)
    response = here.post("/admin/password_change/", {
        "old_password": PASSWORD, "new_password1": "a river of copper kettles",
        "new_password2": "a river of copper kettles"})
    assert response.status_code == 302
    assert here.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/").status_code == 302


def test_the_bootstrap_account_exists_only_on_a_site_without_accounts(staff):
    from roochi_site.staff_site import bootstrap_account_create

    assert bootstrap_account_create("one-time password 1") is False
    assert not get_user_model().objects.filter(username="bootstrap").exists()


def test_the_bootstrap_account_can_only_create_the_first_named_account_then_is_disabled():
    from roochi_site.staff_site import bootstrap_account_create

    assert bootstrap_account_create("one-time password 1")
    client = Client()
    client.post("/admin/login/", {"username": "bootstrap", "password": "one-time password 1"})
    for page in ["/admin/", "/admin/auth/user/", "/admin/password_change/"]:
        response = client.get(page)
        assert (response.status_code, response["Location"]) == (302, "/admin/first-account/")
    form = client.get("/admin/first-account/").content.decode()
    assert "Create the first staff account" in form

    refused = client.post("/admin/first-account/", {
        "username": "admin", "first_name": "Maria", "last_name": "Okafor",
        "email": "maria@roochi.com", "password1": "roochitraders", "password2": "roochitraders"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Choose your own name" in page
    assert "too similar to the company" in page
    assert get_user_model().objects.count() == 1

    created = client.post("/admin/first-account/", {
        "username": "maria", "first_name": "Maria", "last_name": "Okafor",
        "email": "maria@roochi.com", "password1": PASSWORD, "password2": PASSWORD})
    assert (created.status_code, created["Location"]) == (302, "/admin/login/")
    bootstrap = get_user_model().objects.get(username="bootstrap")
    assert not bootstrap.is_active
    assert not bootstrap.has_usable_password()
    maria = get_user_model().objects.get(username="maria")
    assert (maria.is_staff, maria.is_superuser, maria.email) == (True, True, "maria@roochi.com")
    # Signed out, and the bootstrap password opens nothing any more.
    assert client.get("/admin/").status_code == 302
    again = Client().post("/admin/login/", {"username": "bootstrap",
                                             "password": "one-time password 1"})
    assert again.status_code == 200
    assert signed_in(maria).get("/admin/").status_code == 200


@pytest.mark.usefixtures("transactional_db")  # the check runs in another process
@pytest.mark.parametrize(("username", "password", "refused"), [
    ("admin", PASSWORD, True),
    ("bootstrap", PASSWORD, True),
    ("maria", "changeme", True),
    ("maria", "maria", True),
    ("maria", PASSWORD, False),
])
def test_the_deploy_check_refuses_shared_or_default_accounts(username, password, refused):
    from tests.quality.conftest import database_url_of_tests
    from tests.roochi_site.test_settings import manage, production_environment

    get_user_model().objects.create_user(username=username, password=password, is_staff=True)
    get_user_model().objects.create_user(username="former", password="admin", is_active=False)
    result = manage("check", "--deploy", "--database", "default", "--fail-level", "WARNING",
                    environment=production_environment(DATABASE_URL=database_url_of_tests()))
    assert ("roochi_site.E121" in result.stderr) is refused, result.stderr
    assert result.returncode == (1 if refused else 0)
