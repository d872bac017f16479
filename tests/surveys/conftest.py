"""Factories and helpers for the survey tests."""

import time
from datetime import timedelta

import factory
from django.utils import timezone

from privacy.policy import current_version
from roochi_site.csrf import form_token_new
from surveys.models import Asked, Kind, Question, Survey
from tests.privacy.requests.factories import RecipientFactory


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"How do you like our site? ({n})")
    slug = factory.Sequence(lambda n: f"site-survey-{n}")
    introduction = "Tell us what you think of our site."
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=6))


def survey_with_every_question(**kwargs) -> Survey:
    survey = SurveyFactory(**kwargs)
    for position, (kind, text, choices) in enumerate([
        (Question.Kind.SHORT_TEXT, "What brought you here?", ""),
        (Question.Kind.LONG_TEXT, "What should we improve?", ""),
        (Question.Kind.ONE_CHOICE, "How often do you visit?", "Daily\nWeekly\nRarely"),
        (Question.Kind.SEVERAL_CHOICES, "What do you trade?", "Rice\nOlive oil\nTea"),
        (Question.Kind.RATING, "How easy is the site to use?", ""),
    ]):
        Question.objects.create(survey=survey, position=position, kind=kind, text=text,
                                choices=choices, required=kind == Question.Kind.RATING)
    return survey


def contest(**kwargs) -> Survey:
    return survey_with_every_question(**{
        "kind": Kind.CONTEST, "winners": 2, "email": Asked.REQUIRED, "name": Asked.REQUIRED,
        "shipping_address": Asked.OPTIONAL, "zip_code": Asked.OPTIONAL,
        "rules": "One entry per person. Two winners.", **kwargs})


def with_intermediary(**kwargs) -> Survey:
    return contest(intermediary=RecipientFactory(name="Survey Partners Ltd",
                                                 kind="service_provider"), **kwargs)


def answers(survey: Survey, **changes) -> dict:
    """A valid post of the survey's form, shown a minute ago."""
    typical = {Question.Kind.SHORT_TEXT: "A friend",
               Question.Kind.LONG_TEXT: "More pictures of the rice, please.",
               Question.Kind.ONE_CHOICE: "Weekly",
               Question.Kind.SEVERAL_CHOICES: ["Rice", "Tea"],
               Question.Kind.RATING: "4"}
    data = {
        **{q.field_name: typical[q.kind] for q in survey.questions.all()},
        "form_token": form_token_new(f"EntryForm:{survey.pk}", issued_at=time.time() - 60),
        "policy_version_shown": current_version().number,
    }
    for name in survey.asked():
        data[name] = {"name": "Ana Pérez", "email": "Ana.Perez@Example.com",
                      "shipping_address": "12 Harbour Road\nOakland", "zip_code": "94607"}[name]
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
