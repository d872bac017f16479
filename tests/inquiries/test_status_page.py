"""The status page: a reference and an address ask for a signed link, mailed only
when they match, with the same answer either way; the link shows the status in words
and our replies by email, expires, sets no cookie and is kept by no cache."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communications.models import OutboundMail
from inquiries.models import Inquiry, InquiryEvent, Status
from inquiries.services import inquiries_purge, status_link_token
from privacy import registry
from privacy.policy import current_version
from tests.conftest import text_of
from tests.inquiries.conftest import InquiryFactory, StaffFactory, shown_seconds_ago

ASK = "/request-status/"
LINK = re.compile(r"http://\S+(/request-status/view/\S+/)")


@pytest.fixture(autouse=True)
def at_once(settings):
    settings.FORM_MIN_FILL_SECONDS = 0


def ask(client, reference: str, email: str, **extra):
    return client.post(ASK, {"reference": reference, "email": email, "website": "",
                             "form_token": shown_seconds_ago(10, "StatusLinkForm"),
                             "policy_version_shown": current_version().number, **extra},
                       headers={"Sec-Fetch-Site": "same-origin"})


def status_mails() -> list[OutboundMail]:
    return list(OutboundMail.objects.filter(purpose="inquiry-status-link"))


def link_of(mail: OutboundMail) -> str:
    return LINK.search(mail.body).group(1)


def answered_inquiry(**fields) -> Inquiry:
    inquiry = InquiryFactory(email="ana@example.com", status=Status.ANSWERED, **fields)
    staff = StaffFactory()
    inquiry.events.create(kind=InquiryEvent.Kind.EMAIL_REPLY, author=staff,
                          text="Hello Ana,\n\nForty tonnes ship from Oakland in May.")
    inquiry.events.create(kind=InquiryEvent.Kind.NOTE, author=staff,
                          text="Internal: she haggles, quote high.")
    inquiry.events.create(kind=InquiryEvent.Kind.PHONE_REPLY, author=staff,
                          text="Call summary: discussed the discount.")
    return inquiry


@pytest.mark.django_db
def test_the_answer_is_the_same_whether_or_not_the_pair_exists(client):
    inquiry = InquiryFactory(email="ana@example.com")
    answers = [ask(client, inquiry.reference, "ana@example.com"),
               ask(client, inquiry.reference, "someone.else@example.com"),
               ask(client, "RT-ZZZZZZ", "bo@example.com")]
    assert [answer.status_code for answer in answers] == [302] * 3
    assert {answer["Location"] for answer in answers} == {"/request-status/sent/"}
    assert len({answer.content for answer in answers}) == 1
    pages = [client.get(answer["Location"]) for answer in answers]
    assert len({(page.status_code, page.content) for page in pages}) == 1
    assert "If the reference and the address match" in pages[0].text
    assert all(answer.cookies == {} for answer in answers + pages)
    [mail] = status_mails()
    assert mail.to == "ana@example.com"


def query_shapes(queries) -> list[str]:
    """The statements without their values: what work was done, not on what."""
    return [re.sub(r"'[^']*'|\b\d+\b|\bs\d+_x\d+\b", "?", query["sql"]) for query in queries]


@pytest.mark.django_db
def test_both_paths_do_the_same_database_work_up_to_the_mail(client):
    inquiry = InquiryFactory(email="ana@example.com")
    with CaptureQueriesContext(connection) as no_match:
        ask(client, inquiry.reference, "bo@example.com")
    with CaptureQueriesContext(connection) as match:
        ask(client, inquiry.reference, "ana@example.com")
    unmatched = query_shapes(no_match.captured_queries)
    matched = query_shapes(match.captured_queries)
    # Only the mail (its row, its task, its timeline line) is extra.
    extra = matched[len(unmatched) - 1:-1]
    assert matched[:len(unmatched) - 1] == unmatched[:-1]
    assert all(sql.startswith(("INSERT", "SELECT", "UPDATE")) for sql in extra)
    assert any('INSERT INTO "communications_outboundmail"' in sql for sql in extra)


@pytest.mark.django_db
def test_another_spelling_of_the_reference_and_the_address_matches(client):
    inquiry = InquiryFactory(email="ana.perez@example.com")
    typed = inquiry.reference.removeprefix("RT-").lower()
    ask(client, f" rt {typed[:3]} {typed[3:]} ", "  Ana.Perez@EXAMPLE.com ")
    assert [mail.to for mail in status_mails()] == ["ana.perez@example.com"]


@pytest.mark.usefixtures("committed_db")
def test_the_link_arrives_by_smtp_and_shows_the_status_and_our_replies(
        client, run_tasks, smtp_server):
    inquiry = answered_inquiry()
    ask(client, inquiry.reference, "ana@example.com")
    run_tasks()
    [message] = [m for m in smtp_server.messages if m["To"] == "ana@example.com"]
    assert message["Subject"] == f"The status of your request {inquiry.reference}"
    path = LINK.search(text_of(message)).group(1)
    page = client.get(path)
    assert page.status_code == 200
    assert page.cookies == {}
    assert page["Cache-Control"] == "no-store, private"
    assert page["Referrer-Policy"] == "no-referrer"
    assert "noindex" in page["X-Robots-Tag"]
    assert "Answered" in page.text
    assert "Forty tonnes ship from Oakland in May." in page.text
    # Nothing staff wrote for themselves, nor a call's summary.
    assert "haggles" not in page.text
    assert "discount" not in page.text
    # Nor the message, which the person has and which the link's reader may not be.
    assert inquiry.message not in page.text


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "words"), [
    (Status.NEW, "Received"), (Status.OPEN, "Being handled"),
    (Status.WAITING, "Answered"), (Status.ANSWERED, "Answered"), (Status.CLOSED, "Closed"),
])
def test_the_status_is_said_in_words(client, status, words):
    inquiry = InquiryFactory(status=status,
                             closed_at=timezone.now() if status == Status.CLOSED else None)
    page = client.get(f"/request-status/view/{status_link_token(inquiry)}/")
    assert f"<strong>{words}</strong>" in page.text


@pytest.mark.django_db
def test_the_page_is_not_cached_it_follows_the_inquiry(client):
    inquiry = InquiryFactory()
    path = f"/request-status/view/{status_link_token(inquiry)}/"
    assert "<strong>Received</strong>" in client.get(path).text
    Inquiry.objects.filter(pk=inquiry.pk).update(status=Status.OPEN)
    assert "<strong>Being handled</strong>" in client.get(path).text


@pytest.mark.django_db
def test_the_link_expires(client, settings):
    settings.INQUIRY_STATUS_LINK_HOURS = 24
    inquiry = InquiryFactory()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        path = f"/request-status/view/{status_link_token(inquiry)}/"
        traveller.shift(timedelta(hours=23, minutes=59))
        assert client.get(path).status_code == 200
        traveller.shift(timedelta(minutes=2))
        expired = client.get(path)
    assert expired.status_code == 400
    assert "It has expired" in expired.text
    assert inquiry.reference not in expired.text
    assert expired.cookies == {}
    assert expired["Cache-Control"] == "no-store, private"


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", [
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
    lambda token: "x",
    lambda token: token.split(":")[0] + ":" + token.split(":", 1)[1][::-1],
])
def test_a_tampered_link_shows_a_clear_page(client, tamper):
    inquiry = InquiryFactory()
    page = client.get(f"/request-status/view/{tamper(status_link_token(inquiry))}/")
    assert page.status_code == 400
    assert "It is not a link we sent" in page.text
    assert inquiry.reference not in page.text


@pytest.mark.django_db
def test_a_signed_token_of_another_kind_opens_nothing(client):
    from django.core import signing

    inquiry = InquiryFactory()
    # Signed by us, but for the thank-you page: another salt.
    other = signing.dumps({"inquiry": inquiry.pk, "check": "x"}, salt="inquiries.thanks")
    assert client.get(f"/request-status/view/{other}/").status_code == 400


@pytest.mark.django_db
def test_an_erased_inquiry_shows_nothing(client):
    inquiry = answered_inquiry()
    path = f"/request-status/view/{status_link_token(inquiry)}/"
    registry.erase_person("ana@example.com")
    page = client.get(path)
    assert page.status_code == 400
    assert inquiry.reference not in page.text
    assert "Oakland" not in page.text


@pytest.mark.django_db
def test_a_link_stops_when_the_address_is_corrected(client):
    inquiry = InquiryFactory(email="ana@example.com")
    path = f"/request-status/view/{status_link_token(inquiry)}/"
    Inquiry.objects.filter(pk=inquiry.pk).update(email="ana.new@example.com")
    assert client.get(path).status_code == 400


@pytest.mark.django_db
def test_an_address_gets_one_link_per_window_whoever_asks(client, settings):
    settings.INQUIRY_STATUS_LINK_WINDOW_HOURS = 1
    inquiry = InquiryFactory(email="ana@example.com")
    for address in ["10.0.0.1", "10.0.0.2", "10.0.0.3"]:
        response = ask(client, inquiry.reference, "ana@example.com", REMOTE_ADDR=address)
        assert response.status_code == 302
    assert len(status_mails()) == 1
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        ask(client, inquiry.reference, "ana@example.com")
    assert len(status_mails()) == 2


@pytest.mark.django_db
def test_a_client_may_ask_so_many_times_an_hour(client, settings):
    settings.INQUIRY_STATUS_LIMIT_PER_HOUR = 2
    for _ in range(2):
        assert ask(client, "RT-ZZZZZZ", "bo@example.com").status_code == 302
    refused = ask(client, "RT-ZZZZZZ", "bo@example.com")
    assert refused.status_code == 400
    assert "several requests from your connection" in refused.text
    assert refused.cookies == {}


@pytest.mark.django_db
@pytest.mark.parametrize(("reference", "email", "message"), [
    ("", "ana@example.com", "Enter the reference of your request"),
    ("RT-0OO1IL", "ana@example.com", "A reference is RT- and six letters and digits"),
    ("'; DROP TABLE x; --", "ana@example.com", "A reference is RT-"),
    ("RT-ZZZZZZ", "not an address", "Enter an email address like name@example.com."),
    ("RT-ZZZZZZ\x00", "ana@example.com\x00", "Enter an email address"),
    ("R" * 5000, "a" * 5000 + "@example.com", "Ensure this value has at most"),
])
def test_bad_input_gets_a_clear_message_and_sends_nothing(client, reference, email, message):
    response = ask(client, reference, email)
    assert response.status_code == 400
    assert message in response.text
    assert status_mails() == []


@pytest.mark.django_db
def test_the_honeypot_sends_nothing(client):
    inquiry = InquiryFactory(email="ana@example.com")
    response = ask(client, inquiry.reference, "ana@example.com", website="http://spam")
    assert response.status_code == 400
    assert status_mails() == []


@pytest.mark.django_db
def test_the_link_is_in_the_timeline_and_erased_with_the_inquiry(client, settings):
    inquiry = InquiryFactory(email="ana@example.com", status=Status.CLOSED,
                             closed_at=timezone.now() - timedelta(days=800))
    ask(client, inquiry.reference, "ana@example.com")
    [mail] = status_mails()
    assert inquiry.events.get(kind=InquiryEvent.Kind.STATUS_LINK).mail == mail
    assert inquiries_purge() == 1
    assert status_mails() == []
