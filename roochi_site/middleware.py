"""Response policies that hold for every URL, in one place."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string
from django.template.response import TemplateResponse

from roochi_site.company import company

logger = logging.getLogger(__name__)


def is_staff_path(request: HttpRequest) -> bool:
    return request.path_info.startswith(settings.ADMIN_PATH)


class NoPublicCookiesMiddleware:
    """P1: no public response sets a cookie, whatever the URL, method or status.

    Outermost middleware, so it sees every response, error pages included. Public
    views are written never to set one (the tests prove it); this is the last line,
    and it logs loudly so the view that tried is found and fixed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.cookies and not is_staff_path(request):
            logger.error(
                "Refused to set cookies %s on public path %s",
                sorted(response.cookies),
                request.path,
            )
            response.cookies.clear()
        return response


# Seconds a visitor (or a crawler) is asked to wait when the database is away.
DATABASE_UNAVAILABLE_RETRY_AFTER = 30
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable_response() -> HttpResponse:
    """503 with Retry-After: a clear "try again in a moment", never a traceback or the
    500 page. Rendered without the request, so no context processor asks the database
    for anything (the policy in the footer); the contact details need none."""
    response = HttpResponse(render_to_string("503.html", {"company": company()}), status=503)
    response["Retry-After"] = str(DATABASE_UNAVAILABLE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """When PostgreSQL cannot be reached (a restart, a fail-over, a network cut), a
    page that needs it answers 503 with a clear page; cached public pages still answer
    (roochi_site/page_cache.py). Inside the security and cookie middleware, so the
    answer carries the usual headers and sets no cookie (P1). A database error raised
    by another middleware reaches the 500 handler, which answers the same way
    (pages.views.server_error)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
            return None
        # A warning, not an error with a traceback: an outage is expected now and then.
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path,
                       str(exception).strip().splitlines()[0] if str(exception).strip()
                       else type(exception).__name__)
        response = database_unavailable_response()
        # Logged above as what it is; Django would log each 503 as an error.
        response._has_been_logged = True
        return response


class BrowserPolicyHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: Permissions-Policy, and 413
    for a request body larger than the site accepts, before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.body_too_large(request):
            response = TemplateResponse(request, "413.html", status=413)
            response.render()
        else:
            response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    @staticmethod
    def body_too_large(request: HttpRequest) -> bool:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        if request.path.startswith(settings.ADMIN_PATH):
            return length > settings.STAFF_UPLOAD_MAX_BYTES
        return length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class PublicHtmlGZipMiddleware(GZipMiddleware):
    """Public HTML travels compressed when the client accepts it; the admin's answers
    never do. BREACH needs a secret and attacker-chosen text in one compressed body: a
    public page holds no session secret (P1: no cookie, no session), and its form token
    is a single-use proof that this site showed the form, which anyone gets by asking
    for the page (docs/decisions.md). Staff pages carry the CSRF token of a session, so
    they stay as they are. Cached pages come compressed already (roochi_site/page_cache.py)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if is_staff_path(request) or not response.get("Content-Type", "").startswith(
                "text/html"):
            return response
        return super().process_response(request, response)
