"""Passkeys in Chromium, with the DevTools protocol's virtual authenticator: register
one, sign in with it, and what a refused or cancelled passkey leaves. The live server
answers at http://localhost:<port>, a secure context with a domain for the passkey."""

import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from roochi_site.models import SignInFailure
from tests.browser.test_admin import page_violations
from tests.staff import app_code

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a river of copper kettles"


@pytest.fixture(autouse=True)
def _passkeys_at_the_live_server(settings, live_server):
    assert live_server.url.startswith("http://localhost:")
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


def authenticator_add(visit) -> tuple[object, str]:
    """A passkey holder built into the 'computer', which verifies its user by itself."""
    cdp = visit.page.context.new_cdp_session(visit.page)
    cdp.send("WebAuthn.enable")
    found = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True}})
    return cdp, found["authenticatorId"]


def password_enter(visit, username: str = "maria") -> None:
    visit.open("/admin/login/")
    visit.page.get_by_label("Username").fill(username)
    visit.page.get_by_label("Password").fill(PASSWORD)
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")


def sign_out(visit) -> None:
    with visit.page.expect_navigation():
        visit.page.get_by_role("button", name="Log out").click()


def test_a_passkey_registered_after_an_app_sign_in_signs_in_and_a_refused_one_says_so(visit):
    maria = get_user_model().objects.create_user("maria", "maria@roochi.com", PASSWORD,
                                                 is_staff=True)
    app = TOTPDevice.objects.create(user=maria, name="Authenticator app", confirmed=True)
    cdp, authenticator = authenticator_add(visit)
    found = {}

    password_enter(visit)
    visit.page.get_by_label("Code").fill(app_code(app))
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")
    visit.page.get_by_role("link", name="Your passkeys").click()
    visit.page.wait_for_url("**/admin/second-factor/passkeys/")
    found["no passkey yet"] = page_violations(visit.page)
    with visit.page.expect_navigation():
        visit.page.get_by_role("button", name="Register a passkey").click()
    assert visit.page.get_by_role("cell", name=re.compile("^Registered with .*Chrome")).count() == 1
    found["one passkey"] = page_violations(visit.page)
    assert WebAuthnCredential.objects.filter(user=maria).count() == 1

    sign_out(visit)
    password_enter(visit)
    assert "/admin/second-factor/" in visit.page.url
    found["second step with a passkey"] = page_violations(visit.page)
    with visit.page.expect_navigation():
        visit.page.get_by_role("button", name="Sign in with your passkey").click()
    visit.page.wait_for_url("**/admin/")
    assert visit.page.get_by_role("heading", name="What you can do").count() == 1
    assert WebAuthnCredential.objects.get(user=maria).last_used_at is not None

    # A passkey whose signature counter went backwards is a copy: refused, and counted.
    WebAuthnCredential.objects.filter(user=maria).update(sign_count=1000)
    sign_out(visit)
    password_enter(visit)
    visit.page.get_by_role("button", name="Sign in with your passkey").click()
    status = visit.page.locator("#passkey-verification-status-message")
    status.get_by_text("This passkey did not sign you in").wait_for()
    assert "/admin/second-factor/" in visit.page.url
    assert SignInFailure.objects.filter(account=maria).count() == 1
    found["passkey refused"] = page_violations(visit.page)

    # A passkey the browser does not have (the person cancels): still the same page,
    # with the browser's word for it, and nothing the server could count.
    cdp.send("WebAuthn.clearCredentials", {"authenticatorId": authenticator})
    visit.page.get_by_role("button", name="Sign in with your passkey").click()
    status.get_by_text("Verification canceled or not allowed.").wait_for()
    assert "/admin/second-factor/" in visit.page.url
    assert SignInFailure.objects.filter(account=maria).count() == 1
    # The code still works.
    visit.page.get_by_label("Code").fill(app_code(app))
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")
    assert visit.page.url.endswith("/admin/")
    # The scripts ran under the admin's CSP, all from our own origin.
    assert not [error for error in visit.console_errors if "Content Security Policy" in error]
    assert visit.foreign_requests() == []
    assert found == {name: [] for name in found}


def test_a_passkey_in_place_of_the_app_at_the_first_sign_in_comes_with_recovery_codes(visit):
    maria = get_user_model().objects.create_user("maria", "maria@roochi.com", PASSWORD,
                                                 is_staff=True)
    authenticator_add(visit)
    password_enter(visit)
    assert "/admin/second-factor/set-up/" in visit.page.url
    with visit.page.expect_navigation():
        visit.page.get_by_role("button", name="Register a passkey").click()
    assert len(re.findall(r"<li><code>", visit.page.content())) == 10
    assert "Your passkey is registered." in visit.page.content()
    visit.page.get_by_role("link", name="I have kept them: continue").click()
    visit.page.wait_for_url("**/admin/")
    assert WebAuthnCredential.objects.filter(user=maria, confirmed=True).count() == 1
    assert StaticDevice.objects.get(user=maria).token_set.count() == 10
    assert not TOTPDevice.objects.filter(user=maria).exists()


def test_without_javascript_no_passkey_button_and_the_code_still_signs_in(
        visit_without_javascript):
    visit = visit_without_javascript
    maria = get_user_model().objects.create_user("maria", "maria@roochi.com", PASSWORD,
                                                 is_staff=True)
    app = TOTPDevice.objects.create(user=maria, name="Authenticator app", confirmed=True)
    WebAuthnCredential.objects.create(user=maria, name="Security key",
                                      credential_id=b"key", public_key=b"key")
    password_enter(visit)
    assert visit.page.get_by_role("button", name="Sign in with your passkey").count() == 0
    visit.page.get_by_label("Code").fill(app_code(app))
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")
    assert visit.page.url.endswith("/admin/")
