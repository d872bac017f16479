"""Staff draft, preview and publish policy versions here; published ones are read-only (P9).

Also the helper every submission's admin uses to show what the submission was
collected under (P3).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from communications.mailings import mailing_progress
from privacy.comparison import policy_versions_compare
from privacy.models import PolicyChoice, PolicySection, PolicyVersion, PublishedPolicyError
from privacy.models.policy import PolicyState
from privacy.policy import current_version
from privacy.services.policy_choices import policy_governing
from privacy.services.policy_versions import policy_version_draft_from, policy_version_publish
from roochi_site.personal_data import declaration_for

STATE_LABELS = {
    PolicyState.DRAFT: "Draft",
    PolicyState.SCHEDULED: "Scheduled",
    PolicyState.CURRENT: "In force",
    PolicyState.REPLACED: "Replaced",
}
PUBLISHED_FIELDS = [
    "number",
    "title",
    "change_summary",
    "staff_notes",
    "is_material",
    "is_new_use",
    "effective_at",
    "published_at",
    "published_by",
    "change_mail",
]


class PolicyVersionForm(forms.ModelForm):
    class Meta:
        model = PolicyVersion
        fields = ["number", "title", "change_summary", "staff_notes", "is_material", "is_new_use"]

    def clean(self):
        cleaned_data = super().clean()
        # The stored row decides: another member of staff may have published this
        # draft since the page was opened.
        if self.instance.pk and PolicyVersion.objects.published().filter(
            pk=self.instance.pk
        ).exists():
            raise ValidationError(
                str(PublishedPolicyError(self.instance.number)), code="published"
            )
        return cleaned_data


class PolicySectionForm(forms.ModelForm):
    """What a browser posts, saved as staff meant it: a textarea sends CRLF line
    endings, and trailing spaces are invisible; neither may count as a change (P9)."""

    class Meta:
        model = PolicySection
        fields = ["position", "heading", "body"]

    def clean_body(self):
        lines = self.cleaned_data["body"].replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "\n".join(line.rstrip() for line in lines).strip("\n")


class PolicySectionInline(admin.StackedInline):
    model = PolicySection
    form = PolicySectionForm
    fields = ["position", "heading", "body"]
    extra = 0

    # ``obj`` is the version: a published version's sections are shown, never edited.
    def has_add_permission(self, request, obj=None):
        return (obj is None or not obj.is_published) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.is_published) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.is_published) and super().has_delete_permission(
            request, obj
        )


class PolicyPublishForm(forms.Form):
    when = forms.ChoiceField(
        label="Takes effect",
        choices=[("now", "Now, as soon as it is published"), ("later", "At a later date and time")],
        widget=forms.RadioSelect,
        initial="now",
    )
    effective_at = forms.DateTimeField(
        label="Effective date and time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="For a later date: the site's time zone. Publication is final: the text "
        "can never change afterwards.",
    )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("when") == "later" and not cleaned_data.get("effective_at"):
            self.add_error("effective_at", "Give the date and time this version takes effect.")
        return cleaned_data

    def chosen_effective_at(self):
        if self.cleaned_data["when"] == "now":
            return timezone.now()
        return self.cleaned_data["effective_at"]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    form = PolicyVersionForm
    inlines = [PolicySectionInline]
    list_display = [
        "number",
        "title",
        "state",
        "effective_at",
        "is_material",
        "published_at",
        "published_by",
    ]
    list_display_links = ["number", "title"]
    readonly_fields = ["effective_at", "published_at", "published_by"]
    change_form_template = "privacy/admin/policyversion_change_form.html"

    @admin.display(description="mail with a choice (P9)")
    def change_mail(self, version: PolicyVersion) -> str:
        if version.change_mailing_id is None:
            return "None: neither a material change nor a new use of information."
        progress = mailing_progress(version.change_mailing)
        choices = PolicyChoice.objects.filter(version=version)
        return (f"{progress.total} written ({'all' if progress.prepared else 'so far'}): "
                f"{progress.sent} sent, {progress.queued} waiting, {progress.suppressed} "
                f"not sent (the person's choices), {progress.failed} failed. Answers: "
                f"{choices.filter(accepted=True).count()} accepted, "
                f"{choices.filter(accepted=False).count()} declined.")

    @admin.display(description="State")
    def state(self, version: PolicyVersion) -> str:
        return STATE_LABELS[version.state(current=current_version())]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return PUBLISHED_FIELDS
        return super().get_readonly_fields(request, obj)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        latest = PolicyVersion.objects.aggregate(number=Max("number"))["number"] or 0
        initial.setdefault("number", latest + 1)
        return initial

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.is_published) and super().has_delete_permission(
            request, obj
        )

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # A bulk delete could include published versions; drafts are deleted one by one.
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        version = self.get_object(request, unquote(object_id))
        if version is not None and version.is_published:
            messages.error(request, str(PublishedPolicyError(version.number)))
            return redirect(self._change_url(version))
        return super().delete_view(request, object_id, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = self.get_object(request, unquote(object_id))
        context = {
            **(extra_context or {}),
            "can_publish": request.user.has_perm("privacy.publish_policyversion"),
            "can_draft": self.has_add_permission(request),
        }
        if version is not None and version.is_published and request.method == "GET":
            messages.info(request, str(PublishedPolicyError(version.number)))
        return super().change_view(request, object_id, form_url, context)

    def render_change_form(self, request, context, *args, **kwargs):
        response = super().render_change_form(request, context, *args, **kwargs)
        # A draft has no public address yet: "View on site" would be a 404.
        obj = kwargs.get("obj")
        if obj is None or not obj.is_published:
            response.context_data["has_absolute_url"] = False
        return response

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("<path:object_id>/preview/", view(self.preview_view),
                 name="privacy_policyversion_preview"),
            path("<path:object_id>/preview/compare/", view(self.preview_compare_view),
                 name="privacy_policyversion_preview_compare"),
            path("<path:object_id>/publish/", view(self.publish_view),
                 name="privacy_policyversion_publish"),
            path("<path:object_id>/new-draft/", view(self.new_draft_view),
                 name="privacy_policyversion_new_draft"),
            *super().get_urls(),
        ]

    def _change_url(self, version: PolicyVersion) -> str:
        return reverse("admin:privacy_policyversion_change", args=[version.pk])

    def _version_or_404(self, request, object_id) -> PolicyVersion:
        version = self.get_object(request, unquote(object_id))
        if version is None:
            raise Http404("No policy version with that id.")
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        return version

    def preview_view(self, request, object_id):
        """The draft exactly as the public will see it, at an address only staff reach."""
        version = self._version_or_404(request, object_id)
        current = current_version()
        return TemplateResponse(
            request,
            "privacy/policy.html",
            {
                "version": version,
                "current": current,
                "status": version.state(current=current),
                "preview": True,
                "back_url": self._change_url(version),
                "compare_url": reverse(
                    "admin:privacy_policyversion_preview_compare", args=[version.pk]
                ),
            },
        )

    def preview_compare_view(self, request, object_id):
        version = self._version_or_404(request, object_id)
        current = current_version()
        if current is None or current.pk == version.pk:
            return redirect(self._change_url(version))
        return TemplateResponse(
            request,
            "privacy/compare.html",
            {
                "comparison": policy_versions_compare(old=current, new=version),
                "preview": True,
                "back_url": self._change_url(version),
            },
        )

    def new_draft_view(self, request, object_id):
        """Start the next version from this one's text (asked for with a POST)."""
        version = self._version_or_404(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            draft = policy_version_draft_from(version=version)
            messages.success(
                request,
                f"Draft version {draft.number} starts from version {version.number}'s text. "
                "Edit what changes, say what changed, preview, then publish.",
            )
            return redirect(self._change_url(draft))
        return TemplateResponse(
            request,
            "privacy/admin/policyversion_new_draft.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Draft a new version from version {version.number}",
                "opts": self.model._meta,
                "original": version,
                "change_url": self._change_url(version),
            },
        )

    def publish_view(self, request, object_id):
        version = self._version_or_404(request, object_id)
        if not request.user.has_perm("privacy.publish_policyversion"):
            raise PermissionDenied
        if version.is_published:
            messages.error(request, str(PublishedPolicyError(version.number)))
            return redirect(self._change_url(version))
        form = PolicyPublishForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                published = policy_version_publish(
                    version=version,
                    effective_at=form.chosen_effective_at(),
                    published_by=request.user,
                )
            except ValidationError as error:
                by_field = getattr(error, "error_dict", {NON_FIELD_ERRORS: [error]})
                for field, errors in by_field.items():
                    for message in errors:
                        form.add_error("effective_at" if field == "effective_at" else None, message)
            else:
                messages.success(
                    request,
                    f"Version {published.number} is published. It takes effect on "
                    f"{timezone.localtime(published.effective_at):%d %B %Y at %H:%M}.",
                )
                return redirect(self._change_url(published))
        return TemplateResponse(
            request,
            "privacy/admin/policyversion_publish.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Publish version {version.number}",
                "opts": self.model._meta,
                "original": version,
                "form": form,
                "current": current_version(),
                "preview_url": reverse("admin:privacy_policyversion_preview", args=[version.pk]),
                "change_url": self._change_url(version),
            },
        )


