"""Two entries from one address at the same moment make one (the database decides);
the cached public pages follow staff changes and the calendar."""

import threading
import time
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from privacy.policy import current_version
from surveys.models import Entry, Survey
from surveys.services import entry_submit
from tests.surveys.conftest import SurveyFactory, answers, contest


@pytest.mark.usefixtures("committed_db")
def test_an_entry_racing_an_uncommitted_one_from_the_same_address_is_not_stored():
    survey = contest()
    inserted, answered = threading.Event(), []

    def first_entry_held_open():
        try:
            with transaction.atomic():
                entry_submit(survey=survey, name="Ana", email="ana@example.com",
                             shipping_address="", zip_code="", answers={},
                             share_with_intermediary=False, policy_version=current_version(),
                             client_address="192.0.2.1")
                inserted.set()
                # The second post arrives while this entry is not committed yet: no
                # read could see it; only the unique index makes the second one wait.
                time.sleep(1)
        finally:
            connection.close()

    def second_post():
        inserted.wait(5)
        try:
            answered.append(Client(headers={"Sec-Fetch-Site": "same-origin"}).post(
                survey.get_absolute_url(), answers(survey, email="ANA@example.com")))
        finally:
            connection.close()

    threads = [threading.Thread(target=first_entry_held_open), threading.Thread(target=second_post)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert [response.status_code for response in answered] == [302]
    assert Entry.objects.count() == 1


@pytest.mark.django_db
def test_the_cached_list_shows_a_new_survey_and_hides_it_the_day_after_it_closed():
    client = Client()
    assert "There is no survey" in client.get("/surveys/").text
    today = timezone.localdate()
    survey = SurveyFactory(title="Tell us", opens_on=today, closes_on=today)
    # A change by any path (here the ORM) bumps the content generation (migration 0001).
    assert "Tell us" in client.get("/surveys/").text
    assert client.get(survey.get_absolute_url()).status_code == 200
    Survey.objects.filter(pk=survey.pk).update(title="Tell us more")
    assert "Tell us more" in client.get("/surveys/").text
    tomorrow = timezone.make_aware(datetime.combine(today + timedelta(days=1),
                                                    datetime.min.time())) + timedelta(minutes=1)
    with time_machine.travel(tomorrow, tick=False):
        assert "There is no survey" in client.get("/surveys/").text
        assert "closed at the end of" in client.get(survey.get_absolute_url()).text
