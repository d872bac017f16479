"""Entries in the person's copy in plain words, and purged in time; winners kept
longer; the draw still repeatable once their data is gone."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from communications.models import OutboundMail
from privacy import registry
from privacy.policy import current_version
from surveys.models import Answer, Draw, Entry, Question, Survey
from surveys.services import contest_draw, entry_submit, winners_drawn
from tests.surveys.conftest import contest, survey_with_every_question, with_intermediary

pytestmark = pytest.mark.django_db


def enter(survey: Survey, email: str, **kwargs) -> Entry:
    text = survey.questions.get(kind=Question.Kind.LONG_TEXT)
    return entry_submit(**{
        "survey": survey, "name": "Ana Pérez", "email": email, "shipping_address": "",
        "zip_code": "94607", "answers": {text: ["The search is slow."]},
        "share_with_intermediary": False, "policy_version": current_version(),
        "client_address": "192.0.2.1", **kwargs})


def closed_days_ago(survey: Survey, days: int) -> None:
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=timezone.localdate() - timedelta(days=days + 5),
        closes_on=timezone.localdate() - timedelta(days=days))
    survey.refresh_from_db()


def test_an_entry_is_in_the_persons_copy_in_plain_words():
    survey = with_intermediary(title="Win a hamper")
    enter(survey, "Ana@Example.com", share_with_intermediary=True)
    sections = {section.title: section for section in registry.readable_copy("ana@example.com")}
    [entry] = sections["Your entries in our surveys and contests"].records
    shown = {item.label: item.value for item in entry}
    assert shown["Survey or contest"] == "Win a hamper"
    assert shown["Zip code"] == "94607"
    assert shown["You agreed to share it with the party named on the form"] == "Yes"
    assert shown["Collected under"] == f"Privacy policy, version {current_version().number}"
    [answer] = sections["Your answers to our surveys and contests"].records
    assert {item.label: item.value for item in answer} == {
        "Question": "What should we improve?", "Your answer": "The search is slow."}


def test_entries_are_purged_a_set_time_after_the_survey_closed(settings):
    settings.SURVEY_ENTRIES_KEPT_DAYS = 30
    survey = survey_with_every_question(email="optional")
    enter(survey, "ana@example.com")
    recent = survey_with_every_question(email="optional")
    enter(recent, "bo@example.com")
    closed_days_ago(survey, 31)
    closed_days_ago(recent, 29)
    call_command("purge_survey_entries", "--dry-run")
    assert Entry.objects.count() == 2
    call_command("purge_survey_entries")
    assert list(Entry.objects.values_list("email", flat=True)) == ["bo@example.com"]
    assert Answer.objects.filter(entry__survey=survey).count() == 0
    assert Answer.objects.filter(entry__survey=recent).count() == 1


def test_winners_are_kept_longer_and_the_draw_stays_repeatable_without_them(settings):
    settings.SURVEY_ENTRIES_KEPT_DAYS = 30
    settings.CONTEST_WINNERS_KEPT_DAYS = 365
    survey = contest(winners=1)
    for n in range(4):
        enter(survey, f"entrant{n}@example.com")
    closed_days_ago(survey, 1)
    draw = contest_draw(survey=survey, by=get_user_model().objects.create_user(
        "drawer", is_staff=True))
    [winner_id] = draw.winner_entry_ids
    closed_days_ago(survey, 31)
    call_command("purge_survey_entries")
    assert list(Entry.objects.values_list("pk", flat=True)) == [winner_id]
    assert OutboundMail.objects.filter(purpose="contest-winner").exists()
    closed_days_ago(survey, 366)
    call_command("purge_survey_entries")
    assert not Entry.objects.exists()
    assert not OutboundMail.objects.filter(purpose="contest-winner").exists()
    draw = Draw.objects.get()
    assert winners_drawn(seed=draw.seed, eligible_entry_ids=draw.eligible_entry_ids,
                         count=1) == [winner_id]
