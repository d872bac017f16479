"""Staff handle inquiries here: find, read, reply, log calls, note, export (P5, P7)."""

from typing import override
from urllib.parse import urlencode

import phonenumbers
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html

from inquiries.dashboard import inquiry_quarter
from inquiries.forms import (
    CannedReplyChoiceForm,
    EmailReplyForm,
    HandlingForm,
    NoteForm,
    PhoneReplyForm,
)
from inquiries.models import CannedReply, Inquiry, InquiryExport, ReplyChannel, Status
from inquiries.services import (
    REFERENCE_PREFIX,
    ReplyAgainstPreferenceError,
    inquiry_add_note,
    inquiry_assign,
    inquiry_change_status,
    inquiry_export_csv,
    inquiry_log_phone_reply,
    inquiry_reply_by_email,
    inquiry_reply_preview,
)
from privacy import registry
from privacy.admin.policy import CollectedSubmissionAdminMixin
from privacy.services.mail_rule import contact_stopped_before
from roochi_site.admin import (
    EvidenceAdmin,
    ObjectActionsAdminMixin,
    PersonalDataAdminMixin,
    form_errors_add,
    list_moment,
    object_action,
)
from roochi_site.masking import masked_name, masked_phone
from roochi_site.spreadsheet import csv_response
from roochi_site.svg_chart import line_chart


class FirstReplyFilter(admin.SimpleListFilter):
    """The first-reply deadline, as the staff home page counts it."""

    title = "first reply"
    parameter_name = "first_reply"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("due-today", "Due today"),
                ("not-overdue", "Not overdue")]

    def queryset(self, request, queryset):
        match self.value():
            case "overdue":
                return queryset.overdue()
            case "due-today":
                return queryset.due_today()
            case "not-overdue":
                return queryset.not_overdue()
        return queryset


class CategoryFilter(admin.SimpleListFilter):
    """The product categories inquiries were sent about, by the name each had then;
    shown once there is one."""

    title = "product category"
    parameter_name = "category"

    def lookups(self, request, model_admin):
        names = (model_admin.get_queryset(request).exclude(category="")
                 .order_by("category").values_list("category", flat=True).distinct())
        return [(name, name) for name in names]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(category=self.value())
        return queryset


REPLY_CHANNELS = {"reply": ReplyChannel.EMAIL, "phone": ReplyChannel.PHONE}


