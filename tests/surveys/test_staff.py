"""Staff: a survey from creation to results, a contest from entries to a repeatable
draw, the export with its permission, each export and look recorded (P7)."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from communications.models import OutboundMail
from privacy.models import StaffAccess
from surveys.models import Draw, Entry, Question, Survey
from surveys.services import winners_drawn
from tests.inquiries.conftest import StaffFactory
from tests.staff import staff_sign_in
from tests.surveys.conftest import answers, contest, survey_with_every_question

pytestmark = pytest.mark.django_db


def staff_with(client, *codenames):
    user = StaffFactory(permissions=["view_inquiry"])
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="surveys",
                                                        codename__in=codenames))
    return staff_sign_in(client, user), user


def close(survey: Survey) -> None:
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=timezone.localdate() - timedelta(days=10),
        closes_on=timezone.localdate() - timedelta(days=1))
    survey.refresh_from_db()


def test_a_survey_from_creation_in_the_admin_to_its_results(client, browser_client):
    staff, _ = staff_with(client, "add_survey", "change_survey", "view_survey", "view_entry",
                          "add_question", "change_question")
    today = timezone.localdate()
    response = staff.post("/admin/surveys/survey/add/", {
        "kind": "survey", "title": "Your view of our site", "slug": "your-view",
        "introduction": "Five questions.", "use_of_answers": "Improving this site.",
        "opens_on": (today + timedelta(days=3)).isoformat(),
        "closes_on": (today + timedelta(days=10)).isoformat(),
        "name": "no", "email": "optional", "shipping_address": "no", "zip_code": "optional",
        "rules": "", "winners": "0", "intermediary": "",
        "questions-TOTAL_FORMS": "2", "questions-INITIAL_FORMS": "0",
        "questions-0-position": "1", "questions-0-kind": "one-choice",
        "questions-0-text": "How often do you visit?", "questions-0-choices": "Daily\nWeekly",
        "questions-1-position": "2", "questions-1-kind": "long-text",
        "questions-1-text": "What should we improve?", "questions-1-choices": "",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    survey = Survey.objects.get(slug="your-view")
    # Before it opens: a preview for staff, nothing for visitors.
    preview = staff.get(f"/admin/surveys/survey/{survey.pk}/preview/")
    assert preview.status_code == 200
    assert "Preview for staff" in preview.text
    assert "How often do you visit?" in preview.text
    assert browser_client.get("/surveys/your-view/").status_code == 404
    Survey.objects.filter(pk=survey.pk).update(opens_on=today)
    choice = survey.questions.get(kind=Question.Kind.ONE_CHOICE)
    text = survey.questions.get(kind=Question.Kind.LONG_TEXT)
    for visit, (often, improve) in enumerate([("Weekly", "Bigger type"), ("Weekly", ""),
                                              ("Daily", "A map")]):
        data = {**answers(survey), choice.field_name: often, text.field_name: improve,
                "zip_code": "", "email": f"v{visit}@example.com"}
        assert browser_client.post("/surveys/your-view/", data).status_code == 302
    results = staff.get(f"/admin/surveys/survey/{survey.pk}/results/")
    assert results.status_code == 200
    assert [(r.question.text, r.counts) for r in results.context["results"]] == [
        ("How often do you visit?", [("Daily", 1), ("Weekly", 2)]),
        ("What should we improve?", [])]
    assert results.context["results"][1].texts == ["Bigger type", "A map"]
    assert results.context["days"] == [(today, 3)]
    assert StaffAccess.objects.filter(what=f"results of survey {survey.pk}").exists()
    chart = staff.get(f"/admin/surveys/survey/{survey.pk}/results/chart.svg")
    assert chart["Content-Type"].startswith("image/svg+xml")
    assert b"<title>Weekly: 2</title>" in chart.content
    assert b"How often do you visit?" in chart.content
    assert b"What should we improve?" not in chart.content  # a text has no bars
    # Answered, the questions stay as they were.
    assert staff.get(f"/admin/surveys/survey/{survey.pk}/change/").context[
        "inline_admin_formsets"][0].has_change_permission is False


def test_the_admin_refuses_a_contest_without_winners_rules_or_a_required_email(client):
    staff, _ = staff_with(client, "add_survey", "view_survey")
    today = timezone.localdate().isoformat()
    response = staff.post("/admin/surveys/survey/add/", {
        "kind": "contest", "title": "Win a hamper", "slug": "hamper",
        "introduction": "Enter.", "use_of_answers": "The draw.", "opens_on": today,
        "closes_on": today, "name": "no", "email": "optional", "shipping_address": "no",
        "zip_code": "no", "rules": "", "winners": "0", "intermediary": "",
        "questions-TOTAL_FORMS": "0", "questions-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) >= {"winners", "email", "rules"}
    assert not Survey.objects.exists()


def test_the_export_needs_its_permission_is_posted_and_recorded(client, browser_client):
    survey = survey_with_every_question(zip_code="optional")
    short = survey.questions.get(kind=Question.Kind.SHORT_TEXT).field_name
    assert browser_client.post(survey.get_absolute_url(), answers(
        survey, zip_code="94607", **{short: "=1+2"})).status_code == 302
    staff, user = staff_with(client, "view_survey", "view_entry")
    export = f"/admin/surveys/survey/{survey.pk}/export/"
    assert staff.post(export).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="export_survey"))
    assert staff.get(export).status_code == 405
    response = staff.post(export)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["entry", "sent", "email", "zip_code"]
    assert rows[1][3] == "94607"
    assert rows[1][4] == "'=1+2"  # a formula is neutralised
    assert "Rice; Tea" in rows[1]
    record = StaffAccess.objects.get(action=StaffAccess.Action.EXPORT)
    assert record.user == user
    assert record.what == f"1 entries of survey {survey.pk} as CSV"


def test_a_contest_from_entries_to_a_repeatable_draw(committed_db, client, browser_client,
                                                      smtp_server,
                                                      run_tasks):
    survey = contest()
    for n in range(5):
        browser_client.post(survey.get_absolute_url(), answers(
            survey, email=f"entrant{n}@example.com", name=f"Entrant {n}"))
    assert Entry.objects.count() == 5
    staff, user = staff_with(client, "view_survey", "change_survey")
    act = f"/admin/surveys/survey/{survey.pk}/act/draw/"
    assert staff.post(act, {"confirm": "yes"}).status_code == 403  # needs its permission
    user.user_permissions.add(Permission.objects.get(codename="draw_survey"))
    # Still open: refused, nothing drawn.
    refused = staff.post(act, {"confirm": "yes"})
    assert "draw the winners once it has closed" in refused.text
    assert not Draw.objects.exists()
    close(survey)
    asked = staff.get(act)
    assert "It cannot be undone." in asked.text
    assert not Draw.objects.exists()
    assert staff.post(act, {"confirm": "yes"}).status_code == 302
    draw = Draw.objects.get()
    assert draw.drawn_by == user
    assert len(draw.winner_entry_ids) == 2
    assert draw.eligible_entry_ids == sorted(Entry.objects.values_list("pk", flat=True))
    # Anyone with the record gets the same winners, whatever order they list the ids in.
    assert winners_drawn(seed=draw.seed, eligible_entry_ids=draw.eligible_entry_ids[::-1],
                         count=2) == draw.winner_entry_ids
    assert set(Entry.objects.filter(won=True).values_list("pk", flat=True)) == set(
        draw.winner_entry_ids)
    run_tasks()
    told = {message["To"] for message in smtp_server.messages}
    assert told == set(Entry.objects.filter(won=True).values_list("email", flat=True))
    assert OutboundMail.objects.filter(purpose="contest-winner").count() == 2
    # Once only.
    assert "were drawn already" in staff.post(act, {"confirm": "yes"}).text
    assert Draw.objects.count() == 1
    page = staff.get(f"/admin/surveys/survey/{survey.pk}/change/").text
    assert "the same winners" in page


def test_a_draw_with_a_given_seed_is_the_same_on_any_machine():
    # Python's random.Random(seed).sample is fixed for a string seed: these ids are
    # the answer of every Python 3 since 3.2, so a draw can be checked anywhere.
    assert winners_drawn(seed="roochi", eligible_entry_ids=list(range(1, 11)), count=3) == \
        winners_drawn(seed="roochi", eligible_entry_ids=list(range(10, 0, -1)), count=3)
    assert winners_drawn(seed="roochi", eligible_entry_ids=[4, 8], count=5) in ([4, 8], [8, 4])
