"""Admin pieces shared by the apps: read-only evidence, the admin of personal data
(P7), and staff actions on one object.

This module sits below every app (it imports none): what needs an app above it, the
staff access log, is registered here by that app at ``ready()``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import override

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core import checks
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.db import models, transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.admin import WebAuthnCredentialAdmin
from django_otp_webauthn.models import WebAuthnCredential
from django_tasks_db.models import DBTaskResult

from roochi_site.change_history import field_changes_of, tracked_fields
from roochi_site.models import SignInFailure
from roochi_site.personal_data import PersonalData, declaration_for
from roochi_site.sign_in_throttle import sign_in_failures_release


def list_moment(value) -> str:
    """A moment in an admin list, in short words so that its column may wrap:
    "1 Dec 2026 14:30" (TIME_ZONE); "-" for none."""
    return date_format(timezone.localtime(value), "j M Y H:i") if value else "-"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the site writes itself: staff with the view permission read them; nobody
    adds, edits or deletes them in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EvidenceAdmin(ReadOnlyAdmin):
    """A record kept as evidence of what staff did (an export, a look at personal data,
    P7): read, never changed."""


# --- Personal data in the admin (P7) ---------------------------------------------------

# Records one staff look at (action "view") or export of (action "export") personal
# data: called as recorder(user=..., action=..., what=..., email=...). The privacy app
# registers its staff access log here at ready().
StaffAccessRecorder = Callable[..., object]
_staff_access_recorders: list[StaffAccessRecorder] = []


def staff_access_recorder_register(recorder: StaffAccessRecorder) -> None:
    if recorder not in _staff_access_recorders:
        _staff_access_recorders.append(recorder)


def staff_access_record(*, user, action: str, what: str, email: str) -> None:
    """P7: a staff view or export of personal data is logged. With no recorder
    registered the page is refused: a look that nobody logs would break the promise."""
    if not _staff_access_recorders:
        raise ImproperlyConfigured(
            "No staff access recorder is registered: personal data is not shown (P7)."
        )
    for recorder in _staff_access_recorders:
        recorder(user=user, action=action, what=what, email=email)


# Field names and types that hold an address, a number or a name: a list shows them
# masked (roochi_site.masking).
MASKED_WORDS = ("email", "phone", "mobile", "address", "name")


def shown_masked(field: models.Field) -> bool:
    return isinstance(field, models.EmailField) or any(
        word in field.name.lower() for word in MASKED_WORDS)


class PersonalDataAdminMixin:
    """For the admin of every model the personal-data registry declares (P7).

    - Every showing of a row's page (a GET of its change or view page, or the page
      shown again with errors) writes one staff access record, with the person's
      address taken from the registry's declaration (``person_lookup``); their
      inlines are part of that one page.
    - Lists show addresses, numbers and names only through roochi_site.masking; a
      list column naming such a declared field is a system check error.

        @admin.register(Inquiry)
        class InquiryAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
            list_display = ["reference", "email_masked"]

            @admin.display(description="email")
            def email_masked(self, inquiry):
                return masked_email(inquiry.email)

    ``staff_access_what(obj)`` names the page in the log ("inquiry RT-1234"); by
    default the model's name and the row's id. It never holds personal data.
    """

    @property
    def personal_data(self) -> PersonalData:
        declaration = declaration_for(self.model)
        if declaration is None:
            raise ImproperlyConfigured(
                f"{self.model._meta.label} is not declared in the personal-data registry."
            )
        return declaration

    def staff_access_what(self, obj: models.Model) -> str:
        return f"{self.model._meta.verbose_name} {obj.pk}"

    @override
    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        if obj is not None:
            staff_access_record(user=request.user, action="view",
                                what=self.staff_access_what(obj),
                                email=self.personal_data.person_email(obj))
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)

    @override
    def history_view(self, request, object_id, extra_context=None):
        """Django's history, and who changed which field when (change_history.py): the
        old and new values are the person's data, so the look is logged."""
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and tracked_fields(self.model) and self.has_view_or_change_permission(
                request, obj):
            staff_access_record(user=request.user, action="view",
                                what=f"{self.staff_access_what(obj)}: history",
                                email=self.personal_data.person_email(obj))
            extra_context = {**(extra_context or {}),
                             "field_changes": field_changes_of(obj).select_related("changed_by")}
        return super().history_view(request, object_id, extra_context)

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        declaration = declaration_for(self.model)
        if declaration is None:
            return [*errors, checks.Error(
                f"{type(self).__name__} uses PersonalDataAdminMixin, but "
                f"{self.model._meta.label} is not declared in the personal-data registry.",
                obj=type(self), id="roochi_site.E101")]
        for name in [*self.list_display, *(self.list_display_links or ())]:
            if isinstance(name, str) and name in declaration.fields and shown_masked(
                self.model._meta.get_field(name)
            ):
                errors.append(checks.Error(
                    f"{type(self).__name__}.list_display shows {self.model._meta.label}."
                    f"{name} unmasked.",
                    hint="Show it through roochi_site.masking in an @admin.display method.",
                    obj=type(self), id="roochi_site.E102"))
        return errors


