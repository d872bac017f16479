"""Every kind of answer is checked on the server: whatever arrives (any text, NUL
bytes, huge values, a choice that was never offered), a clear error next to the
question or an accepted answer as it will be counted; never a 500, nothing half
stored."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from surveys.forms import LONG_TEXT_MAX, SHORT_TEXT_MAX
from surveys.models import RATING_SCALE, Answer, Entry, Question
from tests.surveys.conftest import answers, survey_with_every_question

pytestmark = pytest.mark.django_db

values = st.one_of(
    st.text(),
    st.text(min_size=1, max_size=3).map(lambda text: text * 3000),
    st.sampled_from(["", "0", "1", "5", "6", "-1", "4.5", "Weekly", "weekly", "Rice",
                     "Tea\x00", "\x00", "\u202e", "💥" * 100, " Daily "]),
)
SETTINGS = hypothesis_settings(max_examples=40, deadline=None,
                               suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def survey():
    return survey_with_every_question()


def sent(survey, kind: str, value):
    question = survey.questions.get(kind=kind)
    client = Client(headers={"Sec-Fetch-Site": "same-origin"})
    before = (Entry.objects.count(), Answer.objects.count())
    response = client.post(survey.get_absolute_url(),
                           answers(survey, **{question.field_name: value}))
    assert response.status_code in {302, 400, 413}
    assert response.cookies == {}
    if response.status_code != 302:
        assert (Entry.objects.count(), Answer.objects.count()) == before
        if response.status_code == 400:
            assert response.context["form"].errors[question.field_name]
        return question, None
    entry = Entry.objects.latest("pk")
    return question, sorted(entry.answers.filter(question=question).values_list("value",
                                                                                 flat=True))


@pytest.mark.parametrize(("kind", "most"), [(Question.Kind.SHORT_TEXT, SHORT_TEXT_MAX),
                                       (Question.Kind.LONG_TEXT, LONG_TEXT_MAX)])
@SETTINGS
@given(value=values)
def test_a_text_answer_is_kept_clean_and_within_its_length(settings, survey, kind, most,
                                                           value):
    settings.SURVEY_ENTRY_LIMIT_PER_HOUR = 10_000
    _, stored = sent(survey, kind, value)
    if stored:
        [text] = stored
        assert len(text) <= most
        assert "\x00" not in text
        assert "\u202e" not in text
        assert text == text.strip()


@SETTINGS
@given(value=values)
def test_one_choice_is_one_of_those_offered(settings, survey, value):
    settings.SURVEY_ENTRY_LIMIT_PER_HOUR = 10_000
    question, stored = sent(survey, Question.Kind.ONE_CHOICE, value)
    if stored is not None:
        assert len(stored) <= 1
        assert set(stored) <= set(question.choice_list())


@SETTINGS
@given(value=st.lists(st.one_of(values, st.sampled_from(["Rice", "Tea"])), max_size=5))
@example(value=["Rice", "Rice"])
def test_several_choices_are_all_among_those_offered(settings, survey, value):
    settings.SURVEY_ENTRY_LIMIT_PER_HOUR = 10_000
    question, stored = sent(survey, Question.Kind.SEVERAL_CHOICES, value)
    if stored is not None:
        assert set(stored) <= set(question.choice_list())
        assert len(stored) == len(set(stored))  # a choice sent twice counts once


@SETTINGS
@given(value=values)
def test_a_rating_is_a_whole_number_from_one_to_five(settings, survey, value):
    settings.SURVEY_ENTRY_LIMIT_PER_HOUR = 10_000
    _, stored = sent(survey, Question.Kind.RATING, value)
    if stored is not None:
        [rating] = stored  # required: an entry always has it
        assert int(rating) in RATING_SCALE


@pytest.mark.parametrize("kind", Question.Kind.values)
def test_an_answer_never_offered_is_refused_with_a_clear_message(survey, kind):
    never = {"short-text": "x" * (SHORT_TEXT_MAX + 1), "long-text": "x" * (LONG_TEXT_MAX + 1),
             "one-choice": "Hourly", "several-choices": ["Rice", "Coal"], "rating": "6"}[kind]
    question, stored = sent(survey, kind, never)
    assert stored is None
    client = Client(headers={"Sec-Fetch-Site": "same-origin"})
    response = client.post(survey.get_absolute_url(), answers(
        survey, **{question.field_name: never}))
    [message] = response.context["form"].errors[question.field_name]
    assert "Select a valid choice" in message or "at most" in message
