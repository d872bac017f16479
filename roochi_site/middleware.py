"""Response policies that hold for every URL, in one place."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

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
        return length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