# --- Staff actions on one object -----------------------------------------------------

# The field the confirmation page of an irreversible action posts: without it the
# action is not done, whatever else is posted.
CONFIRM_FIELD = "confirm"


@dataclass(frozen=True)
class ObjectAction:
    """One thing staff do to one object: a form, one service call, a message."""

    name: str
    function: Callable[..., str]
    form: type[forms.Form]
    title: str
    submit: str
    description: str
    confirm: bool
    permissions: tuple[str, ...]


def object_action(*, title: str, submit: str, form: type[forms.Form] = forms.Form,
                  description: str = "", confirm: bool = False,
                  permissions: tuple[str, ...] = ("change",)):
    """Mark an admin method as a staff action on one object (ObjectActionsAdminMixin).

    The method is called as ``method(request, obj, form)`` with a valid form, calls one
    service, and returns the message staff see. A ValidationError it raises (for a
    field of the form, or for none) is shown on the form, and nothing else happens.

    title: the action's heading; submit: its button; description: what it does, in
    words (shown under the heading, and on the confirmation page). With ``confirm``
    the action cannot be undone: the change page links to a confirmation page of its
    own, and only a post from that page does it. ``permissions``: each needs
    ``has_<permission>_permission(request, obj)``.
    """

    def decorator(function):
        function.object_action = {
            "function": function, "form": form, "title": title, "submit": submit,
            "description": description, "confirm": confirm,
            "permissions": tuple(permissions),
        }
        return function

    return decorator


@dataclass
class ObjectActionShown:
    """An action as a page shows it: its form, where it posts, what it says."""

    action: ObjectAction
    form: forms.Form
    url: str
    description: SafeString | str
    admin_form: helpers.AdminForm
    invalid: bool = False

    @property
    def name(self) -> str:
        return self.action.name


