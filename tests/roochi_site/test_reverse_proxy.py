"""The reverse proxy of README.md (deploy/roochi-proxy.conf, as it is), run for real:
Debian's nginx on loopback in front of a gunicorn that one slow client alone would
stall (one sync worker, one thread). Ten slow clients meet nginx, which answers
another visitor at once while they are still open and cuts them off at its deadline;
a flood of posts to a form meets nginx's limit (deploy/roochi-limits.conf), not the
site."""

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from bench.server import DEPLOY, NGINX, gunicorn_serving, nginx_serving
from bench.slow_clients import SLOW_CLIENTS, slow_clients_open
from tests.quality.conftest import database_url_of_tests
from tests.waiting import wait_until

pytestmark = pytest.mark.usefixtures("committed_db")
# roochi-proxy.conf's client_header_timeout, and a little more.
HEADER_DEADLINE = 10 + 5
# What roochi-proxy.conf lets through at once, and how often one more after that.
FORM_POST_BURST = int(re.search(r"roochi_form_posts burst=(\d+)",
                                (DEPLOY / "roochi-proxy.conf").read_text())[1])
FORM_POST_EVERY_SECONDS = 60 / int(re.search(r"zone=roochi_form_posts:\S+ rate=(\d+)r/m",
                                             (DEPLOY / "roochi-limits.conf").read_text())[1])
SEARCH_BURST = int(re.search(r"roochi_searches burst=(\d+)",
                             (DEPLOY / "roochi-proxy.conf").read_text())[1])


@pytest.fixture
def proxied_site(collected_static, tmp_path):
    if not Path(NGINX).exists():
        pytest.fail("nginx is needed for the reverse-proxy test: run `make test` "
                    "(Debian: sudo apt-get install nginx-light)")
    env = {"DJANGO_HTTPS": "false", "STATIC_ROOT": str(collected_static),
           "DATABASE_URL": database_url_of_tests(), "LOG_LEVEL": "WARNING"}
    with (gunicorn_serving(app="roochi_site.wsgi", env=env, workers=1, ready_path="/robots.txt",
                           options=["--worker-class", "sync", "--threads", "1"]) as site,
          nginx_serving(site, tmp_path) as proxy):
        yield proxy, site.url


def answered(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            response.read()
            return response.status == 200
    except OSError:
        return False


def test_ten_slow_clients_meet_the_proxy_and_never_the_site(proxied_site):
    proxy, _site = proxied_site
    with slow_clients_open(proxy, SLOW_CLIENTS) as clients:
        assert clients.still_open() == SLOW_CLIENTS
        started = time.monotonic()
        for path in ["/", "/privacy/", "/information-request/"] * 3:
            assert answered(proxy + path)
        assert time.monotonic() - started < 5
        assert clients.still_open() == SLOW_CLIENTS
        # nginx ends them at its header deadline, however often they send a line.
        wait_until(lambda: clients.still_open() == 0, HEADER_DEADLINE, "slow clients still open")


def test_without_the_proxy_one_slow_client_stalls_that_site(proxied_site):
    """The control: the same gunicorn, reached directly, is stalled by one."""
    _proxy, site = proxied_site
    with slow_clients_open(site, 1):
        assert not answered(site + "/robots.txt")


def post(url: str, data: dict | None, *, forwarded: str) -> tuple[int, dict, str]:
    """A POST of ``data``, or without data a GET."""
    sent = urllib.request.Request(  # noqa: S310 (always http://127.0.0.1)
        url, data=None if data is None else urllib.parse.urlencode(data).encode(),
        headers={"Sec-Fetch-Site": "same-origin", "X-Forwarded-For": forwarded})
    try:
        with urllib.request.urlopen(sent, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read().decode()


def test_a_flood_of_form_posts_from_one_address_meets_the_proxy(proxied_site):
    proxy, _site = proxied_site
    answers = []
    started = time.monotonic()
    for number in range(FORM_POST_BURST + 10):
        # Another X-Forwarded-For each time: a visitor cannot name itself to the proxy.
        answers.append(post(proxy + "/information-request/", {"name": "Flood"},
                            forwarded=f"198.51.100.{number}"))
    elapsed = time.monotonic() - started
    statuses = [status for status, _headers, _body in answers]
    passed = [status for status in statuses if status != 429]
    # The first and the burst reach the site (it shows the form again, with its errors).
    assert statuses[:FORM_POST_BURST + 1] == [400] * (FORM_POST_BURST + 1)
    assert len(passed) <= FORM_POST_BURST + 1 + elapsed / FORM_POST_EVERY_SECONDS
    assert statuses[-1] == 429
    _status, headers, body = answers[-1]
    assert "Too many forms sent" in body
    assert "not stored" in body
    assert headers["Retry-After"] == "60"
    assert headers["Content-Security-Policy"] == "default-src 'none'"
    assert "Set-Cookie" not in headers
    # Pages, the form itself and posts that are no form's are not limited.
    assert answered(proxy + "/information-request/")
    assert answered(proxy + "/")
    status, _headers, _body = post(proxy + "/newsletter/unsubscribe/not-a-token/", {},
                                   forwarded="198.51.100.1")
    assert status != 429


def test_a_flood_of_searches_from_one_address_meets_the_proxy(proxied_site):
    """Search is the one public page the site answers afresh each time: past a burst,
    one client's searches are refused by nginx, with a page that says so; pages and
    forms are not limited by it."""
    proxy, _site = proxied_site
    statuses = [post(proxy + f"/search/?q=tea{number}", None, forwarded="198.51.100.9")[0]
                for number in range(SEARCH_BURST + 10)]
    assert statuses[:SEARCH_BURST + 1] == [200] * (SEARCH_BURST + 1)
    assert statuses[-1] == 429
    status, headers, body = post(proxy + "/search/?q=tea", None, forwarded="198.51.100.9")
    assert status == 429
    assert "<h1>Too many searches</h1>" in body
    assert "search again" in body
    assert "not stored" not in body
    assert headers["Retry-After"] == "60"
    assert headers["Content-Security-Policy"] == "default-src 'none'"
    assert answered(proxy + "/")
    assert answered(proxy + "/information-request/")
    status, _headers, _body = post(proxy + "/information-request/", {"name": "Ada"},
                                   forwarded="198.51.100.9")
    assert status == 400  # the site's own answer: the form again, with its errors
