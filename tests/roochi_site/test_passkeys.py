"""Passkeys as the second step (roochi_site/passkeys.py): what a session that has passed
only the password may do with the package's endpoints, and what it may not."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from roochi_site.models import SignInFailure
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db

PASSKEYS = "/admin/passkeys/"


@pytest.fixture
def maria():
    return get_user_model().objects.create_user(
        "maria", "maria@roochi.com", "a river of copper kettles", is_staff=True)


def passkey_of(user) -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user, name="Security key", credential_id=b"maria's key", public_key=b"key")


def password_only(user) -> Client:
    """A session that has passed the password and not the second factor."""
    client = Client()
    client.force_login(user)
    return client


def test_a_password_alone_cannot_register_a_passkey_on_an_account_with_a_second_factor(maria):
    TOTPDevice.objects.create(user=maria, name="Authenticator app", confirmed=True)
    client = password_only(maria)
    for endpoint in ["registration/begin/", "registration/complete/"]:
        response = client.post(PASSKEYS + endpoint, "{}", content_type="application/json")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/second-factor/?next=")
    assert "otp_webauthn_register_state" not in client.session
    assert not WebAuthnCredential.objects.exists()


def test_an_account_with_no_second_factor_may_register_a_passkey_at_set_up(maria):
    response = password_only(maria).post(PASSKEYS + "registration/begin/")
    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"name": "Roochi Traders Inc.", "id": "localhost"}
    assert options["user"]["name"] == "maria"


def test_a_verified_session_may_register_another_passkey(maria):
    client = staff_sign_in(Client(), maria)
    passkey_of(maria)
    response = client.post(PASSKEYS + "registration/begin/")
    assert response.status_code == 200
    # The authenticator is told which passkey it holds already, so it makes no second.
    assert len(response.json()["excludeCredentials"]) == 1


def test_signing_in_with_a_passkey_opens_before_the_second_step(maria):
    TOTPDevice.objects.create(user=maria, name="Authenticator app", confirmed=True)
    passkey_of(maria)
    client = password_only(maria)
    response = client.post(PASSKEYS + "authentication/begin/")
    assert response.status_code == 200
    assert len(response.json()["allowCredentials"]) == 1
    assert client.get(PASSKEYS + "jsi18n/").status_code == 200
    # Nothing else does.
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/second-factor/passkeys/").status_code == 302


def test_nobody_signs_in_with_a_passkey_alone():
    response = Client().post(PASSKEYS + "authentication/begin/")
    assert response.status_code == 403
    assert response.json()["code"] == "passwordless_login_disabled"


# What a bot or a broken browser may send as the passkey's answer.
BAD_ANSWERS = [
    "",
    "not json",
    "[]",
    '"a string"',
    "{}",
    json.dumps({"id": "AAAA", "rawId": "AAAA", "type": "public-key",
                "response": {"clientDataJSON": "AAAA", "authenticatorData": "AAAA",
                             "signature": "AAAA"}}),
    json.dumps({"id": "bWFyaWEncyBrZXk", "rawId": "bWFyaWEncyBrZXk", "type": "public-key",
                "response": {"clientDataJSON": "e30", "authenticatorData": "AAAA",
                             "signature": "AAAA"}}),
]


@pytest.mark.parametrize("answer", BAD_ANSWERS)
def test_a_bad_answer_is_a_failed_sign_in_with_a_clear_message(maria, answer):
    passkey_of(maria)
    client = password_only(maria)
    assert client.post(PASSKEYS + "authentication/begin/").status_code == 200
    response = client.post(PASSKEYS + "authentication/complete/", answer,
                           content_type="application/json")
    assert 400 <= response.status_code < 500
    assert response.json()["detail"].startswith("This passkey did not sign you in")
    assert SignInFailure.objects.filter(account=maria).count() == 1
    assert client.get("/admin/").status_code == 302


def test_an_answer_without_a_begun_sign_in_is_refused_too(maria):
    passkey_of(maria)
    response = password_only(maria).post(PASSKEYS + "authentication/complete/", "{}",
                                          content_type="application/json")
    assert response.status_code == 400
    assert SignInFailure.objects.filter(account=maria).count() == 1


def test_failed_passkeys_hold_the_account_back_like_wrong_codes(maria, settings):
    passkey_of(maria)
    client = password_only(maria)
    for _ in range(settings.STAFF_SIGN_IN_ACCOUNT_FAILURES):
        client.post(PASSKEYS + "authentication/begin/")
        client.post(PASSKEYS + "authentication/complete/", "{}",
                    content_type="application/json")
    for endpoint in ["authentication/begin/", "authentication/complete/"]:
        response = client.post(PASSKEYS + endpoint, "{}", content_type="application/json")
        assert response.status_code == 429
        assert response.json()["detail"].startswith("Too many failed sign-ins")
    assert "otp_webauthn_authentication_state" not in client.session


def test_the_second_factor_page_offers_the_passkey_only_to_an_account_that_has_one(maria):
    TOTPDevice.objects.create(user=maria, name="Authenticator app", confirmed=True)
    client = password_only(maria)
    page = client.get("/admin/second-factor/").text
    assert "passkey" not in page.lower()
    assert "otp_webauthn_auth.js" not in page
    passkey_of(maria)
    page = client.get("/admin/second-factor/").text
    # The button is in a <template>: only the package's script shows it; the code field
    # works without it.
    assert '<template id="passkey-verification-available-template">' in page
    assert 'id="otp_webauthn_config" type="application/json"' in page
    assert 'name="code"' in page


def test_the_scripts_need_no_inline_script_under_the_csp(maria):
    page = password_only(maria).get("/admin/second-factor/set-up/")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    scripts = page.text.split("<script")[1:]
    assert scripts, "the set-up page loads the passkey scripts"
    for script in scripts:
        tag = script.split(">", 1)[0]
        assert 'type="application/json"' in tag or ' src="/' in tag, tag


def test_recovery_codes_follow_a_passkey_only_once_it_signed_the_session_in(maria):
    client = password_only(maria)
    client.get("/admin/second-factor/set-up/")  # offers an app, unconfirmed
    response = client.post("/admin/second-factor/set-up/", {"passkey_registered": "yes"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/second-factor/set-up/"
    assert not StaticDevice.objects.exists()

    passkey = passkey_of(maria)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = passkey.persistent_id
    session.save()
    response = client.post("/admin/second-factor/set-up/", {"passkey_registered": "yes"})
    assert response.status_code == 200
    assert "Your passkey is registered." in response.text
    assert StaticDevice.objects.get(user=maria).token_set.count() == 10
    assert not TOTPDevice.objects.filter(user=maria).exists()


def test_the_passkeys_page_lists_ones_own_passkeys_only(maria):
    passkey_of(maria)
    other = get_user_model().objects.create_user("ana", is_staff=True)
    WebAuthnCredential.objects.create(user=other, name="Ana's phone", credential_id=b"ana",
                                      public_key=b"key")
    page = staff_sign_in(Client(), maria).get("/admin/second-factor/passkeys/").text
    assert "Security key" in page
    assert "Ana's phone" not in page
    assert 'href="/admin/second-factor/passkeys/">Your passkeys</a>' in page
