"""The mail rule as a table (P5, P6, P8): every category of mail against every state a
person can be in, through a real delivery attempt. Change any cell of the rule and
this fails."""

from datetime import timedelta

import pytest
from django.core import mail as outbox
from django.utils import timezone

from communications.models import OutboundMail
from communications.services import mail_deliver, mail_queue
from privacy import registry
from privacy.models import OptOutChannel, Person
from privacy.policy import current_version
from privacy.services.newsletter import (
    newsletter_signup_start,
    newsletter_subscribers,
    newsletter_unsubscribe,
)
from privacy.services.people import person_for_email
from tests.privacy.newsletter.conftest import subscribe

pytestmark = pytest.mark.django_db

ANA = "ana@example.com"
SENT, SUPPRESSED = OutboundMail.Status.SENT, OutboundMail.Status.SUPPRESSED
Category = OutboundMail.Category

# Columns: a reply to a request made before the person's stop, a reply to one made
# after it, then each other category. Rows: the person's state; "subscribed" is a
# confirmed double opt-in, and every row from "unsubscribed" on was subscribed first.
COLUMNS = ["reply to an earlier request", "reply to a later request",
           Category.PRIVACY_REQUEST, Category.STAFF_NOTICE, Category.SERVICE,
           Category.NEWSLETTER, Category.POLICY_CHANGE]
TABLE = {
    "no record":      [SENT, SENT, SENT, SENT, SENT, SUPPRESSED, SENT],
    "active":         [SENT, SENT, SENT, SENT, SENT, SUPPRESSED, SENT],
    "signed up, not confirmed": [SENT, SENT, SENT, SENT, SENT, SUPPRESSED, SENT],
    "subscribed":     [SENT, SENT, SENT, SENT, SENT, SENT, SENT],
    "unsubscribed":   [SENT, SENT, SENT, SENT, SENT, SUPPRESSED, SENT],
    "newsletter off": [SENT, SENT, SENT, SENT, SENT, SUPPRESSED, SENT],
    "stopped all":    [SUPPRESSED, SENT, SENT, SENT, SUPPRESSED, SUPPRESSED, SUPPRESSED],
    "deactivated":    [SUPPRESSED, SENT, SENT, SENT, SUPPRESSED, SUPPRESSED, SUPPRESSED],
    "erased":         [SUPPRESSED, SENT, SENT, SENT, SUPPRESSED, SUPPRESSED, SUPPRESSED],
    # Their own new confirmation after a stop: the newsletter they asked for, nothing else.
    "stopped all, then subscribed":
                      [SUPPRESSED, SENT, SENT, SENT, SUPPRESSED, SENT, SUPPRESSED],
    "deactivated, then subscribed":
                      [SUPPRESSED, SENT, SENT, SENT, SUPPRESSED, SENT, SUPPRESSED],
    "erased, then subscribed":
                      [SUPPRESSED, SENT, SENT, SENT, SUPPRESSED, SENT, SUPPRESSED],
}


def put_in_state(state: str) -> None:
    if state == "no record":
        return
    if state == "signed up, not confirmed":
        newsletter_signup_start(email=ANA, source="newsletter-signup", wording="Yes",
                                policy_version=current_version())
        return
    person = person_for_email(email=ANA)
    if state == "active":
        return
    subscribe(ANA)
    stop = state.removesuffix(", then subscribed")
    if stop == "unsubscribed":
        newsletter_unsubscribe(email=ANA, channel=OptOutChannel.LINK)
    person.refresh_from_db()
    if stop == "newsletter off":
        # As the flag stands after an erasure: the subscription's rows are gone with it.
        person.newsletter_opt_out = True
    elif stop == "stopped all":
        person.communication_opt_out_set(True)
    person.save()
    if stop == "deactivated":
        registry.deactivate_person(ANA)
    elif stop == "erased":
        registry.erase_person(ANA)
    if state.endswith(", then subscribed"):
        subscribe(ANA)


@pytest.fixture(autouse=True)
def local_outbox(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.mark.parametrize("state", TABLE)
@pytest.mark.parametrize("column", COLUMNS)
def test_the_mail_rule_table(state, column):
    before = timezone.now() - timedelta(hours=1)
    put_in_state(state)
    after = timezone.now() + timedelta(seconds=1)
    category, answers = {
        "reply to an earlier request": (Category.REPLY, before),
        "reply to a later request": (Category.REPLY, after),
    }.get(column, (column, None))
    mail = mail_queue(to=ANA, subject="Hello", template_name="communications/mail/footer.txt",
                      context={}, category=category, purpose="test",
                      answers_request_of=answers)
    outbox.outbox.clear()
    delivered = mail_deliver(mail_id=mail.pk)
    expected = TABLE[state][COLUMNS.index(column)]
    assert delivered.status == expected
    assert len(outbox.outbox) == (1 if expected == SENT else 0)


@pytest.mark.parametrize("state", TABLE)
def test_the_newsletter_audience_is_the_rule_as_a_query(state):
    put_in_state(state)
    newsletter_allowed = TABLE[state][COLUMNS.index(Category.NEWSLETTER)] == SENT
    assert list(newsletter_subscribers()) == ([ANA] if newsletter_allowed else [])


def test_the_rule_reads_the_state_at_delivery_not_at_queueing(settings):
    mail = mail_queue(to=ANA, subject="News", template_name="communications/mail/footer.txt",
                      context={}, category=Category.SERVICE, purpose="test")
    put_in_state("stopped all")
    assert mail_deliver(mail_id=mail.pk).status == SUPPRESSED


@pytest.mark.parametrize("spelling", ['"Ana"@Example.com', "ana@exam\u00adple.com",
                                      " ANA@example.com"])
def test_a_stop_holds_for_every_spelling_of_the_address(spelling):
    put_in_state("stopped all")
    mail = mail_queue(to=spelling, subject="News",
                      template_name="communications/mail/footer.txt", context={},
                      category=Category.NEWSLETTER, purpose="test")
    assert mail.to == ANA
    assert mail_deliver(mail_id=mail.pk).status == SUPPRESSED
    assert Person.objects.for_email(spelling).get().communication_opt_out