class CollectedSubmissionAdminMixin:
    """For the admin of every model that inherits CollectedSubmission (P3, P9).

    Shows, read-only on each submission's page, the policy version it was collected
    under (linked to the text people saw), its purpose and when it was collected:

        class InquiryAdmin(CollectedSubmissionAdminMixin, admin.ModelAdmin): ...
    """

    collected_submission_fields = ("collected_under", "purpose", "collected_at")
    collected_submission_fieldset = "Collected under"

    @admin.display(description="Privacy policy version")
    def collected_under(self, submission) -> str:
        version = submission.policy_version
        declaration = declaration_for(type(submission))
        email = declaration.person_email(submission) if declaration else ""
        governing = policy_governing(email=email, collected_under=version) if email else None
        return format_html(
            '<a href="{}">Version {}: {}</a>, in force since {} '
            '(<a href="{}">the staff record of this version</a>){}',
            version.get_absolute_url(),
            version.number,
            version.title,
            timezone.localtime(version.effective_at).strftime("%d %B %Y"),
            reverse("admin:privacy_policyversion_change", args=[version.pk]),
            # P9: a person's answer to a later version decides which one governs.
            f"; {governing}" if governing and (governing.declined
                                               or governing.version != version) else "",
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + [f for f in self.collected_submission_fields if f not in readonly]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        shown = {
            name
            for _, options in fieldsets
            for entry in options.get("fields", ())
            for name in (entry if isinstance(entry, (list, tuple)) else (entry,))
        }
        missing = [f for f in self.collected_submission_fields if f not in shown]
        if missing:
            fieldsets.append((self.collected_submission_fieldset, {"fields": missing}))
        return fieldsets
