"""Staff pages in Chromium: the inquiry list fits a common laptop screen."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tests.inquiries.conftest import InquiryFactory, StaffFactory
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def staff_tab(visit, user) -> None:
    """Sign the tab in as this staff member (the session Django's login would set)."""
    client = Client()
    staff_sign_in(client, user)
    visit.page.context.add_cookies([{
        "name": "sessionid", "value": client.cookies["sessionid"].value,
        "url": visit.origin,
    }])


def assert_fits_sideways(page) -> None:
    """Neither the page nor the admin's own scrolling box around a list (.results)
    needs to scroll sideways."""
    width = page.evaluate("[document.documentElement.scrollWidth,"
                          " document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide in a {width[1]} px window"
    table = page.evaluate("(box => [box.scrollWidth, box.clientWidth])"
                          "(document.querySelector('#changelist .results'))")
    assert table[0] <= table[1], f"the list is {table[0]} px wide in a {table[1]} px box"


def test_the_inquiry_list_shows_its_key_columns_without_scrolling_sideways_at_1280(visit):
    staff = get_user_model().objects.create_superuser("lead", "lead@roochi.com", "x" * 16)
    colleague = StaffFactory(username="maximiliana")
    for topic in ["prices", "products", "other"]:
        InquiryFactory(topic=topic, name="Maximiliana Fernández-Villaverde de la Cruz",
                       email="maximiliana.fernandez-villaverde@example-trading-company.com",
                       status="waiting", assigned_to=colleague)
    InquiryFactory(topic="becoming-a-client", reply_by="phone",
                   first_response_due=timezone.now() - timedelta(days=3))
    InquiryFactory(purpose="support", topic="invoice", status="answered")
    staff_tab(visit, staff)
    visit.page.set_viewport_size({"width": 1280, "height": 800})
    visit.open("/admin/inquiries/inquiry/")
    headers = visit.page.locator("#result_list thead th").all_inner_texts()
    for column in ["REFERENCE", "FORM", "TOPIC", "STATUS", "ASSIGNED TO", "RECEIVED",
                   "FIRST REPLY DUE"]:
        assert column in [header.strip().upper() for header in headers], headers
    assert_fits_sideways(visit.page)


def test_the_privacy_request_list_fits_1280_with_every_kind_of_request(visit):
    staff = get_user_model().objects.create_superuser("lead", "lead@roochi.com", "x" * 16)
    colleague = StaffFactory(username="maximiliana.fernandez")
    from privacy.models import PrivacyRequest

    for kind in PrivacyRequest.Kind.values:
        request = open_privacy_request(kind)
        request.email = "maximiliana.fernandez-villaverde@example-trading-company.com"
        request.assigned_to = colleague
        request.save()
    staff_tab(visit, staff)
    visit.page.set_viewport_size({"width": 1280, "height": 800})
    visit.open("/admin/privacy/privacyrequest/")
    assert visit.page.locator("#result_list tbody tr").count() == 7
    assert_fits_sideways(visit.page)


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def page_violations(page) -> list[str]:
    """axe-core on the whole page: our markup and Django's menu, sidebar and filters."""
    from tests.quality.conftest import node_tool

    page.evaluate(node_tool("axe-core/axe.min.js").read_text())
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           WCAG_TAGS)
    assert result["passes"], "axe checked nothing"
    return [f"{found['id']}: {[node['target'] for node in found['nodes']]}"
            for found in result["violations"] + result["incomplete"]]


def open_privacy_request(kind: str):
    from privacy.models import PrivacyRequest
    from privacy.models.people import email_hash
    from privacy.policy import current_version

    now = timezone.now()
    return PrivacyRequest.objects.create(
        reference=f"PR-{kind[:4].upper()}{len(kind):04d}", kind=kind, email="ana@example.com",
        email_hash=email_hash("ana@example.com"), status="verified", verify_by=now,
        verified_at=now, due_at=now + timedelta(days=30), policy_version=current_version(),
        purpose="privacy-request", wrong="Company name", should_be="Ana Trading Ltd")


def test_staff_action_pages_meet_wcag_and_an_invalid_form_takes_the_focus(visit):
    from privacy.models import ClientProfile, Person

    staff = get_user_model().objects.create_superuser("lead", "lead@roochi.com", "x" * 16)
    person = Person.objects.create(email="ana@example.com")
    ClientProfile.objects.create(person=person, company="Ana Trading", account_number="C-1")
    correction, erasure = open_privacy_request("correct"), open_privacy_request("delete")
    inquiry = InquiryFactory(reply_by="phone")
    staff_tab(visit, staff)
    requests = "/admin/privacy/privacyrequest"
    found = {}

    visit.open(f"{requests}/{correction.pk}/change/?preview=1")
    found["privacy request with the person's data"] = page_violations(visit.page)
    visit.open(f"{requests}/{erasure.pk}/act/erase/")
    assert "What will be erased" in visit.page.content()
    found["erasure confirmation"] = page_violations(visit.page)
    visit.open(f"{requests}/{erasure.pk}/act/refuse/")
    visit.page.get_by_role("button", name="Yes: Refuse the request").click()
    found["refusal without a reason"] = page_violations(visit.page)

    # An invalid action shows the change page again; the focus is on what went wrong,
    # and the next Tab is in that form.
    visit.open(f"/admin/inquiries/inquiry/{inquiry.pk}/change/")
    with visit.page.expect_navigation():
        visit.page.get_by_role("button", name="Preview the mail").click()
    visit.page.wait_for_function(
        "document.activeElement && document.activeElement.classList.contains('errornote')")
    visit.page.keyboard.press("Tab")
    assert visit.page.evaluate("document.activeElement.id") == "reply_confirm_other_channel"
    found["inquiry with an invalid reply"] = page_violations(visit.page)
    assert found == {name: [] for name in found}


def test_mailing_pages_meet_wcag_and_their_progress_is_announced(visit):
    from communications.mailings import mailing_prepare
    from mailings.models import ServiceAnnouncement
    from mailings.services import staff_mailing_send
    from tests.privacy.people_states import clients_in_every_state

    staff = get_user_model().objects.create_superuser("lead", "lead@roochi.com", "x" * 16)
    clients_in_every_state()
    draft, sent = (ServiceAnnouncement.objects.create(
        subject=f"Planned maintenance {n}", created_by=staff,
        body="Closed on **Sunday**. [Shipping](http://127.0.0.1:8000/shipping/)")
        for n in (1, 2))
    mailing_prepare(mailing_id=staff_mailing_send(item=sent, user=staff).pk)
    staff_tab(visit, staff)
    # axe judges the contrast of text inside the window only: the preview is tall.
    visit.page.set_viewport_size({"width": 1280, "height": 1400})
    admin_path = "/admin/mailings/serviceannouncement"
    found = {}
    for name, path in [("draft", f"{admin_path}/{draft.pk}/change/"),
                       ("preview", f"{admin_path}/{draft.pk}/preview/"),
                       ("send confirmation", f"{admin_path}/{draft.pk}/act/send/"),
                       ("sending", f"{admin_path}/{sent.pk}/change/")]:
        visit.open(path)
        found[name] = page_violations(visit.page)
    bar = visit.page.get_by_role("progressbar")
    assert bar.get_attribute("value") == "0"
    assert "0 of 2 done" in visit.page.locator(
        "#" + bar.get_attribute("aria-labelledby")).inner_text()
    assert found == {name: [] for name in found}


def test_signing_in_with_the_keyboard_and_every_sign_in_page_meets_wcag(visit):
    import re

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from roochi_site.staff_site import bootstrap_account_create
    from tests.staff import app_code

    found = {}
    bootstrap_account_create("one-time password 1")
    visit.open("/admin/login/")
    found["sign-in"] = page_violations(visit.page)
    visit.page.keyboard.type("bootstrap")  # Django's sign-in form puts the focus there
    visit.page.keyboard.press("Tab")
    visit.page.keyboard.type("wrong")
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")
    found["sign-in refused"] = page_violations(visit.page)
    visit.page.get_by_label("Password").fill("one-time password 1")
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")
    assert visit.page.url.endswith("/admin/first-account/")
    found["first account"] = page_violations(visit.page)
    with visit.page.expect_navigation():
        visit.page.get_by_role("button", name="Create the account").click()
    found["first account refused"] = page_violations(visit.page)
    for field, value in [("username", "maria"), ("first_name", "Maria"),
                         ("last_name", "Okafor"), ("email", "maria@roochi.com"),
                         ("password1", "a river of copper kettles"),
                         ("password2", "a river of copper kettles")]:
        visit.page.locator(f"#id_{field}").fill(value)
    with visit.page.expect_navigation():
        visit.page.get_by_role("button", name="Create the account").click()

    visit.page.get_by_label("Username").fill("maria")
    visit.page.get_by_label("Password").fill("a river of copper kettles")
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")
    assert "/admin/second-factor/set-up/" in visit.page.url
    found["second factor set-up"] = page_violations(visit.page)
    assert visit.page.evaluate("document.activeElement.name") == "code"
    device = TOTPDevice.objects.get(user__username="maria")
    visit.page.keyboard.type("000000")
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")
    found["second factor refused"] = page_violations(visit.page)
    visit.page.wait_for_timeout(1100)  # django-otp waits a second after a wrong code
    visit.page.get_by_label("Code").fill(app_code(device))
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")
    assert len(re.findall(r"<li><code>", visit.page.content())) == 10
    found["recovery codes"] = page_violations(visit.page)
    visit.page.get_by_role("link", name="I have kept them: continue").click()
    visit.page.wait_for_url("**/admin/")
    assert found == {name: [] for name in found}
