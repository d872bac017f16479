"""P1, P2, P8 in a real browser: a person asks for a copy of their data, confirms by
the link in the mail and reads the copy, with no cookie and nothing from elsewhere."""

import pytest

from communications.models import OutboundMail
from privacy.models import PrivacyRequest
from privacy.services import requests as services
from tests.privacy.requests.conftest import link_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_person_asks_confirms_and_reads_their_copy_without_cookies(visit, django_user_model):
    visit.open("/")
    with visit.page.expect_navigation():
        visit.page.get_by_role("navigation", name="Site information").get_by_role(
            "link", name="Your data and your choices").click()
    page = visit.page
    assert page.get_by_role("heading", level=1).inner_text() == "Your data and your choices"

    # A correction without what is wrong: the error is shown, the input kept.
    page.get_by_label("Your email address").fill("ana@example.com")
    page.get_by_label("Correct or update something").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my request").click()
    assert "Tell us what is wrong" in page.locator("#error-summary").inner_text()
    assert page.get_by_label("Your email address").input_value() == "ana@example.com"
    # The form shown again answers 400, which Chromium reports in the console.
    visit.console_errors.clear()

    page.get_by_label("Send me a copy of the data you hold about me").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my request").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"

    mail = OutboundMail.objects.get(purpose="privacy-request-verify")
    visit.open(link_in(mail.body))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm my request").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Request confirmed"

    staff = django_user_model.objects.create_superuser("officer", "o@roochi.com", "pw-long-enough")
    link = services.privacy_request_send_copy(privacy_request=PrivacyRequest.objects.get(),
                                              by=staff)
    visit.open(link.removeprefix("http://127.0.0.1:8000"))
    assert page.get_by_role("heading", level=1).inner_text() == "The data we hold about you"
    assert "ana@example.com" in page.locator("main").inner_text()
    assert "Privacy policy, version 1" in page.locator("main").inner_text()

    assert visit.cookies() == []
    assert visit.foreign_requests() == []
    assert visit.console_errors == []


def test_the_request_page_works_without_javascript(visit_without_javascript):
    visit_without_javascript.open("/privacy/requests/")
    page = visit_without_javascript.page
    page.get_by_label("Your email address").fill("bob@example.com")
    page.get_by_label("Stop the newsletter").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my request").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert visit_without_javascript.cookies() == []
