"""A visitor takes part (P12): voluntary and said so, bound to the policy version, one
entry per person, shared with an intermediary only on an explicit choice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.models import Disclosure, Person
from privacy.policy import current_version
from surveys.models import Answer, Entry, Question
from tests.surveys.conftest import (
    SurveyFactory,
    answers,
    contest,
    survey_with_every_question,
    with_intermediary,
)

pytestmark = pytest.mark.django_db


def test_the_page_says_taking_part_is_voluntary_and_what_the_answers_are_for(browser_client):
    survey = survey_with_every_question()
    page = browser_client.get(survey.get_absolute_url()).text
    assert "Taking part is voluntary." in page
    assert "Monitoring or improving the use and satisfaction of this site." in page
    assert "How we use what you send" in page  # the point-of-collection notice
    assert f'name="policy_version_shown" value="{current_version().number}"' in page
    assert not browser_client.cookies


def test_an_entry_is_stored_with_its_answers_and_the_policy_version(browser_client):
    survey = survey_with_every_question()
    response = browser_client.post(survey.get_absolute_url(), answers(survey))
    assert response.status_code == 302
    assert response["Location"] == f"/surveys/{survey.slug}/thank-you/"
    entry = Entry.objects.get()
    assert entry.policy_version == current_version()
    assert entry.purpose == "survey"
    assert sorted(Answer.objects.values_list("value", flat=True)) == sorted(
        ["A friend", "More pictures of the rice, please.", "Weekly", "Rice", "Tea", "4"])
    assert not response.cookies
    assert browser_client.get(response["Location"]).status_code == 200


def test_a_contest_takes_one_entry_per_person_in_any_spelling(browser_client):
    survey = contest()
    first = browser_client.post(survey.get_absolute_url(), answers(survey))
    again = browser_client.post(survey.get_absolute_url(), answers(
        survey, email="  ana.perez@EXAMPLE.com "))
    # The same answer both times: the page tells nobody who took part.
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Entry.objects.get().email == "ana.perez@example.com"
    other = browser_client.post(survey.get_absolute_url(), answers(survey, email="bo@example.com"))
    assert other.status_code == 302
    assert Entry.objects.count() == 2


def test_without_the_choice_nothing_is_shared_and_the_entry_still_counts(browser_client):
    survey = with_intermediary()
    page = browser_client.get(survey.get_absolute_url()).text
    # The separate choice names the intermediary, and is not ticked.
    assert "Share my entry with Survey Partners Ltd" in page
    assert 'name="share_with_intermediary"' in page
    assert "checked" not in page.split('name="share_with_intermediary"')[1].split(">")[0]
    response = browser_client.post(survey.get_absolute_url(), answers(survey))
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert not entry.share_with_intermediary
    assert entry.disclosure is None
    assert not Disclosure.objects.exists()


def test_with_the_choice_the_sharing_is_recorded_as_a_disclosure(browser_client):
    survey = with_intermediary()
    browser_client.post(survey.get_absolute_url(), answers(survey, share_with_intermediary="on"))
    entry = Entry.objects.get()
    assert entry.share_with_intermediary
    disclosure = Disclosure.objects.get()
    assert entry.disclosure == disclosure
    assert disclosure.recipient == survey.intermediary
    assert disclosure.person == Person.objects.get(email="ana.perez@example.com")
    assert disclosure.legal_basis == "consent"
    assert survey.title in disclosure.purpose


def test_the_choice_is_ignored_where_no_intermediary_is_named(browser_client):
    survey = contest()
    browser_client.post(survey.get_absolute_url(), answers(survey, share_with_intermediary="on"))
    assert not Entry.objects.get().share_with_intermediary
    assert not Disclosure.objects.exists()


def test_a_closed_survey_says_so_and_stores_nothing(browser_client):
    survey = survey_with_every_question()
    data = answers(survey)
    survey.closes_on = timezone.localdate() - timedelta(days=1)
    survey.opens_on = survey.closes_on - timedelta(days=3)
    survey.save()
    page = browser_client.get(survey.get_absolute_url())
    assert page.status_code == 200
    assert "closed at the end of" in page.text
    sent = browser_client.post(survey.get_absolute_url(), data)
    assert sent.status_code == 400
    assert "was not stored" in sent.text
    assert not Entry.objects.exists()


def test_an_unknown_survey_or_one_not_yet_open_is_not_found(browser_client):
    later = SurveyFactory(opens_on=timezone.localdate() + timedelta(days=1),
                          closes_on=timezone.localdate() + timedelta(days=5))
    assert browser_client.get("/surveys/no-such-survey/").status_code == 404
    assert browser_client.get(later.get_absolute_url()).status_code == 404
    assert browser_client.post(later.get_absolute_url(), {}).status_code == 404
    assert later.title not in browser_client.get("/surveys/").text


def test_the_list_shows_open_surveys_and_says_so_when_there_is_none(browser_client):
    assert "There is no survey or contest open at the moment." in browser_client.get(
        "/surveys/").text
    survey = SurveyFactory()
    SurveyFactory(title="Last year's", opens_on=timezone.localdate() - timedelta(days=30),
                  closes_on=timezone.localdate() - timedelta(days=20))
    page = browser_client.get("/surveys/").text
    assert survey.title in page
    assert "Last year" not in page
    assert 'href="/surveys/"' in page  # the footer links to it


def test_a_required_answer_missing_is_said_next_to_it_and_nothing_is_stored(browser_client):
    survey = survey_with_every_question()
    rating = survey.questions.get(kind=Question.Kind.RATING).field_name
    response = browser_client.post(survey.get_absolute_url(), answers(survey, **{rating: None}))
    assert response.status_code == 400
    assert response.context["form"].errors[rating]
    assert "More pictures of the rice" in response.text  # what was typed is kept
    assert not Entry.objects.exists()


def test_the_honeypot_and_the_hourly_limit_apply(browser_client, settings):
    survey = survey_with_every_question()
    trapped = browser_client.post(survey.get_absolute_url(), answers(survey, website="x"))
    assert trapped.status_code == 400
    settings.SURVEY_ENTRY_LIMIT_PER_HOUR = 1
    assert browser_client.post(survey.get_absolute_url(), answers(survey)).status_code == 302
    over = browser_client.post(survey.get_absolute_url(), answers(survey))
    assert over.status_code == 400
    assert "several requests from your connection" in over.text
    assert Entry.objects.count() == 1


def test_a_token_of_another_survey_is_refused(browser_client):
    one, other = survey_with_every_question(), survey_with_every_question()
    data = answers(one)
    data["form_token"] = answers(other)["form_token"]
    assert browser_client.post(one.get_absolute_url(), data).status_code == 400
    assert not Entry.objects.exists()


def test_a_second_entry_from_the_address_discloses_nothing(browser_client):
    survey = with_intermediary()
    browser_client.post(survey.get_absolute_url(), answers(survey))
    again = browser_client.post(survey.get_absolute_url(),
                                answers(survey, share_with_intermediary="on"))
    assert again.status_code == 302
    assert not Entry.objects.get().share_with_intermediary
    assert not Disclosure.objects.exists()
