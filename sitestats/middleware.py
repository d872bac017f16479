"""P4: each public page view is counted, without a cookie or a script, from what the
request says anyway. Placed around the page cache, so a page served from it is
counted too; static files are not HTML, so they are not page views."""

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from roochi_site.middleware import is_staff_path
from roochi_site.submission_limit import client_address
from sitestats.recorder import page_view_record
from sitestats.services import PageView


class PageViewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        # A page view is an HTML page a browser asked for: not a form post, a redirect,
        # a sitemap or robots.txt, and not the staff's admin. Error pages count (a 404
        # asked for often is worth seeing).
        if (request.method == "GET" and settings.SITESTATS_ENABLED
                and not 300 <= status < 400
                and response.get("Content-Type", "").startswith("text/html")
                and not is_staff_path(request)):
            meta = request.META
            page_view_record(PageView(
                at=time.time(), path=request.path, status=status,
                host=meta.get("HTTP_HOST") or meta.get("SERVER_NAME", ""),
                referer=meta.get("HTTP_REFERER", ""), user_agent=meta.get("HTTP_USER_AGENT", ""),
                address=client_address(request)))
        return response
