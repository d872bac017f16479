"""The staff site: Django's admin, titled for the company, with staff sessions that end.

A staff session ends after STAFF_SESSION_IDLE_MINUTES without a request (the session
is saved on each request, so its cookie's age counts from the last one) and, however
busy, STAFF_SESSION_MAX_HOURS after sign-in. A password change ends the account's
other sessions (Django's session hash).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import classproperty

from roochi_site.company import company

SIGNED_IN_AT = "staff_signed_in_at"


class StaffAdminSite(admin.AdminSite):
    @classproperty
    def site_header(cls) -> str:
        return f"{company().name} staff"

    @classproperty
    def site_title(cls) -> str:
        return f"{company().name} staff"

    index_title = "What you can do"


class StaffAdminConfig(AdminConfig):
    default_site = "roochi_site.staff_site.StaffAdminSite"


@receiver(user_logged_in)
def sign_in_moment_record(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = timezone.now().timestamp()


class StaffSessionLimitMiddleware:
    """Sign out a staff session older than STAFF_SESSION_MAX_HOURS, whatever its use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            limit = timedelta(hours=settings.STAFF_SESSION_MAX_HOURS).total_seconds()
            if signed_in_at is None or timezone.now().timestamp() - signed_in_at > limit:
                logout(request)
                messages.info(request, "Your session ended: please sign in again.")
                return redirect(f"{reverse('admin:login')}?next={request.path}")
        return self.get_response(request)
