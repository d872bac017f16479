"""Staff write an announcement, preview it as the mail, send a test to themselves, and
send it once, after a confirmation; then it is read-only and shows its figures."""

import pytest

from communications.mailings import mailing_prepare
from communications.models import Mailing, OutboundMail
from mailings.models import ServiceAnnouncement
from tests.mailings.conftest import MAINTENANCE
from tests.privacy.people_states import clients_in_every_state

pytestmark = pytest.mark.django_db

ADMIN = "/admin/mailings/serviceannouncement"


def test_staff_write_an_announcement_and_it_records_who(staff_client, staff_user):
    response = staff_client.post(f"{ADMIN}/add/", {"subject": "Planned maintenance",
                                                   "body": MAINTENANCE})
    assert response.status_code == 302
    assert ServiceAnnouncement.objects.get().created_by == staff_user


def test_an_image_in_the_text_is_refused_on_the_form(staff_client):
    response = staff_client.post(f"{ADMIN}/add/", {"subject": "Maintenance",
                                                   "body": "![x](/static/x.png)"})
    assert response.status_code == 200
    assert "no clear gifs" in response.text
    assert not ServiceAnnouncement.objects.exists()


def test_the_preview_shows_the_mail_as_it_goes(staff_client, announcement):
    response = staff_client.get(f"{ADMIN}/{announcement.pk}/preview/")
    assert response.status_code == 200
    assert "Planned maintenance on Sunday" in response.text
    assert "<strong>Sunday 6 December</strong>" in response.text
    assert "**Sunday 6 December**" in response.text
    assert "announcer@roochi.com" in response.text
    assert not OutboundMail.objects.exists()


def test_a_test_goes_to_the_staff_member_only_and_counts_for_nothing(
        staff_client, announcement):
    response = staff_client.post(f"{ADMIN}/{announcement.pk}/act/test/", follow=True)
    assert "A test is on its way to announcer@roochi.com." in response.text
    [mail] = OutboundMail.objects.all()
    assert (mail.to, mail.category, mail.mailing) == (
        "announcer@roochi.com", OutboundMail.Category.STAFF_NOTICE, None)
    assert mail.subject == "[Test] Planned maintenance on Sunday"
    announcement.refresh_from_db()
    assert not announcement.is_sent


def test_a_test_for_a_staff_member_without_an_address_says_so(
        staff_client, staff_user, announcement):
    staff_user.email = ""
    staff_user.save()
    response = staff_client.post(f"{ADMIN}/{announcement.pk}/act/test/")
    assert response.status_code == 200
    assert "Your staff account has no email address" in response.text
    assert not OutboundMail.objects.exists()


def test_sending_asks_first_then_sends_once(staff_client, staff_user, announcement):
    clients_in_every_state()
    send = f"{ADMIN}/{announcement.pk}/act/send/"
    asked = staff_client.get(send)
    assert asked.status_code == 200
    assert "cannot be changed or sent again" in asked.text
    assert staff_client.post(send).status_code == 200  # not from the confirmation page
    assert not Mailing.objects.exists()

    sent = staff_client.post(send, {"confirm": "yes"}, follow=True)
    assert "is being sent" in sent.text
    announcement.refresh_from_db()
    assert (announcement.is_sent, announcement.sent_by) == (True, staff_user)
    assert staff_client.post(send, {"confirm": "yes"}).status_code == 403
    assert Mailing.objects.count() == 1

    page = staff_client.get(f"{ADMIN}/{announcement.pk}/change/")
    assert "Preparing: 0 mails written so far" in page.text
    assert 'name="subject"' not in page.text  # read-only
    mailing_prepare(mailing_id=announcement.mailing_id)
    page = staff_client.get(f"{ADMIN}/{announcement.pk}/change/")
    assert "Sending: 0 of 2 done (0%)" in page.text
    assert '<progress max="2" value="0" aria-labelledby="mailing-figures">' in page.text
    assert "Refresh the figures" in page.text
    changed = staff_client.post(f"{ADMIN}/{announcement.pk}/change/",
                                {"subject": "Changed", "body": "Changed"})
    assert changed.status_code == 403
    announcement.refresh_from_db()
    assert announcement.subject == "Planned maintenance on Sunday"
