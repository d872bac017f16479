"""Every staff account signs in with a second factor: set up on the first sign-in (scan
or type the key, confirm with a code, recovery codes shown once), asked for at every
sign-in after, a recovery code usable once, wrong codes throttled; no staff page opens
before it."""

import base64
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from roochi_site.models import SignInFailure
from tests.staff import app_code

pytestmark = pytest.mark.django_db

PASSWORD = "long enough and not common 42"


@pytest.fixture
def staff():
    return get_user_model().objects.create_user(username="maria", password=PASSWORD,
                                                is_staff=True, is_superuser=True)


def password_step(user) -> Client:
    client = Client()
    response = client.post("/admin/login/?next=/admin/inquiries/inquiry/",
                           {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def code_from_key(key_text: str) -> str:
    """What an app computes from the key as the page shows it (base32, in groups)."""
    key = base64.b32decode(key_text.replace(" ", ""))
    return f"{totp(key):06d}"


def test_the_first_sign_in_sets_up_the_app_and_shows_recovery_codes_once(staff):
    client = password_step(staff)
    # No staff page opens after the password alone.
    for page in ["/admin/", "/admin/inquiries/inquiry/", "/admin/auth/user/"]:
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/second-factor/")
    response = client.get("/admin/second-factor/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/admin/second-factor/set-up/"
    assert "<svg" in page
    assert "QR code of your sign-in key" in page
    key = re.search(r'<code class="second-factor-key">([A-Z2-7 ]+)</code>', page).group(1)

    wrong = client.post("/admin/second-factor/set-up/", {"code": "000000"})
    assert "This code does not match" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    time.sleep(1.1)  # django-otp holds a device back for a second after a wrong code

    done = client.post("/admin/second-factor/set-up/", {"code": code_from_key(key)})
    page = done.content.decode()
    codes = re.findall(r"<li><code>(\w+)</code></li>", page)
    assert len(codes) == 10
    assert "this is the only time they are shown" in page
    assert client.get("/admin/").status_code == 200
    # The codes are not shown again: the set-up page now sends a verified person home.
    again = client.get("/admin/second-factor/set-up/", follow=True).content.decode()
    assert not any(code in again for code in codes)


def test_each_later_sign_in_asks_for_the_apps_code(staff):
    device = TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    client = password_step(staff)
    response = client.get("/admin/", follow=True)
    assert "Enter the six-digit code" in response.content.decode()
    assert client.post("/admin/second-factor/?next=/admin/auth/user/",
                       {"code": "123 456"}).status_code == 200
    time.sleep(1.1)  # django-otp holds a device back for a second after a wrong code
    response = client.post("/admin/second-factor/",
                           {"code": app_code(device), "next": "/admin/auth/user/"})
    assert response["Location"] == "/admin/auth/user/"
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_opens_one_sign_in_only(staff):
    client = password_step(staff)
    client.get("/admin/second-factor/set-up/")
    device = TOTPDevice.objects.get(user=staff)
    page = client.post("/admin/second-factor/set-up/", {"code": app_code(device)}).content
    recovery = re.findall(r"<li><code>(\w+)</code></li>", page.decode())[0]

    lost_phone = password_step(staff)
    response = lost_phone.post("/admin/second-factor/", {"code": recovery}, follow=True)
    assert "You used a recovery code; 9 left." in response.content.decode()
    assert not StaticToken.objects.filter(token=recovery).exists()
    again = password_step(staff)
    assert again.post("/admin/second-factor/", {"code": recovery}).status_code == 200
    assert again.get("/admin/").status_code == 302


def test_wrong_codes_count_as_failed_sign_ins_and_are_held_back(staff, settings):
    device = TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    client = password_step(staff)
    for _ in range(settings.STAFF_SIGN_IN_ACCOUNT_FAILURES):
        client.post("/admin/second-factor/", {"code": "000000"})
    assert SignInFailure.objects.filter(account=staff).count() == 5
    response = client.post("/admin/second-factor/", {"code": app_code(device)})
    assert "Too many failed sign-ins" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_next_address_elsewhere_is_not_followed(staff):
    device = TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    client = password_step(staff)
    response = client.post("/admin/second-factor/",
                           {"code": app_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize("page", ["/admin/otp_totp/totpdevice/", "/admin/otp_static/staticdevice/",
                                  "/admin/django_tasks_database/dbtaskresult/"])
def test_technical_pages_are_for_superusers_only_whatever_the_permissions(page):
    from django.contrib.auth.models import Permission

    from tests.staff import staff_sign_in

    everything = get_user_model().objects.create_user(username="lead", is_staff=True)
    everything.user_permissions.set(Permission.objects.all())
    assert staff_sign_in(Client(), everything).get(page).status_code == 403
    operator = get_user_model().objects.create_user(username="operator", is_staff=True,
                                                    is_superuser=True)
    assert staff_sign_in(Client(), operator).get(page).status_code == 200