def form_errors_add(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: each message on its field when the form
    has that field, on the form as a whole otherwise."""
    by_field = error.error_dict if hasattr(error, "error_dict") else {
        NON_FIELD_ERRORS: error.error_list}
    for field, errors in by_field.items():
        form.add_error(field if field in form.fields else None, errors)


class ObjectActionsAdminMixin:
    """Staff actions on one object, each its own form posted to its own address.

        class InquiryAdmin(ObjectActionsAdminMixin, admin.ModelAdmin):
            object_actions = ["note"]

            @object_action(form=NoteForm, title="Internal note", submit="Add the note")
            def note(self, request, inquiry, form):
                inquiry_add_note(inquiry=inquiry, author=request.user,
                                 text=form.cleaned_data["text"])
                return "Note added."

    Each action posts to ``<pk>/act/<name>/`` (URL name ``<app>_<model>_act``), only
    by POST: a GET goes back to the change page; an unknown action is a 404, a missing
    permission a 403. A valid form calls the method and goes back to the change page
    with its message; an invalid one shows the change page again, that form with its
    errors and what was typed. An action with ``confirm`` shows its form on a
    confirmation page of its own (a GET of its address) instead, and acts only on a
    post carrying ``confirm=yes`` from that page; any other post just shows it.

    The change page's context holds ``object_actions`` (name -> ObjectActionShown, in
    the order of ``object_actions``); ``admin/includes/object_actions.html`` draws
    them all, ``admin/includes/object_action.html`` one (``with action=...``). Put
    page context in ``render_change_form``: the change view and the page shown again
    after an invalid action both call it.

    Hooks: ``get_object_actions(request, obj)`` (the names shown for this object),
    ``get_object_action_form_kwargs(request, obj, name)``,
    ``get_object_action_description(request, obj, name)``,
    ``get_object_action_confirmation_context(request, obj, name, form)``.
    """

    object_actions: list[str] = []
    change_form_template = "admin/object_actions_change_form.html"
    object_action_confirmation_template = "admin/object_action_confirmation.html"

    # --- Declaring ---

    @cached_property
    def object_action_map(self) -> dict[str, ObjectAction]:
        found = {}
        for name in self.object_actions:
            spec = getattr(getattr(type(self), name, None), "object_action", None)
            if spec is None:
                raise ImproperlyConfigured(
                    f"{type(self).__name__}.{name} is not an @object_action method.")
            found[name] = ObjectAction(name=name, **spec)
        return found

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        try:
            self.object_action_map  # noqa: B018 (raises on a name that is no action)
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), obj=type(self), id="roochi_site.E111"))
        return errors

    # --- Hooks ---

    def get_object_actions(self, request: HttpRequest, obj: models.Model) -> list[str]:
        """The actions the change page offers for this object and this user."""
        return [name for name, action in self.object_action_map.items()
                if self.has_object_action_permission(request, obj, action)]

    def get_object_action_form_kwargs(self, request: HttpRequest, obj: models.Model,
                                      name: str) -> dict:
        return {}

    def get_object_action_description(self, request: HttpRequest, obj: models.Model,
                                      name: str) -> SafeString | str:
        return self.object_action_map[name].description

    def get_object_action_confirmation_context(self, request: HttpRequest,
                                               obj: models.Model, name: str,
                                               form: forms.Form) -> dict:
        """What the confirmation page shows besides the description (a preview, of
        the form's values when it is bound and valid)."""
        return {}

    def has_object_action_permission(self, request: HttpRequest, obj: models.Model,
                                     action: ObjectAction) -> bool:
        return all(getattr(self, f"has_{permission}_permission")(request, obj)
                   for permission in action.permissions)

    # --- Addresses ---

    def get_urls(self):
        opts = self.model._meta
        return [
            path("<path:object_id>/act/<str:action>/",
                 self.admin_site.admin_view(self.object_action_view),
                 name=f"{opts.app_label}_{opts.model_name}_act"),
            *super().get_urls(),
        ]

    def object_action_url(self, obj: models.Model, name: str) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_act", args=[obj.pk, name],
                       current_app=self.admin_site.name)

    def object_change_url(self, obj: models.Model) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk],
                       current_app=self.admin_site.name)

    # --- Forms ---

    def object_action_form(self, request: HttpRequest, obj: models.Model, action: ObjectAction,
                           data=None) -> forms.Form:
        # Several actions share a page: each form's element ids start with its name.
        return action.form(data, auto_id=f"{action.name}_%s",
                           **self.get_object_action_form_kwargs(request, obj, action.name))

    def object_action_shown(self, request: HttpRequest, obj: models.Model,
                            action: ObjectAction, form: forms.Form | None = None, *,
                            heading: bool = True) -> ObjectActionShown:
        form = form if form is not None else self.object_action_form(request, obj, action)
        description = conditional_escape(
            self.get_object_action_description(request, obj, action.name))
        # The admin's own fieldset markup: a heading (on the change page; the
        # confirmation page has its title), what the action does, the fields.
        fieldsets = []
        if heading or form.fields:
            fieldsets.append((action.title if heading else None, {
                "fields": list(form.fields), "description": description if heading else ""}))
        return ObjectActionShown(
            action=action, form=form, url=self.object_action_url(obj, action.name),
            description=description,
            admin_form=helpers.AdminForm(form, fieldsets, {}, model_admin=self),
            invalid=form.is_bound and bool(form.errors))

    def object_actions_shown(self, request: HttpRequest, obj: models.Model,
                             invalid: tuple[ObjectAction, forms.Form] | None = None,
                             ) -> dict[str, ObjectActionShown]:
        names = set(self.get_object_actions(request, obj))
        if invalid is not None:
            names.add(invalid[0].name)
        return {
            name: self.object_action_shown(
                request, obj, action,
                invalid[1] if invalid is not None and invalid[0] is action else None)
            for name, action in self.object_action_map.items() if name in names
        }

    @override
    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        if obj is not None and "object_actions" not in context:
            context["object_actions"] = self.object_actions_shown(request, obj)
        return super().render_change_form(request, context, add=add, change=change,
                                          form_url=form_url, obj=obj)

    # --- The action's address ---

    def object_action_view(self, request: HttpRequest, object_id: str,
                           action: str) -> HttpResponse:
        if action not in self.object_action_map:
            raise Http404(f"No action {action!r} here.")
        chosen = self.object_action_map[action]
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.model._meta.verbose_name} with that id.")
        if not self.has_object_action_permission(request, obj, chosen):
            raise PermissionDenied
        if request.method in {"GET", "HEAD"}:
            if chosen.confirm:
                return self.object_action_confirmation(request, obj, chosen)
            return redirect(self.object_change_url(obj))
        if request.method != "POST":
            return HttpResponseNotAllowed(["GET", "POST"] if chosen.confirm else ["POST"])

        return self.object_action_post(request, obj, chosen)

    def object_action_post(self, request: HttpRequest, obj: models.Model,
                           action: ObjectAction) -> HttpResponse:
        form = self.object_action_form(request, obj, action, data=request.POST)
        if action.confirm and request.POST.get(CONFIRM_FIELD) != "yes":
            # Not from the confirmation page: nothing is done; the page asks.
            return self.object_action_confirmation(request, obj, action, form)
        if form.is_valid():
            record = self.object_action_record(request, obj, action)
            try:
                with transaction.atomic():
                    message = action.function(self, request, obj, form)
                    record()
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                self.message_user(request, message, messages.SUCCESS)
                return redirect(self.object_change_url(obj))
        if action.confirm:
            return self.object_action_confirmation(request, obj, action, form)
        return self.object_page(request, obj, invalid=(action, form))

    def object_action_record(self, request: HttpRequest, obj: models.Model,
                             action: ObjectAction) -> Callable[[], None]:
        """P7: an action on a row of personal data goes in the staff access record, in
        the action's transaction. Whose data it was is read before the action runs (an
        erasure leaves no address to read afterwards); the returned call records it."""
        declaration = declaration_for(self.model)
        if declaration is None:
            return lambda: None
        what = f"{self.staff_access_what(obj)}: {action.title}"
        email = declaration.person_email(obj)
        return lambda: staff_access_record(user=request.user, action="act", what=what,
                                           email=email)

    def object_action_confirmation(self, request: HttpRequest, obj: models.Model,
                                   action: ObjectAction,
                                   form: forms.Form | None = None) -> TemplateResponse:
        """The page of its own an irreversible action asks on, like Django's delete
        confirmation: what it will do, its form, "Yes" and "No, take me back"."""
        opts = self.model._meta
        shown = self.object_action_shown(request, obj, action, form, heading=False)
        context = {
            **self.admin_site.each_context(request),
            "title": action.title,
            "subtitle": str(obj),
            "opts": opts,
            "object": obj,
            "action": shown,
            "change_url": self.object_change_url(obj),
            "confirm_field": CONFIRM_FIELD,
            "media": self.media + shown.admin_form.media,
            **self.get_object_action_confirmation_context(request, obj, action.name,
                                                          shown.form),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [
            f"admin/{opts.app_label}/{opts.model_name}/object_action_confirmation.html",
            f"admin/{opts.app_label}/object_action_confirmation.html",
            self.object_action_confirmation_template,
        ], context)

    def object_page(self, request: HttpRequest, obj: models.Model,
                    invalid: tuple[ObjectAction, forms.Form]) -> TemplateResponse:
        """The change page as its GET shows it, with the invalid action form in place of
        the empty one. (The request is the action's POST, which Django's change view
        would take for a save of the object's own form.)"""
        fieldsets = self.get_fieldsets(request, obj)
        model_form = self.get_form(request, obj, change=True,
                                   fields=flatten_fieldsets(fieldsets))(instance=obj)
        formsets, inline_instances, prefixes = [], [], {}
        for formset_class, inline in self.get_formsets_with_inlines(request, obj):
            prefix = formset_class.get_default_prefix()
            prefixes[prefix] = prefixes.get(prefix, 0) + 1
            if prefixes[prefix] != 1 or not prefix:
                prefix = f"{prefix}-{prefixes[prefix]}"
            formsets.append(formset_class(instance=obj, prefix=prefix,
                                          queryset=inline.get_queryset(request)))
            inline_instances.append(inline)
        can_change = self.has_change_permission(request, obj)
        admin_form = helpers.AdminForm(
            model_form, list(fieldsets),
            self.get_prepopulated_fields(request, obj) if can_change else {},
            self.get_readonly_fields(request, obj) if can_change
            else flatten_fieldsets(fieldsets),
            model_admin=self,
        )
        inline_formsets = self.get_inline_formsets(request, formsets, inline_instances, obj)
        media = self.media + admin_form.media
        for inline_formset in inline_formsets:
            media += inline_formset.media
        action_form = None
        if self.get_actions(request, action_location=ActionLocation.CHANGE_FORM):
            action_form = self.action_form(auto_id=None,
                                           prefix=ActionLocation.CHANGE_FORM.value)
            action_form.fields["action"].choices = self.get_action_choices(
                request, action_location=ActionLocation.CHANGE_FORM)
            media += action_form.media
        title = _("Change %s") if can_change else _("View %s")
        context = {
            **self.admin_site.each_context(request),
            "title": title % self.model._meta.verbose_name,
            "subtitle": str(obj),
            "adminform": admin_form,
            "object_id": str(obj.pk),
            "original": obj,
            "is_popup": False,
            "to_field": None,
            "media": media,
            "action_form": action_form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "inline_admin_formsets": inline_formsets,
            "errors": helpers.AdminErrorList(model_form, formsets),
            "preserved_filters": self.get_preserved_filters(request),
            "object_actions": self.object_actions_shown(request, obj, invalid),
        }
        request.current_app = self.admin_site.name
        # The object's own form still saves at the change page's address.
        return self.render_change_form(request, context, change=True, obj=obj,
                                       form_url=self.object_change_url(obj))


