"""The public side: the list of open surveys and contests, each one's form, and the
thank-you page. No cookie, no session (P1); one entry per person is the database's
to check, never a cookie's."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from roochi_site.page_cache import public_page_cache
from roochi_site.submission_limit import SubmissionLimitReachedError, client_address
from surveys.forms import EntryForm
from surveys.models import Survey
from surveys.services import SurveyClosedError, entry_submit


@public_page_cache  # the same for everyone; the date is part of the key (surveys/apps.py)
def survey_list(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/list.html", {
        "surveys": Survey.objects.open_now().select_related("intermediary")})


def survey_announced(slug: str) -> Survey:
    """Open or closed; one that has not opened yet is unknown to visitors."""
    return get_object_or_404(Survey.objects.announced().select_related("intermediary"),
                             slug=slug)


def survey_page(request: HttpRequest, survey: Survey, form: EntryForm | None = None, *,
                status: int = 200, preview: bool = False) -> HttpResponse:
    if form is None:
        form = EntryForm(survey=survey, questions=list(survey.questions.all()))
    return render(request, "surveys/survey.html", {
        "survey": survey, "form": form, "preview": preview}, status=status)


@public_page_cache  # the empty form, the same for everyone but its token
def survey_form(request: HttpRequest, slug: str) -> HttpResponse:
    survey = survey_announced(slug)
    if not survey.is_open:
        # A closed survey says so, to a GET and a POST alike; a POST is not accepted.
        return render(request, "surveys/closed.html", {"survey": survey},
                      status=200 if request.method in {"GET", "HEAD"} else 400)
    if request.method != "POST":
        return survey_page(request, survey)
    form = EntryForm(request.POST, survey=survey, questions=list(survey.questions.all()))
    if form.is_valid():
        try:
            entry_submit(**form.submission(), client_address=client_address(request))
        except SubmissionLimitReachedError:
            form.refuse_over_limit()
        except SurveyClosedError:
            return render(request, "surveys/closed.html", {"survey": survey}, status=400)
        else:
            # The same page whether this address had entered before or not: it tells
            # nobody who took part.
            return redirect(reverse("surveys:thanks", args=[survey.slug]))
    return survey_page(request, survey, form, status=400)


@public_page_cache
def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "surveys/thanks.html", {"survey": survey_announced(slug)})
