"""The link in every newsletter (P1, P6): a page with two buttons, and RFC 8058's
one-click POST from a mail program that sends no browser headers; a tampered link
changes nothing."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from communications.models import OutboundMail
from communications.services import mail_queue
from privacy.models import NewsletterSubscription, OptOut, OptOutChannel, Person
from privacy.services.newsletter import (
    newsletter_list_headers,
    newsletter_subscribers,
    newsletter_unsubscribe_url,
)
from tests.privacy.newsletter.conftest import subscribe

ANA, BOB = "ana@example.com", "bob@example.com"


def unsubscribe_path(address: str) -> str:
    return urlsplit(newsletter_unsubscribe_url(address)).path


@pytest.fixture
def mail_program():
    """What a mail program's one-click POST carries: no cookie, no Origin, no Fetch
    Metadata, no form token."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.django_db
def test_opening_the_link_shows_two_buttons_and_changes_nothing(client):
    subscribe(ANA)
    response = client.get(unsubscribe_path(ANA))
    assert response.status_code == 200
    assert response.cookies == {}
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    html = response.text
    assert ANA in html
    assert 'name="scope" value="newsletter"' in html
    assert 'name="scope" value="all"' in html
    assert "<script" not in html
    assert list(newsletter_subscribers()) == [ANA]
    assert not OptOut.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("scope", "says", "all_stopped"), [
    ("newsletter", "no more newsletters", False),
    ("all", "no more mail", True),
])
def test_each_button_stops_what_it_says(browser_client, scope, says, all_stopped):
    subscribe(ANA)
    response = browser_client.post(unsubscribe_path(ANA), {"scope": scope})
    assert response.status_code == 200
    assert response.cookies == {}
    assert says in response.text
    person = Person.objects.for_email(ANA).get()
    assert person.newsletter_opt_out
    assert person.communication_opt_out == all_stopped
    assert (person.communication_opt_out_at is not None) == all_stopped
    opt_out = person.opt_outs.get()
    assert (opt_out.scope, opt_out.channel) == (scope, OptOutChannel.LINK)
    assert list(newsletter_subscribers()) == []


@pytest.mark.django_db
def test_a_post_with_no_choice_asks_for_one_and_changes_nothing(browser_client):
    subscribe(ANA)
    response = browser_client.post(unsubscribe_path(ANA), {"scope": "everything"})
    assert response.status_code == 400
    assert "Choose one of the two buttons" in response.text
    assert list(newsletter_subscribers()) == [ANA]


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_one_click_post_without_browser_headers_stops_only_that_subscription(
        mail_program, encoding):
    subscribe(ANA)
    subscribe(BOB)
    path = unsubscribe_path(ANA)
    if encoding == "urlencoded":
        response = mail_program.post(path, "List-Unsubscribe=One-Click",
                                     content_type="application/x-www-form-urlencoded")
    else:  # RFC 8058's own example
        response = mail_program.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert response.cookies == {}
    assert list(newsletter_subscribers()) == [BOB]
    ana = Person.objects.for_email(ANA).get()
    assert ana.newsletter_opt_out
    assert not ana.communication_opt_out  # one click stops the newsletter, nothing more
    assert ana.status == Person.Status.ACTIVE
    assert ana.opt_outs.get().channel == OptOutChannel.ONE_CLICK
    assert NewsletterSubscription.objects.get(email=BOB).status == "confirmed"


@pytest.mark.django_db
def test_only_the_unsubscribe_link_takes_posts_without_browser_headers(mail_program):
    response = mail_program.post("/newsletter/", {"email": ANA})
    assert response.status_code == 403
    assert not NewsletterSubscription.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("alter", [
    lambda path: path.replace("/unsubscribe/", "/unsubscribe/x"),
    lambda path: path[:-6] + "/",
    lambda path: path.rstrip("/")[:-1] + ("A" if path.rstrip("/")[-1] != "A" else "B") + "/",
    lambda path: "/newsletter/unsubscribe/%00%ff:bad/",
])
def test_a_tampered_link_is_a_clear_404_and_changes_nothing(mail_program, alter):
    subscribe(ANA)
    for response in [mail_program.get(alter(unsubscribe_path(ANA))),
                     mail_program.post(alter(unsubscribe_path(ANA)),
                                       {"List-Unsubscribe": "One-Click"})]:
        assert response.status_code == 404
        assert response.cookies == {}
        assert "This link does not work" in response.text
    assert list(newsletter_subscribers()) == [ANA]
    assert not OptOut.objects.exists()


@pytest.mark.usefixtures("committed_db")
def test_a_delivered_newsletter_carries_the_headers_and_its_one_click_works(
        smtp_server, run_tasks, mail_program):
    subscribe(ANA)
    mail_queue(to=ANA, subject="Roochi news", template_name="communications/mail/footer.txt",
               context={}, category=OutboundMail.Category.NEWSLETTER, purpose="test",
               headers=newsletter_list_headers(ANA))
    run_tasks()
    [message] = [m for m in smtp_server.messages if m["Subject"] == "Roochi news"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link, mailto = [part.strip(" <>") for part in message["List-Unsubscribe"].split(",")]
    assert mailto == "mailto:support@roochi.com?subject=unsubscribe"
    response = mail_program.post(urlsplit(link).path, "List-Unsubscribe=One-Click",
                                 content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert list(newsletter_subscribers()) == []
