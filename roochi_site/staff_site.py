"""The staff site: Django's admin, titled for the company, with staff sessions that end,
and a bootstrap account that can do one thing.

A staff session ends after STAFF_SESSION_IDLE_MINUTES without a request (the session
is saved on each staff request, so its cookie's age counts from the last one) and, however
busy, STAFF_SESSION_MAX_HOURS after sign-in. A password change ends the account's
other sessions (Django's session hash).

Every staff member has their own account ("a unique individual username and
password"). A new site has none, so `make run` creates the bootstrap account once and
prints its one-time password: signed in with it, every staff page leads to the form
that creates the first named account; once that exists the bootstrap account is
disabled for good (no usable password, inactive) and signed out.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.signals import user_logged_in
from django.core import checks
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from roochi_site.change_history import changes_by
from roochi_site.company import company
from roochi_site.dashboard import dashboard_panels
from roochi_site.second_factor import second_factor_set_up_view, second_factor_verify_view
from roochi_site.sign_in_throttle import (
    account_key_of,
    sign_in_failure_record,
    sign_in_failures_release,
    sign_in_refused,
)

SIGNED_IN_AT = "staff_signed_in_at"
BOOTSTRAP_USERNAME = "bootstrap"


class StaffAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in, throttled (roochi_site/sign_in_throttle.py)."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": "Too many failed sign-ins: this account or this connection is held "
                     "back for %(minutes)s minutes. An administrator can unlock the account "
                     "sooner (Authentication and authorization, Failed staff sign-ins).",
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and sign_in_refused(self.request, username):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled",
                                        params={"minutes": settings.STAFF_SIGN_IN_WINDOW_MINUTES})
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                sign_in_failure_record(self.request, username)
            raise
        sign_in_failures_release(account_key=account_key_of(username))
        return cleaned


class StaffAdminSite(admin.AdminSite):
    login_form = StaffAuthenticationForm
    @property
    def site_header(self) -> str:
        return f"{company().name} staff"

    @property
    def site_title(self) -> str:
        return f"{company().name} staff"

    index_title = "What you can do"
    index_template = "admin/staff_home.html"

    def index(self, request, extra_context=None):
        """The admin's index with, above it, what is waiting for this staff member
        (roochi_site/dashboard.py: the apps' panels, as their permissions allow)."""
        return super().index(request, {**(extra_context or {}),
                                       "dashboard_panels": dashboard_panels(request)})

    def get_urls(self):
        return [
            path("first-account/", self.admin_view(self.first_account_view),
                 name="first_account"),
            path("second-factor/", self.admin_view(
                lambda request: second_factor_verify_view(self, request)),
                name="second_factor_verify"),
            path("second-factor/set-up/", self.admin_view(
                lambda request: second_factor_set_up_view(self, request)),
                name="second_factor_set_up"),
            *super().get_urls(),
        ]

    def first_account_view(self, request):
        if request.user.get_username() != BOOTSTRAP_USERNAME:
            return redirect("admin:index")
        form = FirstAccountForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                account = form.save()
                bootstrap_account_disable(request.user)
            logout(request)
            messages.success(request, f"The account {account.get_username()} was created and "
                             f"the bootstrap account disabled. Sign in with your new account.")
            return redirect("admin:login")
        context = {**self.each_context(request), "form": form,
                   "title": "Create the first staff account"}
        return TemplateResponse(request, "admin/first_account.html", context)


class FirstAccountForm(UserCreationForm):
    """The first named account: a person, with their name and address, who operates
    the site (a superuser) and creates the other staff accounts with their roles."""

    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField()

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "first_name", "last_name", "email"]

    def clean_username(self):
        username = super().clean_username()
        if username.lower() in DEFAULT_ACCOUNT_NAMES:
            raise forms.ValidationError("Choose your own name: this one is a shared or "
                                        "default account's name.")
        return username

    def save(self, commit=True):
        account = super().save(commit=False)
        account.is_staff = account.is_superuser = True
        if commit:
            account.save()
        return account


# Names a shared or default account has; no staff account may carry one.
DEFAULT_ACCOUNT_NAMES = {"admin", "administrator", "root", "test", "tester", "staff", "user",
                         "demo", "guest", "support", "info", "office", BOOTSTRAP_USERNAME}


# Passwords a default or shared account is left with.
DEFAULT_PASSWORDS = ["admin", "password", "changeme", "letmein", "roochi", "roochitraders"]


@checks.register(checks.Tags.security, checks.Tags.database, deploy=True)
def shared_accounts_check(app_configs=None, databases=None, **kwargs):
    """In production, no active account may be a shared or default one: a default name,
    or a password left as a default or as the username. Reads the accounts, so it runs
    when `check --deploy --database default` is asked for."""
    if "default" not in (databases or []):
        return []
    errors = []
    for account in get_user_model().objects.filter(is_active=True):
        username = account.get_username()
        if username.lower() in DEFAULT_ACCOUNT_NAMES:
            reason = f"carries the name of a shared or default account ({username!r})"
        elif any(account.check_password(password)
                 for password in [*DEFAULT_PASSWORDS, username]):
            reason = "has a default password, or its username as its password"
        else:
            continue
        errors.append(checks.Error(
            f"The active account {account.pk} {reason}.",
            hint="Every member of staff signs in with their own account: create named "
                 "accounts, then deactivate this one (admin: Authentication, Users).",
            obj=f"account {account.pk}", id="roochi_site.E121"))
    return errors


def bootstrap_account_create(password: str) -> bool:
    """Create the bootstrap account with this password, on a site with no account."""
    user_model = get_user_model()
    if user_model.objects.exists():
        return False
    user_model.objects.create_user(username=BOOTSTRAP_USERNAME, password=password,
                                   is_staff=True)
    return True


def bootstrap_account_disable(account) -> None:
    account.is_active = False
    account.set_unusable_password()
    account.save(update_fields=["is_active", "password"])


@receiver(user_logged_in)
def sign_in_moment_record(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = timezone.now().timestamp()


class StaffSessionMiddleware:
    """Under the admin path only (the staff cookie's path; a public response never sets a
    cookie, P1): keep an idle session alive by saving it on each request, sign out one
    older than STAFF_SESSION_MAX_HOURS whatever its use, keep the bootstrap account to
    its one page, and open no other staff page before the second factor
    (roochi_site/second_factor.py). Installed after django-otp's OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(settings.ADMIN_PATH):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            limit = timedelta(hours=settings.STAFF_SESSION_MAX_HOURS).total_seconds()
            if signed_in_at is None or timezone.now().timestamp() - signed_in_at > limit:
                logout(request)
                messages.info(request, "Your session ended: please sign in again.")
                return redirect(f"{reverse('admin:login')}?next={request.path}")
            if user.get_username() == BOOTSTRAP_USERNAME:
                if request.path not in {reverse("admin:first_account"), reverse("admin:logout")}:
                    return redirect("admin:first_account")
            elif not user.is_verified() and request.path not in {
                    reverse("admin:second_factor_verify"),
                    reverse("admin:second_factor_set_up"), reverse("admin:logout")}:
                return redirect(f"{reverse('admin:second_factor_verify')}?next={request.path}")
            # The cookie's age, and so the idle limit, counts from the latest request.
            request.session.modified = True
        with changes_by(user):
            return self.get_response(request)
