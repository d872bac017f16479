"""The staff's statistics page: a report in place of the admin's list of counts, for
staff with the permission to view them (sitestats.view_count), and its CSV export."""

import csv
from datetime import date
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from roochi_site.admin import ReadOnlyAdmin
from roochi_site.spreadsheet import csv_response, spreadsheet_safe
from roochi_site.svg_chart import HEIGHT as CHART_HEIGHT
from roochi_site.svg_chart import WIDTH as CHART_WIDTH
from roochi_site.svg_chart import line_chart
from sitestats.forms import DateRangeForm
from sitestats.models import Count
from sitestats.reports import export_rows, report_build


def range_query(start: date, end: date) -> str:
    return urlencode({"start": start.isoformat(), "end": end.isoformat()})


def form_errors_response(form: DateRangeForm) -> HttpResponse:
    return HttpResponse("; ".join(error for errors in form.errors.values() for error in errors),
                        status=400, content_type="text/plain; charset=utf-8")


@admin.register(Count)
class CountAdmin(ReadOnlyAdmin):
    """Counts are written by the site, never by hand: view only."""

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [path("export/", view(self.export_view), name="sitestats_count_export"),
                path("chart.svg", view(self.chart_view), name="sitestats_count_chart"),
                *super().get_urls()]

    def date_range(self, request: HttpRequest) -> DateRangeForm:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return DateRangeForm.from_query(request.GET)

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        form = self.date_range(request)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": "Visit statistics", "form": form}
        if form.is_valid():
            report = report_build(form.cleaned_data["start"], form.cleaned_data["end"])
            context.update(report=report, chart_size=(CHART_WIDTH, CHART_HEIGHT),
                           range_query=range_query(report.start, report.end))
        status = 200 if form.is_valid() else 400
        return TemplateResponse(request, "sitestats/admin/report.html", context, status=status)

    def chart_view(self, request: HttpRequest) -> HttpResponse:
        """The chart as an image of its own: its numbers are in the page's table, and
        an image's text is not mistaken for the page's (the accessibility gate)."""
        form = self.date_range(request)
        if not form.is_valid():
            return form_errors_response(form)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        days = report_build(start, end).days
        chart = line_chart([(day.day.strftime("%b %d"), day.day.isoformat()) for day in days], [
            ("Page views", [day.views for day in days], False),
            ("Unique visitors", [day.visitors for day in days], True)])
        title = ("Page views (solid line, round marks) and unique visitors (dashed line, "
                 f"square marks) per day, {start.isoformat()} to {end.isoformat()}")
        return TemplateResponse(request, "admin/line_chart.svg",
                                {"chart": chart, "title": title},
                                content_type="image/svg+xml; charset=utf-8")

    def export_view(self, request: HttpRequest) -> HttpResponse:
        form = self.date_range(request)
        if not form.is_valid():
            return form_errors_response(form)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        response = csv_response(f"visit-statistics-{start.isoformat()}-{end.isoformat()}.csv")
        writer = csv.writer(response)
        writer.writerow(["day (UTC)", "hour (UTC)", "what", "value", "count"])
        for day, hour, kind, value, count in export_rows(start, end):
            writer.writerow([day.isoformat(), "" if hour is None else hour,
                             Count.Kind(kind).label, spreadsheet_safe(value), count])
        return response
