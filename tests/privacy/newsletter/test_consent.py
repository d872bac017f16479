"""The newsletter's consent as services (P3, P6): double opt-in, the subscribers the
mailing reaches, every kind of stop, the unsubscribe link and headers."""

from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from communications.models import OutboundMail
from privacy.models import NewsletterSource, NewsletterSubscription, OptOut, OptOutChannel, Person
from privacy.policy import current_version
from privacy.registry import readable_copy
from privacy.services.copies import person_copy
from privacy.services.newsletter import (
    newsletter_list_headers,
    newsletter_signup_start,
    newsletter_signups_purge_expired,
    newsletter_subscribers,
    newsletter_unsubscribe,
    newsletter_unsubscribe_address,
    newsletter_unsubscribe_url,
)
from tests.privacy.newsletter.conftest import (
    WORDING,
    confirm_path,
    confirm_press,
    confirmation_mails,
    subscribe,
)

pytestmark = pytest.mark.django_db

ANA = "ana@example.com"
Status = NewsletterSubscription.Status


def signup(email: str = ANA, source: str = "newsletter-signup") -> None:
    newsletter_signup_start(email=email, source=source, wording=WORDING,
                            policy_version=current_version())


def test_a_sign_up_is_pending_until_the_button_behind_its_link_is_pressed(client):
    signup('"Ana"@Example.com')
    [pending] = NewsletterSubscription.objects.all()
    assert (pending.email, pending.status, pending.person) == (ANA, Status.PENDING, None)
    assert (pending.source, pending.wording, pending.purpose) == (
        "newsletter-signup", WORDING, "newsletter")
    assert pending.policy_version == current_version()
    assert not Person.objects.exists()  # anyone may have typed the address
    assert list(newsletter_subscribers()) == []

    path = confirm_path(ANA)
    assert client.get(path).status_code == 200  # a mail scanner follows the link
    assert NewsletterSubscription.objects.get().status == Status.PENDING

    assert confirm_press(client, path).status_code == 200
    confirmed = NewsletterSubscription.objects.get()
    assert confirmed.status == Status.CONFIRMED
    assert confirmed.person == Person.objects.for_email(ANA).get()
    assert confirmed.confirmed_at is not None
    assert confirmed.token_digest == ""
    assert list(newsletter_subscribers()) == [ANA]
    assert confirm_press(client, path).status_code == 404  # the link works once


def test_the_confirmation_mail_is_a_reply_to_the_sign_up_and_quotes_the_words_shown():
    signup()
    [mail] = confirmation_mails(ANA)
    assert mail.category == OutboundMail.Category.REPLY
    assert mail.answers_request_of == NewsletterSubscription.objects.get().collected_at
    assert WORDING in mail.body


def test_a_sign_up_needs_the_words_shown_and_a_known_form():
    with pytest.raises(ValueError, match="words"):
        newsletter_signup_start(email=ANA, source="newsletter-signup", wording=" ",
                                policy_version=current_version())
    with pytest.raises(ValueError, match="a-form-we-do-not-have"):
        signup(source="a-form-we-do-not-have")
    assert not NewsletterSubscription.objects.exists()
    assert not OutboundMail.objects.exists()


def test_one_confirmation_per_address_per_window_however_often_it_is_typed(settings):
    settings.NEWSLETTER_CONFIRMATION_WINDOW_HOURS = 48
    for spelling in [ANA, "ANA@example.com", '"ana"@example.com', "ana@exam\u00adple.com"] * 5:
        signup(spelling)
    assert len(confirmation_mails(ANA)) == 1
    assert NewsletterSubscription.objects.count() == 1

    NewsletterSubscription.objects.update(
        collected_at=timezone.now() - timedelta(hours=49),
        confirm_by=timezone.now() - timedelta(hours=1))
    signup()
    assert len(confirmation_mails(ANA)) == 1  # the expired one went with its mail
    assert NewsletterSubscription.objects.get().confirm_by > timezone.now()


def test_a_used_link_ends_the_window_and_confirming_again_records_the_newer_consent():
    subscribe(ANA)
    first = NewsletterSubscription.objects.get()
    newsletter_signup_start(email=ANA, source="support-request", wording="Other words",
                            policy_version=current_version())
    assert confirm_press(Client(), confirm_path(ANA)).status_code == 200
    first.refresh_from_db()
    assert first.status == Status.ENDED
    current = NewsletterSubscription.objects.confirmed().get()
    assert (current.source, current.wording) == ("support-request", "Other words")
    assert list(newsletter_subscribers()) == [ANA]


