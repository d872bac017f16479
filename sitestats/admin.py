"""The staff's statistics page: a report in place of the admin's list of counts, for
staff with the permission to view them (sitestats.view_count), and its CSV export."""

import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from roochi_site.spreadsheet import csv_response, spreadsheet_safe
from sitestats.chart import daily_chart
from sitestats.forms import DateRangeForm
from sitestats.models import Count
from sitestats.reports import export_rows, report_build


@admin.register(Count)
class CountAdmin(admin.ModelAdmin):
    """Counts are written by the site, never by hand: view only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [path("export/", export, name="sitestats_count_export"), *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = DateRangeForm.from_query(request.GET)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": "Visit statistics", "form": form}
        if form.is_valid():
            report = report_build(form.cleaned_data["start"], form.cleaned_data["end"])
            days = [day.day for day in report.days]
            context.update(report=report, export_query=request.GET.urlencode() or
                           f"start={report.start.isoformat()}&end={report.end.isoformat()}",
                           chart=daily_chart(days, [
                               ("Page views", [day.views for day in report.days], False),
                               ("Unique visitors", [day.visitors for day in report.days], True),
                           ]))
        status = 200 if form.is_valid() else 400
        return TemplateResponse(request, "sitestats/admin/report.html", context, status=status)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = DateRangeForm.from_query(request.GET)
        if not form.is_valid():
            return HttpResponse("; ".join(
                error for errors in form.errors.values() for error in errors),
                status=400, content_type="text/plain; charset=utf-8")
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        response = csv_response(f"visit-statistics-{start.isoformat()}-{end.isoformat()}.csv")
        writer = csv.writer(response)
        writer.writerow(["day (UTC)", "hour (UTC)", "what", "value", "count"])
        for day, hour, kind, value, count in export_rows(start, end):
            writer.writerow([day.isoformat(), "" if hour is None else hour,
                             Count.Kind(kind).label, spreadsheet_safe(value), count])
        return response
