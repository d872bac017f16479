"""Two servers, one database: two app servers (separate gunicorn processes, as on two
machines, each as `make run` configures it) on the test database. A page edited in
the admin of one is served changed by the other within
PUBLIC_PAGE_CACHE_RECHECK_SECONDS; a policy version published through one is in force
on the other within the policy cache's bound; a form shown by one is accepted by the
other (README.md, Running on several machines)."""

import re
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings as django_settings
from django.test import Client

from bench.server import gunicorns_serving
from pages.models import Page, Revision
from privacy.models import PolicyVersion
from privacy.services.policy_versions import policy_version_draft_from
from tests.conftest import initial_content_restore
from tests.quality.conftest import database_url_of_tests
from tests.quality.documents import hidden_fields
from tests.roochi_site.test_database_outage import BROWSER
from tests.roochi_site.test_slow_clients import make_run_options
from tests.staff import staff_sign_in
from tests.waiting import wait_until

pytestmark = pytest.mark.usefixtures("committed_db")
RECHECK_SECONDS = 2
# The policy cache's bound on both servers: short, so the test waits seconds, not the
# default minute; the bound itself is what is under test.
POLICY_CACHE_SECONDS = 5
# Slack for two processes' clocks and the polling itself.
MARGIN_SECONDS = 3


def fetch(url: str, *, data: dict | None = None, cookies: dict | None = None,
          headers: dict | None = None) -> tuple[int, dict, str]:
    sent = urllib.request.Request(  # noqa: S310 (always http://127.0.0.1)
        url, data=urllib.parse.urlencode(data).encode() if data is not None else None,
        headers={**(headers or {}),
                 **({"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
                    if cookies else {})})
    try:
        with BROWSER.open(sent, timeout=20) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read().decode()


@pytest.fixture
def two_servers(collected_static):
    initial_content_restore()
    workers, options = make_run_options()
    # What README.md says must be equal on every machine.
    env = {"DJANGO_HTTPS": "false", "STATIC_ROOT": str(collected_static),
           "DATABASE_URL": database_url_of_tests(), "LOG_LEVEL": "WARNING",
           "SECRET_KEY": django_settings.SECRET_KEY,
           "PERSON_HASH_KEY": django_settings.PERSON_HASH_KEY,
           "PUBLIC_PAGE_CACHE_RECHECK_SECONDS": str(RECHECK_SECONDS),
           "POLICY_CACHE_SECONDS": str(POLICY_CACHE_SECONDS),
           "FORM_MIN_FILL_SECONDS": "0"}
    with gunicorns_serving(2, app="roochi_site.wsgi", env=env, workers=workers,
                           ready_path="/robots.txt", options=options) as (first, second):
        yield first.url, second.url


@pytest.fixture
def staff_cookies(admin_user) -> dict[str, str]:
    client = staff_sign_in(Client(), admin_user)
    return {"sessionid": client.cookies["sessionid"].value}


def admin_post(server: str, path: str, cookies: dict, data: dict) -> int:
    """A staff form sent as a browser does: the page first (its CSRF cookie and token),
    then the post."""
    status, headers, page = fetch(server + path, cookies=cookies)
    assert status == 200, page
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
    cookies = {**cookies, "csrftoken": csrf_cookie[1]} if csrf_cookie else cookies
    token = hidden_fields(page)["csrfmiddlewaretoken"]
    status, _headers, body = fetch(server + path, cookies=cookies,
                                   data={**data, "csrfmiddlewaretoken": token},
                                   headers={"Origin": server})
    assert status == 302, body
    return status


def every_worker_serves(server: str, path: str, text: str) -> bool:
    """A few reads in a row all show the text (each may reach another worker)."""
    return all(text in fetch(server + path)[2] for _ in range(6))


def test_two_servers_on_one_database_agree(two_servers, staff_cookies):
    """One pair of servers for the three, since each start costs seconds; the policy
    last, as it changes what every later form is collected under."""
    a_page_edited_through_one_server_is_served_changed_by_the_other(*two_servers, staff_cookies)
    a_form_shown_by_one_server_is_accepted_by_the_other(*two_servers)
    a_policy_version_published_through_one_is_in_force_on_the_other(*two_servers, staff_cookies)


def a_page_edited_through_one_server_is_served_changed_by_the_other(
        first: str, second: str, staff_cookies: dict) -> None:
    page = Page.objects.get(slug="about")
    for _ in range(6):  # both servers' workers have the page cached
        assert page.title in fetch(second + "/about/")[2]
    admin_post(first, f"/admin/pages/page/{page.pk}/change/", staff_cookies, {
        "title": page.title, "meta_description": page.meta_description,
        "body": page.body + "\n\nEdited on the first server.", "published": "on"})
    # A live page's edit is a draft until it is published (pages/revisions.py).
    draft = Revision.objects.get(page=page, status=Revision.Status.DRAFT)
    admin_post(first, f"/admin/pages/page/{page.pk}/act/publish_draft/", staff_cookies,
               {"draft": draft.pk, "confirm": "yes"})
    edited = time.monotonic()
    wait_until(lambda: every_worker_serves(second, "/about/", "Edited on the first server."),
               RECHECK_SECONDS + MARGIN_SECONDS, "the second server still serves the old page")
    assert time.monotonic() - edited <= RECHECK_SECONDS + MARGIN_SECONDS


def a_policy_version_published_through_one_is_in_force_on_the_other(
        first: str, second: str, staff_cookies: dict) -> None:
    for _ in range(6):
        assert "Version 1, in force since" in fetch(second + "/privacy/")[2]
    draft = policy_version_draft_from(version=PolicyVersion.objects.get(number=1))
    PolicyVersion.objects.filter(pk=draft.pk).update(change_summary="Two servers agree.")
    admin_post(first, f"/admin/privacy/policyversion/{draft.pk}/publish/", staff_cookies,
               {"when": "now"})
    published = time.monotonic()
    bound = POLICY_CACHE_SECONDS + MARGIN_SECONDS
    # Only the worker that published knows at once; every other, on either server,
    # within the bound.
    wait_until(lambda: all(every_worker_serves(server, "/privacy/", "Version 2, in force since")
                           for server in (first, second)),
               bound, "a server still shows version 1")
    assert time.monotonic() - published <= bound


def a_form_shown_by_one_server_is_accepted_by_the_other(first: str, second: str) -> None:
    status, _headers, form = fetch(first + "/information-request/")
    assert status == 200
    status, headers, body = fetch(second + "/information-request/", data={
        **hidden_fields(form), "name": "Ana Two", "email": "ana.two@example.com",
        "reply_by": "email", "topic": "prices", "message": "Sent to the other server."},
        headers={"Sec-Fetch-Site": "same-origin"})
    assert status == 302, body
    # The thank-you address one server signed is good on the other too.
    status, _headers, thanks = fetch(first + headers["Location"])
    assert status == 200
    assert re.search(r"RT-[A-Z0-9]{6}", thanks)
