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
    return client


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
    here, elsewhere = signed_in(staff), signed_in(staff)
    response = here.post("/admin/password_change/", {
        "old_password": PASSWORD, "new_password1": "a river of copper kettles",
        "new_password2": "a river of copper kettles"})
    assert response.status_code == 302
    assert here.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/").status_code == 302
