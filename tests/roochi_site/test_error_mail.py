"""Errors reach staff by mail with what failed and where, never the request's data:
no POST values, cookies, headers, address or email; and log lines are one per event,
with a level, addresses masked."""

import io
import logging

import pytest
from django.test import Client

from roochi_site.logs import OneLineFormatter

ADDRESS = "203.0.113.99"
BROWSER = "MarkerBrowser/1.0"
EMAIL = "marker.person@example.com"
SECRET = "POSTEDSECRET123"
COOKIE = "COOKIEVALUE456"
MARKERS = [ADDRESS, BROWSER, EMAIL, SECRET, COOKIE, "marker.person"]


@pytest.fixture
def staff_inbox(settings, smtp_server):
    settings.ADMINS = ["webmaster@roochi.example"]
    [handler] = [handler for handler in logging.getLogger().handlers
                 if type(handler).__name__ == "StaffErrorMailHandler"]
    handler.last_sent.clear()
    yield smtp_server
    handler.last_sent.clear()


def break_the_site(times: int = 1) -> None:
    visitor = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER,
                     raise_request_exception=False, headers={"Sec-Fetch-Site": "same-origin"})
    visitor.cookies["sessionid"] = COOKIE
    for _ in range(times):
        response = visitor.post(f"/broken/?email={EMAIL}", {"email": EMAIL, "message": SECRET})
        assert response.status_code == 500


@pytest.mark.urls("tests.roochi_site.urls")
@pytest.mark.django_db
def test_a_server_error_mails_staff_what_failed_and_nothing_of_the_request(staff_inbox):
    break_the_site()
    [message] = staff_inbox.messages
    assert message["To"] == "webmaster@roochi.example"
    assert message["Subject"] == ("[Roochi Traders Inc. site] ERROR: Internal Server Error: "
                                  "/broken/")
    text = message.as_string()
    assert "RuntimeError: a failure the visitor must not see" in text
    assert 'tests/roochi_site/urls.py", line' in text
    for marker in MARKERS:
        assert marker not in text


@pytest.mark.urls("tests.roochi_site.urls")
@pytest.mark.django_db
def test_a_repeating_error_is_mailed_once(staff_inbox):
    break_the_site(times=5)
    assert len(staff_inbox.messages) == 1


@pytest.mark.urls("tests.roochi_site.urls")
@pytest.mark.django_db
def test_no_admins_no_mail(staff_inbox, settings):
    settings.ADMINS = []
    break_the_site()
    assert staff_inbox.messages == []


def fail_to_store() -> None:
    raise ValueError(f"Key (email)=({EMAIL}) already exists.\nDETAIL: more")


def test_a_log_line_is_one_line_with_its_level_and_no_address():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(OneLineFormatter())
    logger = logging.getLogger("tests.one_line")
    logger.addHandler(handler)
    try:
        try:
            fail_to_store()
        except ValueError:
            logger.exception("Could not store the inquiry")
    finally:
        logger.removeHandler(handler)
    [line] = stream.getvalue().splitlines()
    assert " ERROR tests.one_line: Could not store the inquiry | Traceback" in line
    assert "ValueError: Key (email)=([email]) already exists. | DETAIL: more" in line
    assert EMAIL not in line
