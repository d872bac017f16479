"""Staff write surveys and contests, preview them, read the results, export them (a
permission, each export recorded) and draw a contest's winners (P7, P12)."""

from typing import override

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from privacy.admin.policy import CollectedSubmissionAdminMixin
from privacy.models import StaffAccess
from privacy.services.people import staff_access_record
from roochi_site.admin import ObjectActionsAdminMixin, PersonalDataAdminMixin, object_action
from roochi_site.masking import masked_email, masked_name
from roochi_site.spreadsheet import csv_response
from roochi_site.svg_chart import WIDTH as CHART_WIDTH
from roochi_site.svg_chart import bar_chart
from surveys import views
from surveys.forms import DrawForm
from surveys.models import Answer, Entry, Question, Survey
from surveys.services import (
    contest_draw,
    entries_per_day,
    survey_export_csv,
    survey_results,
    winners_drawn,
)

# Room above each question's bars for its text.
CHART_HEADING = 28


class QuestionInline(admin.StackedInline):
    # Stacked, not tabular: a table's inputs have a column heading but no label of
    # their own, and no room for the choices' help text.
    model = Question
    extra = 1
    fields = ["position", "kind", "text", "required", "choices"]

    def has_change_permission(self, request, obj=None):
        # Answers are counted by the words of their choice: once people have answered,
        # the questions stay as they were.
        return super().has_change_permission(request, obj) and not (
            obj is not None and obj.entries.exists())

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


class SurveyForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        self.instance_check(cleaned_data)
        return cleaned_data

    def instance_check(self, data) -> None:
        """The database's constraints, said next to the fields staff can change."""
        if data.get("kind") == "contest":
            if not data.get("winners"):
                self.add_error("winners", "A contest has at least one winner.")
            if data.get("email") != "required":
                self.add_error("email", "A contest must ask for an email address (required): "
                               "one entry per person is checked by it, and winners are "
                               "told by mail.")
            if not data.get("rules"):
                self.add_error("rules", "A contest needs its rules.")
        elif data.get("winners"):
            self.add_error("winners", "Only a contest has winners.")
        if data.get("intermediary") and data.get("email") != "required":
            self.add_error("email", "With an intermediary, ask for an email address "
                           "(required): each sharing is recorded for the person (P10).")
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The closing date is before the opening date.")


