"""P4: logs hold no client address, browser string, link token or search. The site's
requests (pages, forms, errors, a staff search, the mail worker) run with marker values;
none of them appears in what the configured log handler writes, nor in the access log
that `make run` and the deployment instructions use."""

import io
import logging
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from gunicorn.config import Config

from roochi_site import serve
from roochi_site.access_log import ACCESS_LOG_FORMAT, AccessLogger
from tests.inquiries.conftest import valid_post
from tests.staff import staff_sign_in

ADDRESS = "203.0.113.77"
BROWSER = "MarkerBrowser/9.9"
EMAIL = "marker.person@example.com"
TOKEN = "SECRETTOKEN1234567890"
MARKERS = [ADDRESS, BROWSER, EMAIL, "marker.person", TOKEN, "marker%40"]


@pytest.fixture
def written():
    """What the site's own console handler (settings.LOGGING) writes, at every level."""
    [handler] = [handler for handler in logging.getLogger().handlers
                 if any(type(f).__name__ == "PathsForLogFilter" for f in handler.filters)]
    stream, handler.stream = handler.stream, io.StringIO()
    root = logging.getLogger()
    level, root.level = root.level, logging.DEBUG
    yield handler.stream
    handler.stream, root.level = stream, level


@pytest.mark.urls("tests.roochi_site.urls")
@pytest.mark.usefixtures("committed_db")
def test_no_marker_reaches_the_logs(written, admin_user, run_tasks, settings):
    settings.FORM_MIN_FILL_SECONDS = 0
    visitor = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER,
                     raise_request_exception=False, headers={"Sec-Fetch-Site": "same-origin"})
    for path in ["/", "/about/", f"/no-such-page/?q={EMAIL}",
                 f"/privacy/requests/confirm/{TOKEN}/", f"/privacy/requests/copy/{TOKEN}/",
                 f"/request-received/{TOKEN}/", f"/broken/?email={EMAIL}"]:
        visitor.get(path)
    visitor.post("/information-request/", valid_post(email=EMAIL))
    visitor.post("/privacy/requests/", {"email": EMAIL, "kind": "copy"})
    visitor.post("/information-request/", {"email": "not an address", "website": "spam"})
    staff = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER)
    staff_sign_in(staff, admin_user)
    staff.get("/admin/inquiries/inquiry/?q=marker.person%40example.com")
    run_tasks()
    # The run did log (the server error at least), so an empty log proves nothing.
    assert "Internal Server Error: /broken/" in written.getvalue()
    for marker in MARKERS:
        assert marker not in written.getvalue()


def test_django_names_a_secret_path_with_a_placeholder(written):
    logging.getLogger("django.request").error(
        "Internal Server Error: %s", f"/privacy/requests/copy/{TOKEN}/data.json")
    assert "Internal Server Error: /privacy/requests/copy/:token/data.json" in written.getvalue()


def access_line(path: str, query: str) -> str:
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format",
               # Even a format that asks for everything writes only the kept parts.
               '%(h)s %(u)s "%(r)s" %(f)s "%(a)s" %(q)s %({user-agent}i)s ' + ACCESS_LOG_FORMAT)
    logger = AccessLogger(config)
    stream = io.StringIO()
    logger.access_log.handlers[0].stream = stream
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"{path}?{query}", "PATH_INFO": path,
               "QUERY_STRING": query, "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": ADDRESS,
               "HTTP_USER_AGENT": BROWSER, "HTTP_REFERER": f"https://{ADDRESS}/"}
    request = SimpleNamespace(headers=[("USER-AGENT", BROWSER)])
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    logger.access(response, request, environ, timedelta(milliseconds=12))
    return stream.getvalue()


@pytest.mark.parametrize(("path", "expected"), [
    (f"/privacy/requests/confirm/{TOKEN}/", "/privacy/requests/confirm/:token/"),
    (f"/privacy/requests/copy/{TOKEN}/data.json", "/privacy/requests/copy/:token/data.json"),
    (f"/request-received/{TOKEN}/", "/request-received/:token/"),
    ("/admin/inquiries/inquiry/", "/admin/inquiries/inquiry/"),
])
def test_the_access_log_keeps_method_path_status_size_and_time_only(path, expected):
    line = access_line(path, f"q={EMAIL}")
    assert f"GET {expected} 200 1234 0.012000s" in line
    for marker in MARKERS:
        assert marker not in line


def test_make_run_serves_with_that_access_log():
    web = serve.children(8000, dev=False)["web server"]
    assert web[web.index("-c") + 1] == "python:roochi_site.gunicorn_conf"
    from roochi_site import gunicorn_conf

    assert gunicorn_conf.logger_class == "roochi_site.access_log.AccessLogger"
    assert gunicorn_conf.accesslog == "-"


def token_routes(patterns, prefix=""):
    """Every URL of the site whose route takes a secret (named token or signed), as a
    path with one in it."""
    from django.urls import URLPattern, URLResolver

    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from token_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and re.search(r"(token|signed)>", route):
            yield "/" + re.sub(r"<(?:\w+:)?(?:token|signed)>", TOKEN, route)


def test_every_url_that_carries_a_token_keeps_it_out_of_the_logs():
    from django.urls import get_resolver

    from roochi_site.access_log import path_for_log

    paths = list(token_routes(get_resolver().url_patterns))
    assert "/newsletter/unsubscribe/" + TOKEN + "/" in paths
    for path in paths:
        assert TOKEN not in path_for_log(path), path