# --- A staff preview of a row ------------------------------------------------------------

class PreviewAdminMixin:
    """A row shown as its public (a page) or its recipients (a mail) will see it, at
    ``<pk>/preview/`` (URL name ``<app>_<model>_preview``), only to staff: the admin
    defines ``preview_view(request, object_id)``."""

    def get_urls(self):
        opts = self.model._meta
        return [
            path("<path:object_id>/preview/", self.admin_site.admin_view(self.preview_view),
                 name=f"{opts.app_label}_{opts.model_name}_preview"),
            *super().get_urls(),
        ]

    def preview_url(self, obj: models.Model) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk],
                       current_app=self.admin_site.name)


# --- Technical pages --------------------------------------------------------------------

class SuperuserOnlyAdminMixin:
    """A technical page (a second factor's secret, the task queue): for those who operate
    the site, the superusers, whatever permissions a staff role holds."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request) and super().has_delete_permission(request, obj)


def superuser_only(model) -> None:
    """Register an installed package's admin page again, for superusers only."""
    original = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(model, type(original.__name__, (SuperuserOnlyAdminMixin, original), {}))


# The package defines the passkeys' admin page without registering it.
admin.site.register(WebAuthnCredential, WebAuthnCredentialAdmin)
# A lost phone or key: a superuser deletes the person's devices; they set up anew at sign-in.
for technical_model in (TOTPDevice, StaticDevice, WebAuthnCredential, DBTaskResult):
    superuser_only(technical_model)


