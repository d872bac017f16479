"""Issue 16: a cached public page is answered high in the middleware, compressed once,
with an ETag and a 304, and with exactly the headers the full stack gives it."""

import gzip
import re
import zlib

import pytest
from django.conf import settings
from django.test import Client, override_settings

from pages.models import Page
from roochi_site.csrf import form_token_issued_at

pytestmark = pytest.mark.django_db

FAST_PATH = "roochi_site.page_cache.PublicPageCacheMiddleware"
# Added by the cache to what the stack gives: how a browser may keep and revalidate it.
CACHE_HEADERS = {"ETag", "Cache-Control", "Vary", "Content-Length"}


def without_fast_path():
    return override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != FAST_PATH])


@pytest.mark.usefixtures("deployment_page_cache")
@pytest.mark.parametrize("path", ["/", "/privacy/", "/information-request/"])
def test_a_cached_answer_carries_every_header_of_the_full_stack(client, path):
    # A client of its own: a client builds its middleware once, at its first request.
    with without_fast_path():
        uncached = Client().get(path)
    client.get(path)
    cached = client.get(path)
    assert cached.status_code == uncached.status_code == 200
    for name, value in uncached.headers.items():
        if name in CACHE_HEADERS:
            continue
        assert cached.headers.get(name) == value, name
    assert set(cached.headers) - set(uncached.headers) <= CACHE_HEADERS


@pytest.mark.usefixtures("deployment_page_cache")
def test_a_page_from_the_cache_passes_no_inner_middleware(client, monkeypatch):
    from django.middleware.clickjacking import XFrameOptionsMiddleware

    client.get("/about/")
    calls = []
    original = XFrameOptionsMiddleware.__call__
    monkeypatch.setattr(XFrameOptionsMiddleware, "__call__",
                        lambda self, request: calls.append(request.path) or original(self, request))
    response = client.get("/about/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert calls == []


@pytest.mark.usefixtures("deployment_page_cache")
def test_a_page_without_a_form_answers_not_modified_to_its_etag(client):
    first = client.get("/about/")
    etag = first["ETag"]
    assert re.fullmatch(r'W/"[0-9a-f]{32}"', etag)
    assert first["Cache-Control"] == f"public, max-age={settings.PUBLIC_PAGE_MAX_AGE_SECONDS}"
    again = client.get("/about/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert "Set-Cookie" not in again.headers
    assert client.get("/about/", headers={"If-None-Match": 'W/"other"'}).status_code == 200


@pytest.mark.usefixtures("deployment_page_cache")
def test_the_etag_comes_from_the_content_so_every_process_gives_the_same(client, settings):
    settings.PUBLIC_PAGE_CACHE_RECHECK_SECONDS = 0
    etag = client.get("/about/")["ETag"]
    from roochi_site.page_cache import kept_pages

    kept_pages.clear()  # as another process would, with nothing kept
    assert client.get("/about/")["ETag"] == etag
    Page.objects.filter(slug="about").update(body="Changed.")
    changed = client.get("/about/", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.mark.usefixtures("deployment_page_cache")
def test_a_page_with_a_form_is_never_kept_by_a_browser_nor_answered_not_modified(client):
    first = client.get("/information-request/")
    assert first["Cache-Control"] == "no-store"
    assert "ETag" not in first.headers
    again = client.get("/information-request/", headers={"If-None-Match": "*"})
    assert again.status_code == 200
    tokens = {re.search(r'name="form_token" value="([^"]+)"', response.text)[1]
              for response in [first, again]}
    assert len(tokens) == 2
    assert all(form_token_issued_at(token, scope="InformationRequestForm") for token in tokens)


@pytest.mark.usefixtures("deployment_page_cache")
@pytest.mark.parametrize("path", ["/", "/information-request/"])
def test_public_html_is_compressed_for_a_client_that_accepts_it(client, path):
    plain = client.get(path)
    compressed = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["Vary"] == "Accept-Encoding"
    assert int(compressed["Content-Length"]) == len(compressed.content)
    html = gzip.decompress(compressed.content)
    assert html.startswith(b"<!doctype html>")
    assert len(compressed.content) < len(plain.content) / 2
    assert "Content-Encoding" not in plain.headers


@pytest.mark.usefixtures("deployment_page_cache")
def test_a_cached_form_page_is_one_gzip_member_with_a_fresh_token_each_time(client):
    """The page around the token is compressed once (roochi_site/page_cache.py): each
    answer must still be one valid gzip member, its checksum and length those of the
    page with that answer's own token."""
    gzip_only = {"Accept-Encoding": "gzip"}
    plain = client.get("/information-request/").text
    answers = [client.get("/information-request/", headers=gzip_only) for _ in range(2)]
    pages, tokens = [], []
    for answer in answers:
        decoder = zlib.decompressobj(wbits=31)  # gzip, one member, checked to its end
        page = (decoder.decompress(answer.content) + decoder.flush()).decode()
        assert decoder.eof
        assert decoder.unused_data == b""
        assert gzip.decompress(answer.content).decode() == page
        token = re.search(r'name="form_token" value="([^"]+)"', page)[1]
        assert form_token_issued_at(token, scope="InformationRequestForm")
        pages.append(page.replace(token, "TOKEN"))
        tokens.append(token)
    assert tokens[0] != tokens[1]
    assert pages[0] == pages[1] == re.sub(r'(name="form_token" value=")[^"]+', r"\1TOKEN",
                                          plain)
    assert len(answers[0].content) < len(plain) / 2


def test_an_uncached_public_page_is_compressed_too_and_the_admin_never(client):
    missing = client.get("/no-such-page/", headers={"Accept-Encoding": "gzip"})
    assert missing.status_code == 404
    assert missing["Content-Encoding"] == "gzip"
    sign_in = client.get("/admin/login/", headers={"Accept-Encoding": "gzip"})
    assert sign_in.status_code == 200
    assert "Content-Encoding" not in sign_in.headers


@pytest.mark.usefixtures("deployment_page_cache")
def test_a_host_the_site_does_not_answer_to_gets_no_cached_page(client):
    client.get("/")
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_a_process_keeps_a_bounded_number_of_pages_and_only_under_the_parts_in_force():
    from roochi_site.page_cache import MAX_KEPT_PAGES, CachedPage, KeptPages

    pages = KeptPages()
    page = CachedPage(headers=(), html=b"<p>kept</p>", has_token=False)
    for number in range(MAX_KEPT_PAGES + 10):
        pages.keep("pages=1", f"/page-{number}/?", page)
    kept = sum(pages.get("pages=1", f"/page-{number}/?") is page
               for number in range(MAX_KEPT_PAGES + 10))
    assert 0 < kept <= MAX_KEPT_PAGES
    assert pages.get("pages=1", f"/page-{MAX_KEPT_PAGES + 9}/?") is page
    assert pages.get("pages=2", f"/page-{MAX_KEPT_PAGES + 9}/?") is None
    pages.keep("pages=2", "/other/?", page)
    assert pages.get("pages=1", f"/page-{MAX_KEPT_PAGES + 9}/?") is None
