"""Staff side of privacy requests (P7, P8, P10): the queue with its deadlines, a
preview of the person's data, the actions; the people, the disclosure register and
the staff access log."""

from typing import override

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from privacy import registry
from privacy.admin.forms import (
    CompletionForm,
    CorrectionForm,
    NoteForm,
    OptOutForm,
    RefusalForm,
)
from privacy.models import (
    ClientProfile,
    Disclosure,
    ObtainedInformation,
    OptOut,
    Person,
    PrivacyRequest,
    Recipient,
    StaffAccess,
)
from privacy.services import requests as services
from privacy.services.newsletter import OptOutError, communication_stop, newsletter_unsubscribe
from privacy.services.policy_choices import version_before
from roochi_site.admin import (
    EvidenceAdmin,
    ObjectActionsAdminMixin,
    PersonalDataAdminMixin,
    list_moment,
    object_action,
)
from roochi_site.masking import masked_email
from roochi_site.personal_data import Erasure, outside_stores

Kind = PrivacyRequest.Kind
# The actions each kind of request takes, besides a note and a refusal.
KIND_ACTIONS = {
    Kind.CORRECT: ["correct", "complete"],
    Kind.DELETE: ["erase"],
    Kind.DEACTIVATE: ["deactivate"],
    Kind.COPY: ["copy"],
}


def refused(error: services.RequestActionError) -> ValidationError:
    return ValidationError(f"Nothing was changed: {error}", code="request_action")


def preview_tables(preview: dict) -> list[dict]:
    """The registry's preview ({app: {model: [record, ...]}}) as one table per model,
    each saying how an erasure treats its rows."""
    erasure = {declaration.label: declaration.erasure for declaration in registry.declarations()}
    # What a store outside the database holds (the support inbox) is removed from it.
    erasure.update(dict.fromkeys((store.name for store in outside_stores()), Erasure.DELETE))
    return [{"label": label, "records": records,
             "erasure": "unreachable" if registry.NOT_LISTED in records[0]
             else erasure.get(label, "")}
            for found in preview.values() for label, records in found.items()]


class DeadlineFilter(admin.SimpleListFilter):
    """Open requests by their legal deadline, as the staff home page counts them."""

    title = "legal deadline"
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", "Past the deadline"), ("in-time", "Open, in time")]

    def queryset(self, request, queryset):
        open_requests = queryset.filter(status=PrivacyRequest.Status.VERIFIED)
        match self.value():
            case "overdue":
                return open_requests.filter(due_at__lt=timezone.now())
            case "in-time":
                return open_requests.filter(due_at__gte=timezone.now())
        return queryset