@admin.register(Survey)
class SurveyAdmin(ObjectActionsAdminMixin, admin.ModelAdmin):
    form = SurveyForm
    list_display = ["title", "kind", "opens_on", "closes_on", "entry_count", "links"]
    list_filter = ["kind", "opens_on"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuestionInline]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "introduction", "use_of_answers",
                           "opens_on", "closes_on"]}),
        ("Contact details it asks for", {"fields": ["name", "email", "shipping_address",
                                                    "zip_code"]}),
        ("A contest", {"fields": ["rules", "winners"]}),
        ("Shared with an outside party", {"fields": ["intermediary"]}),
        ("The draw", {"fields": ["draw_record"]}),
    ]
    readonly_fields = ["draw_record"]
    object_actions = ["draw"]
    change_form_template = "admin/surveys/survey/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entries_counted=Count("entries"))

    @admin.display(description="entries", ordering="entries_counted")
    def entry_count(self, survey):
        return survey.entries_counted

    @admin.display(description="pages")
    def links(self, survey):
        return format_html('<a href="{}">Preview</a> · <a href="{}">Results</a>',
                           reverse("admin:surveys_survey_preview", args=[survey.pk]),
                           reverse("admin:surveys_survey_results", args=[survey.pk]))

    @admin.display(description="draw")
    def draw_record(self, survey):
        draw = getattr(survey, "draw", None)
        if draw is None:
            return "Not drawn."
        repeated = winners_drawn(seed=draw.seed, eligible_entry_ids=draw.eligible_entry_ids,
                                 count=len(draw.winner_entry_ids))
        return format_html(
            "Drawn by {} on {}, seed <code>{}</code>, among the entries {}. Winners: "
            "entries {}. Drawn again from this record: {}.",
            draw.drawn_by, timezone.localtime(draw.drawn_at).strftime("%d %B %Y, %H:%M"),
            draw.seed, ", ".join(map(str, draw.eligible_entry_ids)),
            ", ".join(map(str, draw.winner_entry_ids)),
            "the same winners" if repeated == draw.winner_entry_ids else "DIFFERENT winners")

    # --- The draw (asks first: it cannot be undone, and it mails the winners) ---

    def has_draw_permission(self, request, obj=None):
        return request.user.has_perm("surveys.draw_survey")

    def get_object_actions(self, request, survey):
        actions = super().get_object_actions(request, survey)
        if not survey.is_contest or hasattr(survey, "draw"):
            return [name for name in actions if name != "draw"]
        return actions

    @object_action(form=DrawForm, title="Draw the winners", submit="Yes, draw the winners",
                   confirm=True, permissions=("draw",),
                   description="Picks the contest's winners at random among its entries "
                   "(people who were deactivated are left out), records the seed, who drew "
                   "and when, so that anyone can repeat the draw, and mails each winner. "
                   "It cannot be undone.")
    def draw(self, request, survey, form):
        draw = contest_draw(survey=survey, by=request.user)
        return f"Drawn: entries {', '.join(map(str, draw.winner_entry_ids))} won; " \
               "each winner is being told by mail."

    # --- Preview, results, export ---

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("<int:pk>/preview/", view(self.preview_view), name="surveys_survey_preview"),
            path("<int:pk>/results/", view(self.results_view), name="surveys_survey_results"),
            path("<int:pk>/results/chart.svg", view(self.chart_view),
                 name="surveys_survey_chart"),
            path("<int:pk>/export/", view(self.export_view), name="surveys_survey_export"),
            *super().get_urls(),
        ]

    def viewable_survey(self, request: HttpRequest, pk: int) -> Survey:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(Survey.objects.select_related("intermediary"), pk=pk)

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("surveys.export_survey")

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The survey as a visitor will see it, open or not: never cached, staff only."""
        return views.survey_page(request, self.viewable_survey(request, pk), preview=True)

    def results_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        survey = self.viewable_survey(request, pk)
        if not request.user.has_perm("surveys.view_entry"):
            raise PermissionDenied
        # The text answers are what people typed (P7).
        staff_access_record(user=request.user, action=StaffAccess.Action.VIEW,
                            what=f"results of survey {survey.pk}")
        days, results = entries_per_day(survey), survey_results(survey)
        return TemplateResponse(request, "admin/surveys/survey/results.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": f"Results: {survey.title}", "survey": survey, "results": results,
            "has_counts": any(result.counts for result in results), "days": days,
            "total": sum(count for _, count in days),
            "can_export": self.has_export_permission(request)})

    def chart_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The counts of every choice and rating question, one bar chart under the
        other, as one image: its numbers are in the page's tables."""
        survey = self.viewable_survey(request, pk)
        charts, top = [], 0
        for result in survey_results(survey):
            if result.counts:
                chart = bar_chart(result.counts)
                charts.append({"question": result.question, "chart": chart, "top": top})
                top += CHART_HEADING + chart.height
        return TemplateResponse(request, "admin/surveys/survey/chart.svg",
                                {"charts": charts, "height": max(top, CHART_HEADING),
                                 "width": CHART_WIDTH, "heading": CHART_HEADING},
                                content_type="image/svg+xml; charset=utf-8")

    def export_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The entries as CSV (posted, since each export is recorded)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        survey = self.viewable_survey(request, pk)
        if not (self.has_export_permission(request)
                and request.user.has_perm("surveys.view_entry")):
            raise PermissionDenied
        response = csv_response(f"{survey.slug}-{timezone.localtime():%Y-%m-%d-%H%M}.csv")
        survey_export_csv(survey=survey, exported_by=request.user, stream=response)
        return response

    @override
    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        context["survey"] = obj
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["question", "value"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Entry)
class EntryAdmin(PersonalDataAdminMixin, CollectedSubmissionAdminMixin, admin.ModelAdmin):
    """Entries come from the public form only; staff read them (a winner's address to
    send the prize) and may delete one (spam)."""

    list_display = ["pk", "survey", "person", "email_shown", "received", "won"]
    list_filter = ["survey", "won"]
    inlines = [AnswerInline]
    fields = ["survey", "name", "email", "shipping_address", "zip_code",
              "share_with_intermediary", "disclosure", "won", "winner_mail"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("survey", "policy_version")

    def staff_access_what(self, entry):
        return f"survey entry {entry.pk}"

    @admin.display(description="name")
    def person(self, entry):
        return masked_name(entry.name)

    @admin.display(description="email")
    def email_shown(self, entry):
        return masked_email(entry.email)

    @admin.display(description="received", ordering="collected_at")
    def received(self, entry):
        return timezone.localtime(entry.collected_at).strftime("%d %b %Y %H:%M")
