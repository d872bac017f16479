"""Staff handle inquiries here: find, read, reply, log calls, note, export (P5, P7)."""

import copy
from urllib.parse import urlencode

import phonenumbers
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html

from inquiries.forms import EmailReplyForm, HandlingForm, NoteForm, PhoneReplyForm
from inquiries.models import Inquiry, InquiryExport, ReplyChannel, Status
from inquiries.services import (
    ReplyAgainstPreferenceError,
    inquiry_add_note,
    inquiry_assign,
    inquiry_change_status,
    inquiry_export_csv,
    inquiry_log_phone_reply,
    inquiry_reply_by_email,
)
from privacy import registry
from privacy.admin.policy import CollectedSubmissionAdminMixin
from privacy.models import StaffAccess
from privacy.services.people import staff_access_record
from roochi_site.admin import EvidenceAdmin

MASK = "\u2022\u2022\u2022"


def masked_name(name: str) -> str:
    """"Ana María Pérez" -> "Ana M. P.": enough to tell rows apart on a shared screen."""
    first, *others = name.split() or [""]
    return " ".join([first, *(f"{other[0]}." for other in others)])


def masked_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}{MASK}@{domain}" if domain else MASK


def masked_phone(phone: str) -> str:
    return f"{MASK} {phone[-2:]}" if phone else ""


class OverdueFilter(admin.SimpleListFilter):
    title = "first reply"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("no", "Not overdue")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.not_overdue()
        return queryset


ACTIONS = {
    "reply": EmailReplyForm,
    "phone": PhoneReplyForm,
    "note": NoteForm,
    "handling": HandlingForm,
}
REPLY_CHANNELS = {"reply": ReplyChannel.EMAIL, "phone": ReplyChannel.PHONE}


def action_form(action: str, inquiry: Inquiry, data=None, **kwargs):
    """The form of one staff action on this inquiry; each with its own element ids,
    since all of them share the page."""
    kwargs["auto_id"] = f"{action}_%s"
    if action in REPLY_CHANNELS:
        kwargs["against_preference"] = inquiry.reply_by != REPLY_CHANNELS[action]
    return ACTIONS[action](data, **kwargs)