def test_expired_sign_ups_are_purged_with_their_mail_and_confirmed_ones_stay(settings):
    subscribe("bob@example.com")
    signup(ANA)
    signup("carla@example.com")
    NewsletterSubscription.objects.filter(email=ANA).update(
        confirm_by=timezone.now() - timedelta(seconds=1))
    assert newsletter_signups_purge_expired(dry_run=True) == {
        "communications.OutboundMail": 1, "privacy.NewsletterSubscription": 1}
    assert NewsletterSubscription.objects.count() == 3
    assert newsletter_signups_purge_expired() == {
        "communications.OutboundMail": 1, "privacy.NewsletterSubscription": 1}
    assert set(NewsletterSubscription.objects.values_list("email", flat=True)) == {
        "bob@example.com", "carla@example.com"}
    assert not OutboundMail.objects.filter(to=ANA).exists()


def test_a_sign_up_purges_its_own_expired_one_and_the_hourly_job_the_others(settings):
    signup("bob@example.com")
    signup(ANA)
    NewsletterSubscription.objects.update(confirm_by=timezone.now() - timedelta(seconds=1))
    signup(ANA)  # its expired sign-up would hold its place: one pending an address
    assert NewsletterSubscription.objects.filter(email=ANA).count() == 1
    assert NewsletterSubscription.objects.expired().get().email == "bob@example.com"
    assert {"command": "purge_newsletter_signups", "every": 3600} in settings.SCHEDULED_JOBS
    newsletter_signups_purge_expired()
    assert list(NewsletterSubscription.objects.values_list("email", flat=True)) == [ANA]


@pytest.mark.parametrize("channel", [OptOutChannel.LINK, OptOutChannel.ONE_CLICK,
                                     OptOutChannel.REPLY, OptOutChannel.PRIVACY_REQUEST])
def test_unsubscribing_ends_the_subscription_in_any_spelling_and_is_recorded(channel):
    subscribe(ANA)
    newsletter_unsubscribe(email=" ANA@Example.com", channel=channel)
    assert list(newsletter_subscribers()) == []
    subscription = NewsletterSubscription.objects.get()
    assert subscription.status == Status.ENDED
    assert subscription.ended_at is not None
    [opt_out] = OptOut.objects.all()
    assert (opt_out.scope, opt_out.channel, opt_out.recorded_by) == (
        OptOut.Scope.NEWSLETTER, channel, None)
    assert Person.objects.for_email(ANA).get().newsletter_opt_out


def test_an_unsubscribe_without_a_subscription_is_kept_for_later_mailings():
    newsletter_unsubscribe(email="Dora@Example.com", channel=OptOutChannel.REPLY)
    person = Person.objects.for_email("dora@example.com").get()
    assert person.newsletter_opt_out
    assert person.opt_outs.get().channel == OptOutChannel.REPLY
    # A sign-up typed by someone else afterwards changes nothing until she confirms.
    signup("dora@example.com")
    assert list(newsletter_subscribers()) == []


def test_confirming_after_an_opt_out_subscribes_again():
    subscribe(ANA)
    newsletter_unsubscribe(email=ANA, channel=OptOutChannel.LINK)
    subscribe(ANA)
    assert list(newsletter_subscribers()) == [ANA]
    assert not Person.objects.for_email(ANA).get().newsletter_opt_out
    assert NewsletterSubscription.objects.filter(status=Status.ENDED).count() == 1


def test_an_opt_out_by_email_or_phone_names_who_recorded_it(django_user_model):
    with pytest.raises(ValueError, match="staff member"):
        newsletter_unsubscribe(email=ANA, channel=OptOutChannel.PHONE)
    with pytest.raises(ValueError, match="carrier-pigeon"):
        newsletter_unsubscribe(email=ANA, channel="carrier-pigeon")
    assert not OptOut.objects.exists()
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    newsletter_unsubscribe(email=ANA, channel=OptOutChannel.PHONE, recorded_by=clerk,
                           note="Called ext. 118")
    assert OptOut.objects.get().recorded_by == clerk


