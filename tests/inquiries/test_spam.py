"""Spam rules without cookies or third parties: honeypot, time to fill in, a limit per
client address and hour (only a keyed hash of the address, only for the hour), links."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from communications.models import OutboundMail
from inquiries.models import Inquiry
from roochi_site.models import SubmissionCount
from roochi_site.submission_limit import client_key
from tests.database import traces
from tests.inquiries.conftest import shown_seconds_ago, valid_post

pytestmark = pytest.mark.django_db

URL = "/information-request/"


def test_a_bot_that_fills_the_honeypot_gets_nothing_stored(browser_client):
    response = browser_client.post(URL, valid_post(website="http://cheap.example"))
    assert response.status_code == 400
    assert "We could not accept this form" in response.text
    assert not Inquiry.objects.exists()
    assert not OutboundMail.objects.exists()
    assert not SubmissionCount.objects.exists()


def test_a_form_sent_too_fast_is_explained_and_kept_and_goes_through_next_time(
    browser_client, settings
):
    settings.FORM_MIN_FILL_SECONDS = 3
    response = browser_client.post(URL, valid_post(form_token=shown_seconds_ago(1)))
    assert "quicker than we expected" in response.text
    assert 'value="Pérez Imports"' in response.text
    assert not Inquiry.objects.exists()
    # The page shown again carries a fresh token: sent after a pause, it is accepted.
    retry = valid_post(form_token=shown_seconds_ago(4))
    assert browser_client.post(URL, retry).status_code == 302
    assert Inquiry.objects.count() == 1


def test_more_than_the_hourly_limit_from_one_address_is_refused_with_input_kept(
    browser_client, settings
):
    settings.INQUIRY_LIMIT_PER_HOUR = 2
    for _ in range(2):
        assert browser_client.post(URL, valid_post()).status_code == 302
    refused = browser_client.post(URL, valid_post(message="A third question"))
    assert refused.status_code == 400
    assert "several requests from your connection" in refused.text
    assert "A third question</textarea>" in refused.text
    assert Inquiry.objects.count() == 2
    # Another address is not affected.
    other = browser_client.post(URL, valid_post(), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_the_limit_keeps_no_address_only_a_keyed_hash_for_the_hour(browser_client, settings):
    assert browser_client.post(URL, valid_post(), REMOTE_ADDR="203.0.113.9").status_code == 302
    # P4: the address is in no column of any table, the inquiry's included.
    assert traces("203.0.113.9") == []
    [count] = SubmissionCount.objects.all()
    assert (count.count, count.hour.minute, count.hour.second) == (1, 0, 0)
    # What is kept is bound to the hour: the same address gives another key in the
    # next one, so a count cannot be followed from hour to hour.
    def key(hour):
        return client_key(scope="inquiries", client_address="203.0.113.9", hour=hour)

    next_hour = key(count.hour + timedelta(hours=1))
    assert count.client_key == key(count.hour)
    assert next_hour != count.client_key
    # And keyed by the secret key: under another key the same address in the same
    # hour is counted apart, so nobody without the key can test addresses against it.
    settings.SECRET_KEY = "another secret key, " * 3
    assert browser_client.post(URL, valid_post(message="Again"),
                               REMOTE_ADDR="203.0.113.9").status_code == 302
    assert sorted(SubmissionCount.objects.values_list("count", flat=True)) == [1, 1]


def test_counts_of_past_hours_are_deleted_by_the_hourly_purge(browser_client):
    SubmissionCount.objects.create(scope="inquiries", client_key="0" * 64,
                                   hour="2026-01-01T10:00Z", count=3)
    browser_client.post(URL, valid_post())
    call_command("purge_inquiries", stdout=StringIO())
    assert SubmissionCount.objects.filter(client_key="0" * 64).count() == 0
    assert SubmissionCount.objects.count() == 1


def test_a_post_over_the_limit_writes_nothing_but_its_count(browser_client, settings):
    settings.INQUIRY_LIMIT_PER_HOUR = 1
    assert browser_client.post(URL, valid_post()).status_code == 302
    before = {model: model.objects.count() for model in [Inquiry, OutboundMail, DBTaskResult]}
    for _ in range(3):
        assert browser_client.post(URL, valid_post()).status_code == 400
    assert {model: model.objects.count() for model in before} == before
    [count] = SubmissionCount.objects.all()
    assert count.count == 4


def test_a_message_with_too_many_links_is_explained(browser_client, settings):
    settings.INQUIRY_MAX_LINKS = 3
    links = " ".join(f"https://example.com/{n}" for n in range(4))
    response = browser_client.post(URL, valid_post(message=f"See {links}"))
    assert response.context["form"].errors["message"] == [
        "Please include no more than 3 links in your message."]
    assert not Inquiry.objects.exists()
    three = " ".join(f"www.example.com/{n}" for n in range(3))
    assert browser_client.post(URL, valid_post(message=three)).status_code == 302
