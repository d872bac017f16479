"""A second factor for every staff account (P7: "unique individual username and
password", and more): a code from an authenticator app (TOTP, django-otp), with
recovery codes for a lost phone.

After the password, a staff member without a confirmed app is led to set one up (a QR
code drawn on the server, and the key as text for those who cannot scan), confirms it
with a code, and is shown ten single-use recovery codes once. Afterwards every sign-in
asks for a code, or a recovery code. Until then no other staff page opens
(StaffSessionMiddleware). Wrong codes count as failed sign-ins for the throttle.
A passkey may take the app's place at set-up, or join it later (roochi_site/passkeys.py).
"""

import base64

import segno
from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as second_factor_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from roochi_site.sign_in_throttle import sign_in_failure_record, sign_in_refused

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"


class CodeForm(forms.Form):
    # Drawn by templates/admin/includes/code_field.html, for the phone's code keyboard.
    code = forms.CharField(label="Code", max_length=16)

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


def next_page(request) -> str:
    """Where the person was going, if it is a page of this site; else the staff home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


def second_factor_verify_view(site, request):
    """Ask for a code from the app, or a recovery code (which is then used up)."""
    user = request.user
    if not user_has_device(user):
        return redirect("admin:second_factor_set_up")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if sign_in_refused(request, user.get_username()):
            form.add_error("code", "Too many failed sign-ins: wait, or ask an administrator "
                                   "to unlock your account.")
        else:
            device = match_token(user, form.cleaned_data["code"])
            if device is not None:
                second_factor_login(request, device)
                if isinstance(device, StaticDevice):
                    left = device.token_set.count()
                    messages.warning(request, f"You used a recovery code; {left} left. Set up "
                                     f"your app again if your phone is lost.")
                return redirect(next_page(request))
            sign_in_failure_record(request, user.get_username())
            form.add_error("code", "This code is not right, or it has expired. Enter the "
                                   "code your app shows now, or a recovery code.")
    return TemplateResponse(request, "admin/second_factor_verify.html", {
        **site.each_context(request), "form": form, "title": "Second step of signing in",
        "next": request.GET.get("next", ""),
        "has_passkey": WebAuthnCredential.objects.filter(user=user, confirmed=True).exists(),
        "has_app": TOTPDevice.objects.filter(user=user, confirmed=True).exists()})


def second_factor_set_up_view(site, request):
    """Set up an authenticator app: scan or type the key, confirm with a code, and keep
    the recovery codes shown once."""
    user = request.user
    if user_has_device(user) and not user.is_verified():
        return redirect("admin:second_factor_verify")
    if request.method == "POST" and "passkey_registered" in request.POST:
        return passkey_registered(site, request)
    device = (TOTPDevice.objects.filter(user=user, confirmed=False).first()
              or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = second_factor_confirm(device)
            second_factor_login(request, device)
            return recovery_codes_shown(site, request, codes, "Your app is set up.")
        form.add_error("code", "This code does not match: check the time on your phone, "
                               "and enter the code the app shows now.")
    key = base64.b32encode(device.bin_key).decode()
    return TemplateResponse(request, "admin/second_factor_set_up.html", {
        **site.each_context(request), "form": form, "title": "Set up your second factor",
        "qr_code": segno.make(device.config_url, error="m").svg_inline(
            scale=4, title="QR code of your sign-in key"),
        "key_groups": [key[index:index + 4] for index in range(0, len(key), 4)]})


def passkey_registered(site, request):
    """After a passkey was registered on the set-up page (the package's endpoint signed
    a session that had no factor yet in with it), the app that was offered goes and
    recovery codes come, as after confirming an app. The set-up page's script posts
    here; without the script there is no passkey to register."""
    if not (request.user.is_verified()
            and WebAuthnCredential.objects.filter(user=request.user, confirmed=True).exists()):
        return redirect("admin:second_factor_set_up")
    codes = recovery_codes_issue(request.user)
    return recovery_codes_shown(site, request, codes, "Your passkey is registered.")


def recovery_codes_shown(site, request, codes: list[str], done: str):
    return TemplateResponse(request, "admin/second_factor_recovery_codes.html", {
        **site.each_context(request), "codes": codes, "done": done,
        "title": "Your recovery codes", "next": next_page(request)})


@transaction.atomic
def second_factor_confirm(device: TOTPDevice) -> list[str]:
    """The app is confirmed; any other app and the old recovery codes go; new codes."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    return recovery_codes_issue(device.user)


@transaction.atomic
def recovery_codes_issue(user) -> list[str]:
    """New recovery codes in place of the old ones; an app offered at set-up and never
    confirmed goes too (a passkey took its place)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes
