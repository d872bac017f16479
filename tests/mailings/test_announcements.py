"""A service announcement reaches our clients and everyone whose request is open,
whatever their newsletter choice, and nobody who stopped all communication, was
deactivated or erased (P6). It carries no newsletter unsubscribe, says how to stop all
communication, and goes as text and HTML through a real SMTP conversation."""

import pytest

from communications.mailings import mailing_progress
from inquiries.models import Status
from mailings.services import staff_mailing_send
from privacy.models import Person, PrivacyRequest
from tests.communications.test_mail_content import assert_nothing_tracks
from tests.inquiries.conftest import InquiryFactory
from tests.privacy.people_states import (
    address,
    clients_in_every_state,
    deactivated,
    privacy_request,
    stopped,
)

pytestmark = pytest.mark.usefixtures("committed_db")

REACHED = ["client", "client-no-newsletter", "open-inquiry", "open-privacy-request",
           "asked-after-newsletter-stop"]


def people_in_every_state() -> None:
    clients_in_every_state()
    InquiryFactory(email=address("open-inquiry"), status=Status.WAITING)
    InquiryFactory(email=address("open-inquiry").upper())  # one person, spelt twice
    InquiryFactory(email=address("closed-inquiry"), status=Status.CLOSED,
                   closed_at="2026-11-01T10:00:00Z")
    privacy_request("open-privacy-request")
    privacy_request("done-privacy-request", status=PrivacyRequest.Status.COMPLETED)
    # Stopped all communication, then wrote to us: only replies to that reach them.
    stopped(Person.objects.create(email=address("asked-after-stopping")))
    InquiryFactory(email=address("asked-after-stopping"))
    deactivated(Person.objects.create(email=address("deactivated-with-inquiry")))
    InquiryFactory(email=address("deactivated-with-inquiry"))
    Person.objects.create(email=address("asked-after-newsletter-stop"), newsletter_opt_out=True)
    InquiryFactory(email=address("asked-after-newsletter-stop"))


def test_an_announcement_reaches_clients_and_open_requests_and_nobody_who_stopped(
        announcement, staff_user, run_tasks, smtp_server):
    people_in_every_state()
    mailing = staff_mailing_send(item=announcement, user=staff_user)
    run_tasks()

    assert sorted(message["To"] for message in smtp_server.messages) == sorted(
        address(state) for state in REACHED)
    mailing.refresh_from_db()
    progress = mailing_progress(mailing)
    assert (progress.finished, progress.sent, progress.suppressed) == (True, 5, 0)

    message = smtp_server.messages[0]
    assert message["Subject"] == "Planned maintenance on Sunday"
    assert message.get_content_type() == "multipart/alternative"
    assert message["List-Unsubscribe"] is None
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("Our order desk is closed on **Sunday 6 December**")
    assert ("To stop all communication from us, tell us at "
            "http://127.0.0.1:8000/privacy/requests/") in text
    assert "unsubscribe" not in text.lower()
    assert "<strong>Sunday 6 December</strong>" in html
    assert 'href="http://127.0.0.1:8000/privacy/requests/"' in html
    assert_nothing_tracks(text, html)


def test_a_stop_after_the_mails_were_written_still_stops_the_mail(
        announcement, staff_user, run_tasks, smtp_server):
    from communications.mailings import mailing_prepare

    clients_in_every_state()
    mailing = staff_mailing_send(item=announcement, user=staff_user)
    mailing_prepare(mailing_id=mailing.pk)
    stopped(Person.objects.get(email=address("client")))
    run_tasks()
    assert [message["To"] for message in smtp_server.messages] == [
        address("client-no-newsletter")]
    progress = mailing_progress(mailing)
    assert (progress.sent, progress.suppressed) == (1, 1)
