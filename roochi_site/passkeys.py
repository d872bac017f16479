"""Passkeys (WebAuthn, django-otp-webauthn) as a staff member's second factor, beside the
authenticator app and its recovery codes (roochi_site/second_factor.py).

A passkey is the step after the password, never a sign-in of its own
(OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is off). The package's endpoints are mounted
under the admin path, where the staff session cookie goes: `ADMIN_PATH + "passkeys/"`.
Before the second step, StaffSessionMiddleware lets through only what
`open_before_second_factor` names: signing in with a passkey, the script's
translations, and registering one while the account has no second factor at all (the
first sign-in's set-up, which lets a password alone set up an app just the same). An
account that has a second factor registers another only from a verified session, so a
stolen password cannot add a passkey. A passkey that fails at the server counts as a
failed sign-in for the throttle, as a wrong code does.
"""

from django.conf import settings
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp import user_has_device
from django_otp_webauthn import views as webauthn_views
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from ua_parser import parse

from roochi_site.second_factor import next_page
from roochi_site.sign_in_throttle import sign_in_failure_record, sign_in_refused

PASSKEYS_PATH = "passkeys/"
THROTTLED = ("Too many failed sign-ins: wait, or ask an administrator to unlock your "
             "account.")
REFUSED = ("This passkey did not sign you in: it is not one of yours, or its answer did "
           "not check out. Try again, or enter a code below.")


class PasskeyHelper(WebAuthnHelper):
    """Names each new passkey for the browser that registered it, so that its owner and
    a superuser can tell which one a lost phone or key held."""

    def create_credential(self, *args, **kwargs):
        passkey = super().create_credential(*args, **kwargs)
        agent = parse(self.request.headers.get("User-Agent", ""))
        browser = agent.user_agent.family if agent.user_agent else "a browser"
        platform = f" on {agent.os.family}" if agent.os else ""
        passkey.name = f"Registered with {browser}{platform}"[:64]
        return passkey


def throttled_response(request) -> JsonResponse | None:
    """The package's script shows `detail` beside the passkey button."""
    if sign_in_refused(request, request.user.get_username()):
        return JsonResponse({"detail": THROTTLED, "code": "throttled"}, status=429)
    return None


class PasskeySignInBeginView(webauthn_views.BeginCredentialAuthenticationView):
    def post(self, *args, **kwargs):
        return throttled_response(self.request) or super().post(*args, **kwargs)


class PasskeySignInCompleteView(webauthn_views.CompleteCredentialAuthenticationView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and (refused := throttled_response(request)):
            return refused
        response = super().dispatch(request, *args, **kwargs)
        # An unknown passkey, a forged or replayed answer, a passkey of another account:
        # each is a failed second step, like a wrong code, and is told as one.
        if response.status_code >= 400 and request.user.is_authenticated:
            sign_in_failure_record(request, request.user.get_username())
            return JsonResponse({"detail": REFUSED, "code": "refused"},
                                status=response.status_code)
        return response

    def get_success_url(self):
        return next_page(self.request)


urlpatterns = [
    path("registration/begin/", webauthn_views.BeginCredentialRegistrationView.as_view(),
         name="credential-registration-begin"),
    path("registration/complete/",
         webauthn_views.CompleteCredentialRegistrationView.as_view(),
         name="credential-registration-complete"),
    path("authentication/begin/", PasskeySignInBeginView.as_view(),
         name="credential-authentication-begin"),
    path("authentication/complete/", PasskeySignInCompleteView.as_view(),
         name="credential-authentication-complete"),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
         name="js-i18n-catalog"),
]
# The package's template tags reverse these names in its own namespace.
passkey_urls = (urlpatterns, "otp_webauthn")

SIGN_IN_PATHS = ("authentication/begin/", "authentication/complete/", "jsi18n/")
REGISTRATION_PATHS = ("registration/begin/", "registration/complete/")


def open_before_second_factor(request) -> bool:
    """Whether this request under the admin path may be served to a session that has
    passed the password but not the second factor."""
    prefix = settings.ADMIN_PATH + PASSKEYS_PATH
    if not request.path.startswith(prefix):
        return False
    endpoint = request.path.removeprefix(prefix)
    if endpoint in SIGN_IN_PATHS:
        return True
    return endpoint in REGISTRATION_PATHS and not user_has_device(request.user)


def passkeys_view(site, request):
    """The staff member's own passkeys, and the button that registers another."""
    return TemplateResponse(request, "admin/passkeys.html", {
        **site.each_context(request), "title": "Your passkeys",
        "passkeys": WebAuthnCredential.objects.filter(user=request.user).order_by("created_at")})
