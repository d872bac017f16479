"""Staff side of privacy requests (P7, P8, P10): the queue with its deadlines, a
preview of the person's data, the actions; the people, the disclosure register and
the staff access log."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, Value, When
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from privacy.models import (
    ClientProfile,
    Disclosure,
    ObtainedInformation,
    Person,
    PrivacyRequest,
    Recipient,
    StaffAccess,
)
from privacy.services import requests as services
from privacy.services.people import staff_access_record
from roochi_site.admin import EvidenceAdmin


def masked(email: str) -> str:
    """Enough to tell requests apart in a list; the full address only on the request
    page, whose every view is logged (P7)."""
    if not email:
        return "(erased)"
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(admin.ModelAdmin):
    change_form_template = "privacy/requests/admin/change_form.html"
    view_on_site = False
    list_display = ["reference", "kind", "status", "address", "due_at", "overdue",
                    "assigned_to", "verified_at"]
    list_filter = ["status", "kind", "assigned_to"]
    search_fields = ["reference"]
    fields = ["reference", "kind", "address_full", "status", "wrong", "should_be",
              "verified_at", "due_at", "assigned_to", "closed_at", "refusal_reason",
              "policy_version_link"]
    readonly_fields = [name for name in fields if name != "assigned_to"]

    def get_queryset(self, request):
        # Only a verified request reaches staff.
        return PrivacyRequest.objects.verified().select_related("assigned_to")

    def get_ordering(self, request):
        # Open requests first, soonest deadline (so overdue) first.
        return [Case(When(status=PrivacyRequest.Status.VERIFIED, then=Value(0)),
                     default=Value(1)).asc(),
                F("due_at").asc(nulls_last=True), "-verified_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="email")
    def address(self, obj):
        return masked(obj.email)

    @admin.display(description="email")
    def address_full(self, obj):
        return obj.email or "(erased)"

    @admin.display(boolean=True)
    def overdue(self, obj):
        return obj.is_overdue

    @admin.display(description="collected under")
    def policy_version_link(self, obj):
        version = obj.policy_version
        return format_html('<a href="{}">Privacy policy, version {}</a>',
                           version.get_absolute_url(), version.number)

    def save_model(self, request, obj, form, change):
        if "assigned_to" in form.changed_data:
            services.privacy_request_assign(privacy_request=obj, by=request.user,
                                            assignee=obj.assigned_to)

    def get_urls(self):
        return [
            path("<path:object_id>/act/<str:action>/",
                 self.admin_site.admin_view(self.act_view),
                 name="privacy_privacyrequest_act"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if obj is not None and request.method == "GET":
            staff_access_record(user=request.user, action=StaffAccess.Action.VIEW,
                                what=f"privacy request {obj.reference}", email=obj.email)
            extra_context["events"] = obj.events.select_related("actor")
            if "preview" in request.GET:
                preview = services.privacy_request_preview(privacy_request=obj, by=request.user)
                extra_context["preview"] = preview
                extra_context["correctable"] = correctable_fields(preview)
        return super().change_view(request, object_id, form_url, extra_context)

    def act_view(self, request, object_id, action):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        change_url = reverse("admin:privacy_privacyrequest_change", args=[obj.pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        if action not in ACTIONS:
            raise Http404
        try:
            done = ACTIONS[action](obj, request.POST, request.user)
        except (services.RequestActionError, ValidationError) as error:
            text = "; ".join(error.messages) if isinstance(error, ValidationError) else error
            messages.error(request, f"Nothing was changed: {text}")
        else:
            messages.success(request, done)
        return HttpResponseRedirect(change_url)


def act_note(obj: PrivacyRequest, data, by) -> str:
    if not data.get("note", "").strip():
        raise services.RequestActionError("The note is empty.")
    services.privacy_request_note(privacy_request=obj, by=by, note=data["note"].strip())
    return "Note added."


def act_correct(obj: PrivacyRequest, data, by) -> str:
    label, _, rest = data.get("record", "").partition("|")
    pk, _, field = rest.partition("|")
    if not pk.isdigit():
        raise services.RequestActionError("Choose the record and field to correct.")
    services.privacy_request_correct(privacy_request=obj, by=by, model_label=label,
                                     pk=int(pk), field=field, value=data.get("value", ""))
    return f"Correction applied to {label} {pk} ({field})."


def act_complete(obj: PrivacyRequest, data, by) -> str:
    services.privacy_request_complete(privacy_request=obj, by=by,
                                      note=data.get("message", "").strip())
    return "Request completed; the person is told."


def act_erase(obj: PrivacyRequest, data, by) -> str:
    services.privacy_request_erase(privacy_request=obj, by=by)
    return "Everything the registry found is erased; the person is told."


def act_deactivate(obj: PrivacyRequest, data, by) -> str:
    services.privacy_request_deactivate(privacy_request=obj, by=by)
    return "The person is deactivated; they are told."


def act_copy(obj: PrivacyRequest, data, by) -> str:
    services.privacy_request_send_copy(privacy_request=obj, by=by)
    return "The copy's link is mailed to the person."


def act_refuse(obj: PrivacyRequest, data, by) -> str:
    services.privacy_request_refuse(privacy_request=obj, by=by, reason=data.get("reason", ""))
    return "Request refused; the person is told why."


# Each staff action: what it does, and the message staff see. Each is recorded with
# who and when on the request's timeline (P8).
ACTIONS = {
    "note": act_note,
    "correct": act_correct,
    "complete": act_complete,
    "erase": act_erase,
    "deactivate": act_deactivate,
    "copy": act_copy,
    "refuse": act_refuse,
}


def correctable_fields(preview: dict) -> list[tuple[str, str]]:
    """(value, label) of every declared field of every record found, for the
    correction form."""
    choices = []
    for models_found in preview.values():
        for label, records in models_found.items():
            for record in records:
                for name, value in record.items():
                    if name in {"id", "collected_at", "purpose", "policy_version",
                                "policy_version_url"}:
                        continue
                    choices.append((f"{label}|{record['id']}|{name}",
                                    f"{label} {record['id']}: {name} = {value!s:.60}"))
    return choices


class ClientProfileInline(admin.StackedInline):
    model = ClientProfile
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["__str__", "address", "status", "newsletter_opt_out",
                    "communication_opt_out", "created_at"]
    list_filter = ["status", "newsletter_opt_out", "communication_opt_out"]
    fields = ["email", "status", "newsletter_opt_out", "communication_opt_out", "created_at",
              "status_changed_at"]
    readonly_fields = ["status", "created_at", "status_changed_at"]
    inlines = [ClientProfileInline]

    def get_readonly_fields(self, request, obj=None):
        # An address is corrected through a privacy request, so the registry's rows
        # under it follow; here staff record choices made by phone or email (P6).
        return [*self.readonly_fields, "email"] if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if "communication_opt_out" in form.changed_data:
            opted_out = obj.communication_opt_out
            obj.communication_opt_out = not opted_out
            obj.communication_opt_out_set(opted_out)
        super().save_model(request, obj, form, change)

    @admin.display(description="email")
    def address(self, obj):
        return masked(obj.email or "")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET":
            staff_access_record(user=request.user, action=StaffAccess.Action.VIEW,
                                what=f"person {obj.pk}", email=obj.email or "")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "listed"]
    list_filter = ["kind", "listed"]


class RecordedByAdmin(admin.ModelAdmin):
    raw_id_fields = ["person"]
    readonly_fields = ["recorded_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Disclosure)
class DisclosureAdmin(RecordedByAdmin):
    list_display = ["recipient", "person", "disclosed_on", "purpose", "legal_basis"]
    list_filter = ["legal_basis", "recipient"]


@admin.register(ObtainedInformation)
class ObtainedInformationAdmin(RecordedByAdmin):
    list_display = ["kind", "source", "person", "obtained_on", "purpose", "legal_basis"]
    list_filter = ["kind", "legal_basis", "source"]


@admin.register(StaffAccess)
class StaffAccessAdmin(EvidenceAdmin):
    list_display = ["at", "user", "action", "what"]
    list_filter = ["action", "user"]
    date_hierarchy = "at"