# The kinds of request in a word or two, for the list.
KIND_SHORT = {
    Kind.COPY: "Copy", Kind.CORRECT: "Correction", Kind.DELETE: "Erasure",
    Kind.DEACTIVATE: "Deactivation", Kind.STOP_NEWSLETTER: "Stop the newsletter",
    Kind.STOP_ALL: "Stop all contact", Kind.REACTIVATE: "Resume",
}


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(PersonalDataAdminMixin, ObjectActionsAdminMixin, admin.ModelAdmin):
    change_form_template = "privacy/requests/admin/change_form.html"
    view_on_site = False
    # What staff scan the queue by, in words short enough to fit a 1280-pixel screen
    # beside the filters; the whole wording is on the request's page.
    list_display = ["reference", "kind_shown", "status", "address", "due", "assigned_to",
                    "confirmed"]
    list_filter = ["status", DeadlineFilter, "kind", "assigned_to"]
    search_fields = ["reference"]
    fieldsets = [
        ("Request", {"fields": ["reference", "kind", "status", "policy_version_link"]}),
        ("The person", {"fields": ["address_full", "wrong", "should_be"]}),
        ("Deadline and handling", {"fields": ["verified_at", "deadline", "assigned_to",
                                              "closed_at", "refusal_reason"]}),
    ]
    readonly_fields = ["reference", "kind", "status", "policy_version_link", "address_full",
                       "wrong", "should_be", "verified_at", "deadline", "closed_at",
                       "refusal_reason"]
    object_actions = ["note", "correct", "complete", "erase", "deactivate", "copy", "refuse"]

    class Media:
        css = {"all": ["privacy/admin.css"]}

    def get_queryset(self, request):
        # Only a verified request reaches staff.
        return PrivacyRequest.objects.verified().select_related("assigned_to",
                                                                "policy_version")

    def get_ordering(self, request):
        return PrivacyRequest.objects.queue_order()

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.kind != Kind.CORRECT:
            # What was wrong and what it should be: asked for a correction only.
            return [(name, {"fields": [field for field in options["fields"]
                                       if field not in {"wrong", "should_be"}]})
                    for name, options in self.fieldsets]
        return self.fieldsets

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="email")
    def address(self, obj):
        return masked_email(obj.email) or "(erased)"

    @admin.display(description="email")
    def address_full(self, obj):
        return obj.email or "(erased)"

    @admin.display(description="request", ordering="kind")
    def kind_shown(self, obj):
        return KIND_SHORT[obj.kind]

    @admin.display(description="due", ordering="due_at")
    def due(self, obj):
        if obj.is_overdue:
            return format_html('<strong class="privacy-overdue">Overdue since {}</strong>',
                               list_moment(obj.due_at))
        return list_moment(obj.due_at)

    @admin.display(description="confirmed", ordering="verified_at")
    def confirmed(self, obj):
        return list_moment(obj.verified_at)

    @admin.display(description="deadline")
    def deadline(self, obj):
        if obj.due_at is None:
            return "-"
        due = date_format(timezone.localtime(obj.due_at), "j F Y, H:i")
        if obj.is_overdue:
            return format_html("Due {} <strong>(overdue)</strong>", due)
        return f"Due {due}"

    @admin.display(description="collected under")
    def policy_version_link(self, obj):
        version = obj.policy_version
        return format_html('<a href="{}">Privacy policy, version {}</a>',
                           version.get_absolute_url(), version.number)

    def staff_access_what(self, obj):
        return f"privacy request {obj.reference}"

    def save_model(self, request, obj, form, change):
        if "assigned_to" in form.changed_data:
            services.privacy_request_assign(privacy_request=obj, by=request.user,
                                            assignee=obj.assigned_to)

    @override
    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        if obj is not None:
            context["events"] = obj.events.select_related("actor")
            if "preview" in request.GET:
                # The look at everything the registry holds is logged (P7).
                preview = services.privacy_request_preview(privacy_request=obj,
                                                           by=request.user)
                context["preview_tables"] = preview_tables(preview)
                context["preview_shown"] = True
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)

    # --- Acting on the request (P8): each a form and one service ---------------

    def get_object_actions(self, request, obj):
        if not obj.is_open:
            return []
        names = ["note", *KIND_ACTIONS.get(obj.kind, []), "refuse"]
        if "preview" not in request.GET and "correct" in names:
            # A correction is chosen from the person's data, shown (and logged) first.
            names.remove("correct")
        return [name for name in super().get_object_actions(request, obj) if name in names]

    def get_object_action_form_kwargs(self, request, obj, name):
        if name == "correct":
            # A correction changes the database's rows: the inbox is not read for it.
            return {"records": registry.records_for(obj.email, outside_stores_too=False)
                    if obj.email else {}}
        return {}

    def get_object_action_confirmation_context(self, request, obj, name, form):
        if name == "erase":
            # What will be erased, as the registry finds it; the look is logged (P7).
            preview = services.privacy_request_preview(privacy_request=obj, by=request.user)
            return {"confirmation_template": "privacy/requests/admin/erasure_preview.html",
                    "preview_tables": preview_tables(preview)}
        if name == "deactivate":
            return {"confirmation_template": "privacy/requests/admin/deactivation_effects.html",
                    "effects": [(declaration.label, sorted(declaration.deactivated_values))
                                for declaration in registry.declarations()
                                if declaration.deactivated_values]}
        return {}

    @object_action(form=NoteForm, title="Note", submit="Add note",
                   description="For the request's timeline; the person does not see it.")
    def note(self, request, obj, form):
        services.privacy_request_note(privacy_request=obj, by=request.user,
                                      note=form.cleaned_data["note"])
        return "Note added."

    @object_action(form=CorrectionForm, title="Apply a correction", submit="Apply correction",
                   description="One declared field of one of the person's records.")
    def correct(self, request, obj, form):
        label, pk, field = form.cleaned_data["record"]
        try:
            services.privacy_request_correct(privacy_request=obj, by=request.user,
                                             model_label=label, pk=pk, field=field,
                                             value=form.cleaned_data["value"])
        except services.RequestActionError as error:
            raise refused(error) from None
        except ValidationError as error:
            raise ValidationError({"value": error.messages}) from None
        return f"Correction applied to {label} {pk} ({field})."

    @object_action(form=CompletionForm, title="Correction done", submit="Tell the person",
                   description="Closes the request once every correction is applied; the "
                   "person is mailed that it is done, with your message.")
    def complete(self, request, obj, form):
        try:
            services.privacy_request_complete(privacy_request=obj, by=request.user,
                                              note=form.cleaned_data["message"])
        except services.RequestActionError as error:
            raise refused(error) from None
        return "Request completed; the person is told."

    @object_action(title="Erase the person's data", submit="Erase everything the registry finds",
                   confirm=True,
                   description="Erases every record the personal-data registry finds for "
                   "this address, in every app, as each app declares (deleted, or blanked "
                   "where the row must stay), and the messages they wrote that wait in the "
                   "support inbox, and mails the person that it is done. Only a "
                   "one-way hash of the address remains, so they stay unsubscribed.")
    def erase(self, request, obj, form):
        try:
            services.privacy_request_erase(privacy_request=obj, by=request.user)
        except services.RequestActionError as error:
            raise refused(error) from None
        return "Everything the registry found is erased; the person is told."

    @object_action(title="Deactivate the person", submit="Deactivate the person", confirm=True,
                   description="Stops every use of the person's data and every mail to them; "
                   "their records stay, and every list and export leaves them out. Only a "
                   "new request they confirm themselves brings them back. They are told.")
    def deactivate(self, request, obj, form):
        try:
            services.privacy_request_deactivate(privacy_request=obj, by=request.user)
        except services.RequestActionError as error:
            raise refused(error) from None
        return "The person is deactivated; they are told."

    @object_action(title="Send the copy", submit="Send the copy",
                   description="Mails the person a link to a copy of everything we hold "
                   "about them; the export is logged.")
    def copy(self, request, obj, form):
        try:
            services.privacy_request_send_copy(privacy_request=obj, by=request.user)
        except services.RequestActionError as error:
            raise refused(error) from None
        return "The copy's link is mailed to the person."

    @object_action(form=RefusalForm, title="Refuse the request", submit="Refuse the request",
                   confirm=True,
                   description="Closes the request as refused and mails the person your "
                   "reason.")
    def refuse(self, request, obj, form):
        try:
            services.privacy_request_refuse(privacy_request=obj, by=request.user,
                                            reason=form.cleaned_data["reason"])
        except services.RequestActionError as error:
            raise refused(error) from None
        return "Request refused; the person is told why."


