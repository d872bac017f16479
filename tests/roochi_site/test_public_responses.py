"""P1 and P2 on every public response: no cookie, and the security headers.

The URLs are the sitemap's (so a new page is covered the day it is published), the
plain-text files, and every error page the site can answer with."""

import re

import pytest
from django.test import Client

from roochi_site.csrf import form_token_new

pytestmark = [pytest.mark.urls("tests.roochi_site.urls"), pytest.mark.django_db]

SECURITY_HEADERS = {
    "Content-Security-Policy",
    "Referrer-Policy",
    "Permissions-Policy",
    "X-Content-Type-Options",
    "Cross-Origin-Opener-Policy",
}


def sitemap_paths(client: Client) -> list[str]:
    sitemap = client.get("/sitemap.xml").text
    return [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>(.*?)</loc>", sitemap)]


def every_public_response(client: Client):
    """(what, response) for each kind of public response."""
    paths = [*sitemap_paths(client), "/sitemap.xml", "/robots.txt", "/.well-known/security.txt",
             "/demo-form/", "/no-such-page/", "/static/no-such-file.css", "/favicon.ico"]
    for path in paths:
        yield f"GET {path}", client.get(path)
        yield f"HEAD {path}", client.head(path)
    yield "bad Host", client.get("/", headers={"Host": "evil.example"})
    yield "malformed Host", client.get("/", headers={"Host": "bad host:x"})
    yield "cross-site POST", client.post("/demo-form/", {"message": "hi"},
                                         headers={"Sec-Fetch-Site": "cross-site"})
    yield "valid POST", client.post("/demo-form/",
                                    {"message": "hi", "form_token": form_token_new("DemoForm")},
                                    headers={"Sec-Fetch-Site": "same-origin"})
    yield "invalid POST", client.post("/demo-form/", {"message": ""},
                                      headers={"Sec-Fetch-Site": "same-origin"})
    yield "oversized POST", client.post("/demo-form/", {"message": "x" * 300_000},
                                        headers={"Sec-Fetch-Site": "same-origin"})
    yield "POST to a page", client.post("/about/", {}, headers={"Sec-Fetch-Site": "same-origin"})
    yield "server error", client.get("/broken/")
    yield "database unavailable", client.get("/database-away/")
    yield "form post, database unavailable", client.post(
        "/database-away/", {"form_token": form_token_new("DemoForm")},
        headers={"Sec-Fetch-Site": "same-origin"})
    yield "forbidden", client.get("/forbidden/")


@pytest.fixture
def responses():
    client = Client(raise_request_exception=False)
    return list(every_public_response(client))


def test_the_sitemap_lists_every_published_page(client):
    assert {"/", "/about/", "/what-we-trade/", "/shipping-and-orders/", "/contact/",
            "/security/", "/accessibility/"} <= set(sitemap_paths(client))


def test_no_public_response_sets_a_cookie(responses):
    with_cookies = [what for what, response in responses
                    if response.cookies or "Set-Cookie" in response.headers]
    assert with_cookies == []


def test_every_public_response_carries_the_security_headers(responses):
    missing = {what: SECURITY_HEADERS - set(response.headers) for what, response in responses}
    assert {what: headers for what, headers in missing.items() if headers} == {}


def test_the_content_security_policy_allows_only_this_origin(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert "http" not in policy


@pytest.mark.parametrize(
    ("what", "status", "words"),
    [
        ("GET /no-such-page/", 404, "We could not find that page"),
        ("bad Host", 400, "We could not understand that request"),
        ("malformed Host", 400, "We could not understand that request"),
        ("cross-site POST", 403, "We could not accept this form"),
        ("oversized POST", 413, "more than we can accept"),
        ("POST to a page", 405, ""),
        ("server error", 500, "Something went wrong on our side"),
        ("forbidden", 403, "You are not allowed to see this page"),
    ],
)
def test_bad_requests_get_a_clear_page_never_a_crash(responses, what, status, words):
    response = dict(responses)[what]
    assert response.status_code == status
    assert words in response.content.decode()


@pytest.mark.public_cookie_stripped
def test_a_view_that_tries_to_set_a_cookie_on_a_public_path_is_stopped(
        client, public_cookie_safety_net_unused):
    from django.http import HttpResponse

    from roochi_site.middleware import NoPublicCookiesMiddleware

    def view(request):
        response = HttpResponse("hi")
        response.set_cookie("tracker", "1")
        return response

    request = client.get("/").wsgi_request
    assert not NoPublicCookiesMiddleware(view)(request).cookies
    # The net said so, loudly: without the marker this test would fail.
    [record] = public_cookie_safety_net_unused
    assert "tracker" in record.getMessage()


def test_staff_cookies_exist_only_under_the_admin_path(admin_user):
    client = Client(enforce_csrf_checks=True)
    login_page = client.get("/admin/login/")
    csrf = login_page.cookies["csrftoken"]
    assert csrf["path"] == "/admin/"
    response = client.post("/admin/login/?next=/admin/", {
        "username": admin_user.username, "password": "password",
        "csrfmiddlewaretoken": csrf.value,
    })
    assert response.status_code == 302
    assert response.cookies["sessionid"]["path"] == "/admin/"
    assert response.cookies["sessionid"]["httponly"]
    # Signed in, the public site still sets nothing.
    assert not client.get("/").cookies


def test_the_admin_still_requires_djangos_csrf_token(admin_user):
    client = Client(enforce_csrf_checks=True)
    client.get("/admin/login/")
    response = client.post("/admin/login/", {"username": admin_user.username,
                                              "password": "password"},
                           headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 403
    assert "sessionid" not in response.cookies


def test_an_admin_save_sets_cookies_only_under_the_admin_path(admin_client):
    """P1: what the admin says after a save ("was changed successfully") travels in the
    staff session, not in a cookie that the browser would send to public pages."""
    from pages.models import Page

    page = Page.objects.get(slug="about")
    saved = admin_client.post(f"/admin/pages/page/{page.pk}/change/", {
        "title": page.title, "meta_description": page.meta_description,
        "body": page.body, "published": "on",
    })
    assert saved.status_code == 302
    assert [(name, morsel["path"]) for name, morsel in saved.cookies.items()
            if morsel["path"] != "/admin/"] == []
    assert "messages" not in admin_client.cookies
    assert "was changed successfully" in admin_client.get(saved["Location"]).text


@pytest.mark.parametrize(("content_type", "policies"), [
    ("text/html; charset=utf-8", {"Content-Security-Policy", "Permissions-Policy"}),
    ("image/svg+xml", {"Content-Security-Policy"}),
    ("text/css", set()),
])
def test_the_browser_policies_go_on_what_they_govern(content_type, policies):
    """A first visit carries each header on every response: only documents (and an SVG,
    a document when opened alone) get the policies that mean something to them."""
    from django.http import HttpResponse
    from django.middleware.csp import ContentSecurityPolicyMiddleware
    from django.test import RequestFactory

    from roochi_site.middleware import BrowserPolicyHeadersMiddleware

    stack = ContentSecurityPolicyMiddleware(BrowserPolicyHeadersMiddleware(
        lambda request: HttpResponse(b"x", content_type=content_type)))
    response = stack(RequestFactory().get("/static/site/file"))
    assert {name for name in ("Content-Security-Policy", "Permissions-Policy")
            if name in response} == policies
