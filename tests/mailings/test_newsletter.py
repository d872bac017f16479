"""A newsletter issue reaches the confirmed subscribers the mail rule allows, and
nobody else; every mail ends, in both parts, with a signed one-click unsubscribe link
and carries List-Unsubscribe (the link and a mailto:) and List-Unsubscribe-Post
(RFC 8058), through a real SMTP conversation."""

import re

import pytest
from django.test import Client

from communications.mailings import mailing_prepare, mailing_progress
from mailings.models import NewsletterIssue
from mailings.services import staff_mailing_send
from privacy.models import OptOutChannel
from privacy.services.newsletter import newsletter_unsubscribe
from tests.communications.test_mail_content import assert_nothing_tracks
from tests.privacy.people_states import (
    address,
    clients_in_every_state,
    subscribers_in_every_state,
)

pytestmark = pytest.mark.usefixtures("committed_db")

UNSUBSCRIBE = re.compile(r"http://127\.0\.0\.1:8000(/newsletter/unsubscribe/[^/\s]+/)")


@pytest.fixture
def issue(staff_user) -> NewsletterIssue:
    return NewsletterIssue.objects.create(
        subject="Olive oil season", created_by=staff_user,
        body="The new harvest is in. [Prices](http://127.0.0.1:8000/prices/)")


def test_an_issue_reaches_confirmed_subscribers_only_each_with_a_one_click_unsubscribe(
        issue, staff_user, run_tasks, smtp_server):
    clients_in_every_state()
    subscribers_in_every_state()
    run_tasks()  # the sign-ups' confirmation mails
    smtp_server.messages.clear()

    mailing = staff_mailing_send(item=issue, user=staff_user)
    run_tasks()
    assert sorted(message["To"] for message in smtp_server.messages) == sorted(
        [address("subscriber"), address("client-subscriber")])
    mailing.refresh_from_db()
    progress = mailing_progress(mailing)
    assert (progress.finished, progress.sent, progress.suppressed) == (True, 2, 0)

    for message in smtp_server.messages:
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        [path] = UNSUBSCRIBE.findall(text)
        link = f"http://127.0.0.1:8000{path}"
        assert text.index("The new harvest") < text.index(
            f"Unsubscribe with one click: {link}")
        assert html.index("The new harvest") < html.index(f'href="{link}"')
        assert message["List-Unsubscribe"] == (
            f"<{link}>, <mailto:support@roochi.com?subject=unsubscribe>")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert_nothing_tracks(text, html)
        assert Client().get(path).status_code == 200


def test_an_unsubscribe_after_the_mails_were_written_still_stops_the_mail(
        issue, staff_user, run_tasks, smtp_server):
    subscribers_in_every_state()
    run_tasks()
    smtp_server.messages.clear()
    mailing = staff_mailing_send(item=issue, user=staff_user)
    mailing_prepare(mailing_id=mailing.pk)
    newsletter_unsubscribe(email=address("subscriber"), channel=OptOutChannel.REPLY)
    run_tasks()
    assert [message["To"] for message in smtp_server.messages] == [address("client-subscriber")]
    assert mailing_progress(mailing).suppressed == 1


def test_staff_preview_and_test_carry_the_unsubscribe_headers(issue, staff_client):
    preview = staff_client.get(f"/admin/mailings/newsletterissue/{issue.pk}/preview/")
    assert "List-Unsubscribe-Post" in preview.text
    assert "/newsletter/unsubscribe/" in preview.text
    staff_client.post(f"/admin/mailings/newsletterissue/{issue.pk}/act/test/")
    from communications.models import OutboundMail

    test = OutboundMail.objects.get(purpose="newsletter-test")
    assert test.category == OutboundMail.Category.STAFF_NOTICE
    assert test.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