def test_the_unsubscribe_link_is_absolute_signed_and_bound_to_address_and_purpose(settings):
    url = newsletter_unsubscribe_url('"Ana"@Example.com')
    assert url.startswith(settings.SITE_URL + "/newsletter/unsubscribe/")
    token = urlsplit(url).path.split("/")[-2]
    assert newsletter_unsubscribe_address(token) == ANA
    assert newsletter_unsubscribe_address(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    # Another signed value of the site, or the same address signed for another purpose,
    # is no unsubscribe link.
    assert newsletter_unsubscribe_address(signing.dumps(ANA)) is None
    assert newsletter_unsubscribe_address(signing.dumps(ANA, salt="privacy.request-copy")) is None


def test_the_list_headers_follow_rfc_2369_and_rfc_8058(settings):
    settings.COMPANY_SUPPORT_EMAIL = "support@roochi.com"
    headers = newsletter_list_headers(ANA)
    assert headers == {
        "List-Unsubscribe": f"<{newsletter_unsubscribe_url(ANA)}>, "
                            "<mailto:support@roochi.com?subject=unsubscribe>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def test_the_consent_and_the_opt_outs_are_in_the_persons_copy_in_plain_words():
    subscribe(ANA)
    newsletter_unsubscribe(email=ANA, channel=OptOutChannel.REPLY)
    sections = {section.title: section.records for section in readable_copy(ANA)}
    [consent] = sections["The newsletter you asked for"]
    shown = {item.label: item.value for item in consent}
    assert shown["The words you were shown"] == WORDING
    assert shown["Asked on"] == "The newsletter sign-up page"
    assert shown["Status"] == "Ended"
    assert shown["Collected under"].startswith("Privacy policy, version")
    [stop] = sections["When you told us to stop our mail"]
    assert {item.label: item.value for item in stop}["How you told us"] == (
        "A reply with “unsubscribe” in the subject")


def test_the_copy_says_whether_the_person_is_subscribed():
    assert person_copy(email=ANA)["choices"] == {}
    subscribe(ANA)
    assert person_copy(email=ANA)["choices"]["newsletter_subscribed"] is True
    newsletter_unsubscribe(email=ANA, channel=OptOutChannel.LINK)
    choices = person_copy(email=ANA)["choices"]
    assert (choices["newsletter_subscribed"], choices["no_newsletter"]) == (False, True)


def test_the_daily_command_purges_and_says_what_it_would_delete():
    signup()
    NewsletterSubscription.objects.update(confirm_by=timezone.now() - timedelta(seconds=1))
    out = StringIO()
    call_command("purge_newsletter_signups", "--dry-run", stdout=out)
    assert "Would erase expired unconfirmed newsletter sign-ups" in out.getvalue()
    assert "privacy.NewsletterSubscription: 1" in out.getvalue()
    assert NewsletterSubscription.objects.exists()
    call_command("purge_newsletter_signups", stdout=StringIO())
    assert not NewsletterSubscription.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committed_db")
def test_confirming_a_sign_up_by_mail_lifts_an_earlier_bounce(smtp_server, run_tasks):
    """An address that once bounced gets no newsletter; its owner signs up again and
    follows the link that reached it: the newsletter goes to it from then on."""
    from communications.models import UndeliverableAddress
    from communications.services import mail_queue

    def newsletter() -> OutboundMail:
        mail = mail_queue(to=ANA, subject="News", template_name="communications/mail/footer.txt",
                          context={}, category=OutboundMail.Category.NEWSLETTER, purpose="test")
        run_tasks()
        mail.refresh_from_db()
        return mail

    UndeliverableAddress.objects.create(email=ANA, marked_at=timezone.now() - timedelta(days=3),
                                        status_code="5.2.2")
    assert newsletter().status == OutboundMail.Status.UNDELIVERABLE
    newsletter_signup_start(email=ANA, source=NewsletterSource.NEWSLETTER_SIGNUP,
                            wording=WORDING, policy_version=current_version())
    run_tasks()
    assert [message["To"] for message in smtp_server.messages] == [ANA]  # the link
    assert UndeliverableAddress.objects.filter(email=ANA).exists()  # not yet followed
    assert confirm_press(Client(), confirm_path(ANA)).status_code == 200
    assert not UndeliverableAddress.objects.exists()
    assert newsletter().status == OutboundMail.Status.SENT
    assert smtp_server.messages[-1]["Subject"] == "News"