@admin.register(Inquiry)
class InquiryAdmin(PersonalDataAdminMixin, ObjectActionsAdminMixin,
                   CollectedSubmissionAdminMixin, admin.ModelAdmin):
    # What staff scan the list by, the person masked (P7); the address is on the
    # inquiry's page. These fit a 1280-pixel screen beside the filters.
    list_display = ["reference", "purpose", "topic_shown", "person", "reply_channel", "status",
                    "assigned_to", "received", "due"]
    list_filter = ["purpose", "topic", CategoryFilter, "status", "assigned_to", FirstReplyFilter,
                   ("collected_at", admin.DateFieldListFilter)]
    search_fields = ["reference", "name", "email", "phone"]
    search_help_text = "Reference, name, email address or phone number"
    list_select_related = ["assigned_to"]
    ordering = ["-collected_at"]
    list_per_page = 50
    actions = ["assign_to_me", "close"]
    show_full_result_count = False
    fieldsets = [
        ("Request", {"fields": ["reference", "purpose", "topic", "category", "order_number",
                                 "message"]}),
        ("The person", {"fields": ["name", "email", "phone", "reply_by", "company"]}),
        ("Optional choices (P3)", {"fields": ["newsletter", "other_purposes"]}),
        ("Handling", {"fields": ["status", "assigned_to", "first_response_due",
                                 "first_responded_at", "closed_at"]}),
    ]
    # Nothing in the change form itself is editable: staff act through these, each a
    # service call that lands in the timeline.
    object_actions = ["reply", "phone", "note", "handling"]
    change_form_template = "admin/inquiries/inquiry/change_form.html"
    view_on_site = False
    change_list_template = "admin/inquiries/inquiry/change_list.html"

    @override
    def get_object(self, request, object_id, from_field=None):
        """Every page of an inquiry answers to its reference as to its id: the
        reference is what a staff notice links (written before the inquiry has an
        id) and what a person reads out on the phone."""
        if from_field is None and object_id.startswith(REFERENCE_PREFIX):
            return self.get_queryset(request).filter(reference=object_id).first()
        return super().get_object(request, object_id, from_field)

    class Media:
        css = {"all": ["inquiries/admin.css"]}

    # --- The list: personal data masked (P7), the deadline in view ------------

    @admin.display(description="topic", ordering="topic")
    def topic_shown(self, inquiry):
        return inquiry.topic_described

    @admin.display(description="name", ordering="name")
    def person(self, inquiry):
        return masked_name(inquiry.name)

    @admin.display(description="reply", ordering="reply_by")
    def reply_channel(self, inquiry):
        if inquiry.reply_by == ReplyChannel.PHONE:
            return f"Phone {masked_phone(inquiry.phone)}"
        return "Email"

    @admin.display(description="received", ordering="collected_at")
    def received(self, inquiry):
        return list_moment(inquiry.collected_at)

    @admin.display(description="first reply due", ordering="first_response_due")
    def due(self, inquiry):
        moment = list_moment(inquiry.first_response_due)
        if inquiry.is_overdue:
            return format_html('<strong class="inquiry-overdue">Overdue since {}</strong>',
                               moment)
        if inquiry.first_responded_at:
            return "Answered"
        return moment

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        # Staff type numbers as people say them; they are stored in E.164.
        try:
            number = phonenumbers.parse(search_term, "US")
        except phonenumbers.NumberParseException:
            return queryset, may_have_duplicates
        if not phonenumbers.is_valid_number(number):
            return queryset, may_have_duplicates
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return queryset | self.get_queryset(request).filter(phone=e164), may_have_duplicates

    @admin.action(description="Assign the selected inquiries to me",
                  permissions=["change"])
    def assign_to_me(self, request, queryset):
        for inquiry in queryset:
            inquiry_assign(inquiry=inquiry, assignee=request.user, by=request.user)
        messages.success(request, f"{len(queryset)} assigned to you.")

    @admin.action(description="Close the selected inquiries", permissions=["change"])
    def close(self, request, queryset):
        for inquiry in queryset:
            inquiry_change_status(inquiry=inquiry, status=Status.CLOSED, by=request.user)
        messages.success(request, f"{len(queryset)} closed.")

    # --- One inquiry: read-only details, timeline, and the staff's actions -------

    def get_readonly_fields(self, request, obj=None):
        # Everything shown is read-only: staff act through the forms below it.
        return [field for _, options in self.get_fieldsets(request, obj)
                for field in options["fields"]]

    def has_add_permission(self, request):
        return False  # inquiries come from the public forms only

    def get_queryset(self, request):
        # A deactivated person's inquiries leave every list and export (P6, P8).
        return registry.excluding_inactive(super().get_queryset(request)).select_related(
            "policy_version", "assigned_to", "acknowledgement"
        )

    def staff_access_what(self, inquiry):
        return f"inquiry {inquiry.reference}"

    @override
    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        if obj is not None:
            context.update({
                "inquiry": obj,
                # P6: they stopped all contact, then wrote again: staff answer this
                # request, and the mail rule lets nothing else through.
                "contact_stopped_at": contact_stopped_before(email=obj.email,
                                                             moment=obj.collected_at),
                "timeline": obj.events.select_related("author", "mail"),
                "canned_reply_choice": self.canned_reply_choice(request),
                # The deadline is shown, and counted, on the staff's clock (TIME_ZONE).
                "staff_time_zone": timezone.get_current_timezone_name(),
                "show_save": False,
                "show_save_and_continue": False,
                "show_save_and_add_another": False,
            })
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)

    @staticmethod
    def canned_reply_choice(request) -> CannedReplyChoiceForm | None:
        """The chooser, bound when staff chose one (a GET of the page), or None when
        there is nothing to choose from."""
        if "canned_reply" in request.GET:
            return CannedReplyChoiceForm(request.GET, auto_id="canned_%s")
        if CannedReply.objects.exists():
            return CannedReplyChoiceForm(auto_id="canned_%s")
        return None

    def reply_initial(self, request, inquiry) -> dict:
        """The reply box filled from the canned reply chosen, for this inquiry; the
        filled text lives only in the page until staff send it."""
        choice = self.canned_reply_choice(request)
        if choice is None or not choice.is_bound or not choice.is_valid():
            return {}
        return {"body": choice.cleaned_data["canned_reply"].filled_for(inquiry)}

    def get_object_action_form_kwargs(self, request, inquiry, name):
        if name in REPLY_CHANNELS:
            initial = {}
            if name == "phone":
                initial = {"called_at": timezone.localtime().replace(second=0, microsecond=0)}
            elif request.method == "GET":
                initial = self.reply_initial(request, inquiry)
            return {"against_preference": inquiry.reply_by != REPLY_CHANNELS[name],
                    "initial": initial}
        if name == "handling":
            return {"initial": {"status": inquiry.status,
                                "assigned_to": inquiry.assigned_to_id}}
        return {}

    def get_object_action_description(self, request, inquiry, name):
        # P5: the channel the person asked for, in view where staff reply another way.
        if name == "reply" and inquiry.reply_by != ReplyChannel.EMAIL:
            return format_html('<p class="inquiry-warning">This person asked to be called on '
                               "{}. Reply by email only if there is a reason to.</p>",
                               inquiry.phone_display)
        if name == "phone" and inquiry.reply_by != ReplyChannel.PHONE:
            return format_html('<p class="inquiry-warning">This person asked for a reply by '
                               "email, at {}.</p>", inquiry.email)
        return super().get_object_action_description(request, inquiry, name)

    def against_preference_refused(self, inquiry) -> ValidationError:
        return ValidationError({"confirm_other_channel": (
            f"This person asked for a reply {inquiry.get_reply_by_display().lower()}. "
            "Tick the box to confirm you reply the other way.")})

    def object_action_confirmation(self, request, inquiry, action, form=None):
        """The reply's preview is its confirmation page: shown for a valid reply only
        (with the other channel confirmed where the person asked for a call); a reply
        with errors, or one staff want to change, goes back to the inquiry's page with
        its text."""
        if action.name != "reply":
            return super().object_action_confirmation(request, inquiry, action, form)
        if form is None:
            return redirect(self.object_change_url(inquiry))
        if form.is_valid() and "edit" not in request.POST:
            if inquiry.reply_by == ReplyChannel.EMAIL or form.cleaned_data.get(
                    "confirm_other_channel"):
                return super().object_action_confirmation(request, inquiry, action, form)
            form_errors_add(form, self.against_preference_refused(inquiry))
        return self.object_page(request, inquiry, invalid=(action, form))

    def get_object_action_confirmation_context(self, request, inquiry, name, form):
        if name != "reply" or not form.is_valid():
            return {}
        return {"preview": inquiry_reply_preview(inquiry=inquiry, author=request.user,
                                                 body=form.cleaned_data["body"]),
                "confirmation_template": "admin/inquiries/inquiry/reply_preview.html"}

    @object_action(form=EmailReplyForm, title="Reply by email", submit="Send the reply",
                   confirm=True)
    def reply(self, request, inquiry, form):
        data = form.cleaned_data
        try:
            inquiry_reply_by_email(
                inquiry=inquiry, author=request.user, body=data["body"],
                confirmed_other_channel=data.get("confirm_other_channel", False),
            )
        except ReplyAgainstPreferenceError:
            raise self.against_preference_refused(inquiry) from None
        return "Your reply is on its way; it is in the timeline."

    @object_action(form=PhoneReplyForm, title="Record a phone reply", submit="Record the call")
    def phone(self, request, inquiry, form):
        data = form.cleaned_data
        try:
            inquiry_log_phone_reply(
                inquiry=inquiry, author=request.user, called_at=data["called_at"],
                summary=data["summary"],
                confirmed_other_channel=data.get("confirm_other_channel", False),
            )
        except ReplyAgainstPreferenceError:
            raise self.against_preference_refused(inquiry) from None
        return "The call is recorded in the timeline."

    @object_action(form=NoteForm, title="Internal note", submit="Add the note")
    def note(self, request, inquiry, form):
        inquiry_add_note(inquiry=inquiry, author=request.user, text=form.cleaned_data["text"])
        return "Note added."

    @object_action(form=HandlingForm, title="Status and assignment",
                   submit="Save status and assignment")
    def handling(self, request, inquiry, form):
        # Two services, one after the other: both land in the timeline.
        inquiry = inquiry_change_status(inquiry=inquiry, status=form.cleaned_data["status"],
                                        by=request.user)
        inquiry_assign(inquiry=inquiry, assignee=form.cleaned_data["assigned_to"],
                       by=request.user)
        return "Status and assignment saved."

    # --- Export (P7: a dedicated permission, and every export recorded) ---------

    def get_urls(self):
        return [
            path("export/", self.admin_site.admin_view(self.export_view),
                 name="inquiries_inquiry_export"),
            path("quarter.svg", self.admin_site.admin_view(self.quarter_chart_view),
                 name="inquiries_inquiry_quarter_chart"),
            *super().get_urls(),
        ]

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("inquiries.export_inquiry")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "can_export": self.has_export_permission(request),
                         # The list's columns and its filters fill a 1280-pixel screen;
                         # the admin's menu would push the columns out of it.
                         "is_nav_sidebar_enabled": False}
        return super().changelist_view(request, extra_context)

    def quarter_chart_view(self, request: HttpRequest) -> HttpResponse:
        """The staff home page's chart, an image of its own: its numbers are in the
        page's table, and axe cannot judge the contrast of text inside inline SVG."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        quarter = inquiry_quarter()
        chart = line_chart(
            [(week.start.strftime("%b %d"), f"Week of {week.start.isoformat()}")
             for week in quarter.weeks],
            [("Received", [week.received for week in quarter.weeks], False),
             ("First answered", [week.answered for week in quarter.weeks], True)])
        title = ("Inquiries received (solid line, round marks) and first answered (dashed "
                 f"line, square marks) per week since {quarter.start.isoformat()}")
        return TemplateResponse(request, "admin/line_chart.svg",
                                {"chart": chart, "title": title},
                                content_type="image/svg+xml; charset=utf-8")

    @staticmethod
    def filters_description(query: QueryDict) -> str:
        """The list filters of an export, without the search term (it may be a name)."""
        kept = [(key, value) for key, value in query.items() if key not in {"q", "p", "o"}]
        return urlencode(kept) + ("&search=yes" if query.get("q") else "")

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """The list as it is filtered, as CSV (posted, since each export is recorded)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_view_permission(request) and self.has_export_permission(request)):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            messages.error(request, "Those list filters are not valid; nothing was exported.")
            return redirect("admin:inquiries_inquiry_changelist")
        response = csv_response(f"inquiries-{timezone.localtime():%Y-%m-%d-%H%M}.csv")
        inquiry_export_csv(
            inquiries=changelist.get_queryset(request),
            exported_by=request.user,
            filters=self.filters_description(request.GET),
            stream=response,
        )
        return response


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    """Replies staff start from, chosen on an inquiry's page (inquiries/models.py)."""

    list_display = ["title", "changed_at"]
    search_fields = ["title", "body"]
    fields = ["title", "body"]


@admin.register(InquiryExport)
class InquiryExportAdmin(EvidenceAdmin):
    list_display = ["exported_at", "exported_by", "row_count", "filters"]
    list_filter = ["exported_by"]
    date_hierarchy = "exported_at"
    readonly_fields = ["exported_at", "exported_by", "row_count", "filters"]