class ClientProfileInline(admin.StackedInline):
    model = ClientProfile
    extra = 0


@admin.register(Person)
class PersonAdmin(PersonalDataAdminMixin, ObjectActionsAdminMixin, admin.ModelAdmin):
    change_form_template = "privacy/admin/person_change_form.html"
    list_display = ["__str__", "address", "status", "newsletter_opt_out",
                    "communication_opt_out", "created_at"]
    list_filter = ["status", "newsletter_opt_out", "communication_opt_out"]
    fields = ["email", "status", "newsletter_opt_out", "communication_opt_out", "created_at",
              "status_changed_at", "policy_choices"]
    # P6: every stop is recorded with how the person asked (the action below), and
    # only the person's own confirmation subscribes them: no box to tick here.
    readonly_fields = ["status", "newsletter_opt_out", "communication_opt_out", "created_at",
                       "status_changed_at", "policy_choices"]
    inlines = [ClientProfileInline]
    object_actions = ["record_opt_out"]

    @admin.display(description="privacy policy choices (P9)")
    def policy_choices(self, obj):
        lines = []
        for choice in obj.policy_choices.select_related("version"):
            decided = date_format(timezone.localtime(choice.decided_at), "j F Y")
            if choice.accepted:
                lines.append(f"Accepted version {choice.version.number} on {decided}.")
                continue
            before = version_before(choice.version)
            lines.append(
                f"Declined version {choice.version.number} on {decided}: governed by version "
                f"{before.number if before else '(none earlier)'} (declined version "
                f"{choice.version.number}); each record stays under the version it was "
                f"collected under.")
        return " ".join(lines) or "No choice asked or answered."

    def get_readonly_fields(self, request, obj=None):
        # An address is corrected through a privacy request, so the registry's rows
        # under it follow.
        return [*self.readonly_fields, "email"] if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object_actions(self, request, obj):
        # An erased person's address is gone: staff add the address they were given.
        return [] if obj.email is None else super().get_object_actions(request, obj)

    @override
    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        if obj is not None:
            context["opt_outs"] = obj.opt_outs.select_related("recorded_by")
            context["subscriptions"] = obj.newsletter_subscriptions.select_related(
                "policy_version")
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)

    @object_action(form=OptOutForm, title="Record an opt-out", submit="Record the opt-out",
                   description="The person asked by email to support or by phone to stop "
                   "the newsletter, or all our mail. It takes effect at once, for every "
                   "mailing, and is recorded under your name.")
    def record_opt_out(self, request, obj, form):
        data = form.cleaned_data
        stop = (newsletter_unsubscribe if data["scope"] == OptOut.Scope.NEWSLETTER
                else communication_stop)
        try:
            stop(email=obj.email, channel=data["channel"], recorded_by=request.user,
                 note=data["note"], asked_at=data["asked_at"])
        except OptOutError as error:
            raise ValidationError(str(error), code="opt_out") from None
        return f"Opt-out recorded: {OptOut.Scope(data['scope']).label.lower()} stopped."

    @admin.display(description="email")
    def address(self, obj):
        return masked_email(obj.email or "") or "(erased)"


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "listed"]
    list_filter = ["kind", "listed"]


class RecordedByAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    """A disclosure or information obtained about one person (P10): its details are
    the person's data, so each look is logged (P7)."""

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
    search_fields = ["what"]
    date_hierarchy = "at"