@admin.register(Inquiry)
class InquiryAdmin(CollectedSubmissionAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "purpose", "topic", "person", "email_masked", "reply_channel",
                    "status", "assigned_to", "collected_at", "due"]
    list_filter = ["purpose", "topic", "status", "assigned_to", OverdueFilter,
                   ("collected_at", admin.DateFieldListFilter)]
    search_fields = ["reference", "name", "email", "phone"]
    search_help_text = "Reference, name, email address or phone number"
    list_select_related = ["assigned_to"]
    ordering = ["-collected_at"]
    list_per_page = 50
    actions = ["assign_to_me", "close"]
    show_full_result_count = False
    fieldsets = [
        ("Request", {"fields": ["reference", "purpose", "topic", "order_number", "message"]}),
        ("The person", {"fields": ["name", "email", "phone", "reply_by", "company"]}),
        ("Optional choices (P3)", {"fields": ["newsletter", "other_purposes"]}),
        ("Handling", {"fields": ["status", "assigned_to", "first_response_due",
                                 "first_responded_at", "closed_at"]}),
    ]
    change_form_template = "admin/inquiries/inquiry/change_form.html"
    view_on_site = False
    change_list_template = "admin/inquiries/inquiry/change_list.html"

    class Media:
        css = {"all": ["inquiries/admin.css"]}

    # --- The list: personal data masked (P7), the deadline in view ------------

    @admin.display(description="name", ordering="name")
    def person(self, inquiry):
        return masked_name(inquiry.name)

    @admin.display(description="email")
    def email_masked(self, inquiry):
        return masked_email(inquiry.email)

    @admin.display(description="reply", ordering="reply_by")
    def reply_channel(self, inquiry):
        if inquiry.reply_by == ReplyChannel.PHONE:
            return f"Phone {masked_phone(inquiry.phone)}"
        return "Email"

    @admin.display(description="first reply due", ordering="first_response_due")
    def due(self, inquiry):
        moment = timezone.localtime(inquiry.first_response_due).strftime("%Y-%m-%d %H:%M")
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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id and request.method == "POST" and "inquiry_action" in request.POST:
            inquiry = get_object_or_404(self.get_queryset(request), pk=object_id)
            if not self.has_change_permission(request, inquiry):
                raise PermissionDenied
            action = request.POST["inquiry_action"]
            if action not in ACTIONS:
                raise PermissionDenied
            form = action_form(action, inquiry, request.POST)
            if form.is_valid() and self.inquiry_act(request, inquiry, action, form):
                return redirect(request.path)
            extra_context[f"{action}_form"] = form
            # Show the page again with the form and what was typed; nothing else in
            # the change form is editable, so this is a plain display.
            request = copy.copy(request)
            request.method = "GET"
            request.POST = QueryDict()
        if object_id:
            extra_context.update(self.inquiry_context(request, object_id, extra_context))
        return super().changeform_view(request, object_id, form_url, extra_context)

    def inquiry_context(self, request, object_id, given) -> dict:
        inquiry = get_object_or_404(self.get_queryset(request), pk=object_id)
        staff_access_record(user=request.user, action=StaffAccess.Action.VIEW,
                            what=f"inquiry {inquiry.reference}", email=inquiry.email)
        return {
            "inquiry": inquiry,
            "timeline": inquiry.events.select_related("author", "mail"),
            "can_act": self.has_change_permission(request, inquiry),
            "reply_form": given.get("reply_form") or action_form("reply", inquiry),
            "phone_form": given.get("phone_form") or action_form("phone", inquiry, initial={
                "called_at": timezone.localtime().replace(second=0, microsecond=0)}),
            "note_form": given.get("note_form") or action_form("note", inquiry),
            "handling_form": given.get("handling_form") or action_form(
                "handling", inquiry,
                initial={"status": inquiry.status, "assigned_to": inquiry.assigned_to_id},
            ),
            # Nothing in the change form itself is editable: staff act through the
            # forms below, each a service call that lands in the timeline.
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }

    def inquiry_act(self, request, inquiry, action, form) -> bool:
        data = form.cleaned_data
        try:
            if action == "reply":
                inquiry_reply_by_email(
                    inquiry=inquiry, author=request.user, body=data["body"],
                    confirmed_other_channel=data.get("confirm_other_channel", False),
                )
                messages.success(request, "Your reply is on its way; it is in the timeline.")
            elif action == "phone":
                inquiry_log_phone_reply(
                    inquiry=inquiry, author=request.user, called_at=data["called_at"],
                    summary=data["summary"],
                    confirmed_other_channel=data.get("confirm_other_channel", False),
                )
                messages.success(request, "The call is recorded in the timeline.")
            elif action == "note":
                inquiry_add_note(inquiry=inquiry, author=request.user, text=data["text"])
                messages.success(request, "Note added.")
            else:
                inquiry = inquiry_change_status(
                    inquiry=inquiry, status=data["status"], by=request.user
                )
                inquiry_assign(inquiry=inquiry, assignee=data["assigned_to"], by=request.user)
                messages.success(request, "Status and assignment saved.")
        except ReplyAgainstPreferenceError:
            form.add_error(
                "confirm_other_channel",
                f"This person asked for a reply {inquiry.get_reply_by_display().lower()}. "
                "Tick the box to confirm you reply the other way.",
            )
            return False
        return True

    # --- Export (P7: a dedicated permission, and every export recorded) ---------

    def get_urls(self):
        return [
            path("export/", self.admin_site.admin_view(self.export_view),
                 name="inquiries_inquiry_export"),
            *super().get_urls(),
        ]

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("inquiries.export_inquiry")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "can_export": self.has_export_permission(request)}
        return super().changelist_view(request, extra_context)

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
        filename = f"inquiries-{timezone.localtime():%Y-%m-%d-%H%M}.csv"
        response = HttpResponse(
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
        inquiry_export_csv(
            inquiries=changelist.get_queryset(request),
            exported_by=request.user,
            filters=self.filters_description(request.GET),
            stream=response,
        )
        return response


@admin.register(InquiryExport)
class InquiryExportAdmin(EvidenceAdmin):
    list_display = ["exported_at", "exported_by", "row_count", "filters"]
    list_filter = ["exported_by"]
    date_hierarchy = "exported_at"
    readonly_fields = ["exported_at", "exported_by", "row_count", "filters"]
