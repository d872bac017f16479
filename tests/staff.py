"""Signing a test's client in as staff, both steps: the password (force_login) and the
second factor (a confirmed authenticator app, as if its code had been entered)."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def staff_sign_in(client: Client, user) -> Client:
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Authenticator app"})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def app_code(device: TOTPDevice) -> str:
    """The code the staff member's authenticator app shows now."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def second_factor_enter(client: Client, user) -> Client:
    """The second step of a real sign-in: the app's code, posted to its page."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Authenticator app"})
    response = client.post("/admin/second-factor/", {"code": app_code(device)})
    assert response.status_code == 302, response.content.decode()
    return client