class StaffAccountAdmin(UserAdmin):
    """Staff accounts, as Django draws them, without what fails WCAG 2.2 AA there.

    A person's permissions come from their roles only (roochi_site/staff_roles.py,
    the groups), so the form offers the roles as check boxes and no permission one
    by one: Django's two-box picker had labels with a prohibited aria-label. The
    password is a line of text with the link to set a new one rather than Django's
    read-only field (a <div disabled>), and the sign-in dates, which no one edits by
    hand, are text rather than fields pointing at a time-zone warning the page draws
    only in another time zone."""

    filter_horizontal = ()
    readonly_fields = ["password_state", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password_state"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Roles"), {
            "fields": ["is_active", "is_staff", "is_superuser", "groups"],
            "description": _("A person may do what each of their roles allows, and "
                             "nothing else unless they are a superuser."),
        }),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # The roles' check boxes are a group with no id for the admin to name their
        # help text by (it pointed at "_helptext"): the fieldset's description says
        # what a role gives instead.
        if "groups" in form.base_fields:
            form.base_fields["groups"].help_text = ""
        return form

    @admin.display(description=_("Password"))
    def password_state(self, account) -> SafeString:
        # Instead of Django's read-only password field, drawn as a <div disabled>
        # (not valid HTML): whether one is set, and the way to set a new one.
        state = _("Set") if account.has_usable_password() else _("Not set: cannot sign in")
        return format_html('{} · <a href="{}">{}</a>', state,
                           reverse("admin:auth_user_password_change", args=[account.pk]),
                           _("Set a new password"))


class StaffRoleAdmin(ReadOnlyAdmin, GroupAdmin):
    """The roles, to read: roochi_site/staff_roles.py defines them and every `migrate`
    sets each group to exactly its list, so a change made here would be undone
    unseen. A role's page lists what it allows; the list says how many hold it."""

    list_display = ["name", "holders"]
    fields = ["name", "allowed"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(holder_count=Count("user"))

    @admin.display(description=_("people who hold it"), ordering="holder_count")
    def holders(self, role) -> int:
        return role.holder_count

    @admin.display(description=_("what it allows"))
    def allowed(self, role) -> SafeString:
        names = role.permissions.select_related("content_type").order_by(
            "content_type__app_label", "codename")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} ({}.{})</li>", (
            (permission.name, permission.content_type.app_label, permission.codename)
            for permission in names)))


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), StaffAccountAdmin)
admin.site.unregister(Group)
admin.site.register(Group, StaffRoleAdmin)


# --- The site's own records ------------------------------------------------------------

@admin.register(SignInFailure)
class SignInFailureAdmin(ObjectActionsAdminMixin, EvidenceAdmin):
    """Failed staff sign-ins, for the privacy officer to see and an administrator to
    unlock (roochi_site/sign_in_throttle.py). The client is shown by the start of its
    keyed hash: enough to see that failures came from one client, never which."""

    list_display = ["at", "account", "client", "released_at", "released_by"]
    list_filter = ["released_at"]
    date_hierarchy = "at"
    fields = ["at", "account", "client", "released_at", "released_by"]
    readonly_fields = fields
    object_actions = ["unlock"]

    @admin.display(description="client (keyed hash)")
    def client(self, failure):
        return f"{failure.client_key[:10]}…"

    def has_unlock_permission(self, request, obj=None):
        return request.user.has_perm("roochi_site.unlock_sign_in")

    @object_action(title="Unlock the account", submit="Unlock",
                   description="Lets the account sign in again now, before the waiting "
                   "time is over. The failures stay on record, marked as released.",
                   permissions=("unlock",))
    def unlock(self, request, failure, form):
        released = sign_in_failures_release(account_key=failure.account_key, by=request.user)
        return f"Unlocked: {released} failed sign-in(s) released."
