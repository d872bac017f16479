import copy
from typing import override

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html

from pages.images import image_delete, image_drafts, image_store, pixels_only
from pages.models import Category, ContactDetails, Image, Page, Revision
from pages.revisions import (
    content_save,
    draft_applied,
    draft_differences,
    draft_discard,
    draft_publish,
    pending_draft,
    revision_conflict,
    revision_event,
    revision_owner_filter,
    revision_restore,
    revision_token,
    revisions_with_differences,
)
from pages.views import category_response, page_response
from roochi_site.admin import ObjectActionsAdminMixin, PreviewAdminMixin, object_action


class RevisionRestoreForm(forms.Form):
    revision = forms.ModelChoiceField(queryset=Revision.objects.none(),
                                      label="Revision to restore")

    def __init__(self, *args, obj=None, initial_revision=None, **kwargs):
        super().__init__(*args, **kwargs)
        revisions = Revision.objects.filter(**revision_owner_filter(obj))
        self.fields["revision"].queryset = revisions
        self.fields["revision"].label_from_instance = lambda revision: (
            f"Revision {revision.number}, saved {revision.saved_at:%Y-%m-%d %H:%M}")
        if initial_revision and revisions.filter(pk=initial_revision).exists():
            self.fields["revision"].initial = initial_revision


class DraftForm(forms.Form):
    """Names the draft staff looked at: a draft replaced since (another save) is not
    the one they meant to publish or discard."""

    draft = forms.ModelChoiceField(
        queryset=Revision.objects.none(), widget=forms.RadioSelect, empty_label=None,
        error_messages={
            "required": "There is no draft to act on: the public page is all there is.",
            "invalid_choice": "That draft is no longer waiting: it was published, "
            "discarded or replaced by a later save. Go back to the page to see the "
            "current one."})

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        drafts = Revision.objects.filter(**revision_owner_filter(obj),
                                         status=Revision.Status.DRAFT)
        self.fields["draft"].queryset = drafts.select_related("saved_by")
        self.fields["draft"].initial = drafts.values_list("pk", flat=True).first()
        self.fields["draft"].label_from_instance = lambda draft: (
            f"Revision {draft.number}, saved {timezone.localtime(draft.saved_at):%Y-%m-%d %H:%M}"
            f" by {draft.saved_by.get_username() if draft.saved_by else 'the site'}")


class DraftPublishForm(DraftForm):
    go_live_at = forms.SplitDateTimeField(
        # The browser's own date and time inputs: the admin's calendar shortcuts are
        # links too small to hit (WCAG 2.5.8).
        required=False, label="Publish at",
        widget=forms.SplitDateTimeWidget(date_attrs={"type": "date", "aria-label": "Date"},
                                         time_attrs={"type": "time", "aria-label": "Time"},
                                         date_format="%Y-%m-%d", time_format="%H:%M"),
)


class RevisedForm(forms.ModelForm):
    """A page's or a category's form, carrying the revision it was shown at: a save
    based on an older one would overwrite a colleague's work unseen."""

    based_on = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["based_on"].initial = revision_token(self.instance)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        latest = revision_conflict(obj=self.instance,
                                   based_on=cleaned_data.get("based_on") or "")
        if latest is not None:
            # Shown again at the latest revision: saving once more, having been told,
            # is a choice, not an accident.
            self.data = self.data.copy()
            self.data[self.add_prefix("based_on")] = revision_token(self.instance)
            who = latest.decided_by or latest.saved_by
            when = timezone.localtime(latest.decided_at or latest.saved_at)
            raise ValidationError(
                f"Not saved: while you were editing, {who.get_username() if who else 'the site'} "
                f"{revision_event(latest)} "
                f"revision {latest.number} ({when:%Y-%m-%d %H:%M}). Your changes are still "
                "in the form; see the revisions below for theirs. Save again to replace "
                "theirs with yours.", code="edited_meanwhile")
        return cleaned_data


class RevisedAdmin(PreviewAdminMixin, ObjectActionsAdminMixin, admin.ModelAdmin):
    """Drafts, a preview exactly as the public will see it, publishing now or at a
    chosen time, and revisions with who changed what and a restore that asks first
    (pages/revisions.py). Staff edit and preview a live row's draft; the public keeps
    the row."""

    form = RevisedForm
    change_form_template = "admin/pages/revised_change_form.html"
    object_actions = ["publish_draft", "discard_draft", "restore_revision"]
    list_filter = ["published"]
    readonly_fields = ["state"]
    # The revision's field naming its row: "page" or "category".
    revision_owner = ""

    def get_queryset(self, request):
        drafts = Revision.objects.filter(**{self.revision_owner: OuterRef("pk")},
                                         status=Revision.Status.DRAFT)
        return super().get_queryset(request).annotate(
            has_draft=Exists(drafts), draft_go_live_at=Subquery(drafts.values("go_live_at")))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and obj.has_draft:
            draft_applied(obj)
        return obj

    @admin.display(description="state")
    def state(self, obj):
        if obj.pk is None:
            return "Draft"
        if not obj.has_draft:
            return obj.state
        if obj.draft_go_live_at is not None:
            return (f"Live, with changes to be published on "
                    f"{timezone.localtime(obj.draft_go_live_at):%d %B %Y, %H:%M}")
        return "Live, with unpublished changes"

    def get_readonly_fields(self, request, obj=None):
        # The address is part of the site's links and the sitemap: fixed once made.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields

    def get_changeform_initial_data(self, request):
        # Something new starts as a draft: it is public only once staff say so.
        return {"published": False, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        replaced = pending_draft(obj) if change else None
        revision = content_save(obj=obj, saved_by=request.user)
        if revision.status == Revision.Status.DRAFT:
            schedule = (" The earlier draft's scheduled publication is cancelled: "
                        "publish this one when it is ready."
                        if replaced is not None and replaced.go_live_at else "")
            messages.warning(request, f"Kept as a draft (revision {revision.number}): the "
                             "public still sees the published version. Preview it, then "
                             f"publish it now or at a chosen time.{schedule}")

    def preview_view(self, request, object_id):
        """The row exactly as the public will see it (the public view's own template
        and context): its draft when it has one, at an address only staff reach; never
        cached (the admin's views are never_cache)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("Nothing with that id.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        # Drawn as at its public address, so that what depends on the path (the
        # navigation's current page) is as the public will see it.
        at_public_address = copy.copy(request)
        at_public_address.path = at_public_address.path_info = obj.get_absolute_url()
        response = self.public_response(at_public_address, obj)
        response["X-Robots-Tag"] = "noindex"
        return response

    @override
    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        if obj is not None:
            context["preview_url"] = self.preview_url(obj)
            context["revisions"] = revisions_with_differences(obj)
            context["restore_url"] = self.object_action_url(obj, "restore_revision")
            draft = pending_draft(obj) if obj.has_draft else None
            if draft is not None:
                context["draft"] = draft
                context["draft_differences"] = draft_differences(obj, draft)
        response = super().render_change_form(request, context, add=add, change=change,
                                              form_url=form_url, obj=obj)
        if obj is None or not type(obj).objects.published().filter(pk=obj.pk).exists():
            # A draft or a scheduled row has no public address yet: that would be a 404.
            response.context_data["has_absolute_url"] = False
        return response

    def get_object_actions(self, request, obj):
        names = super().get_object_actions(request, obj)
        if obj.has_draft:
            return names
        return [name for name in names if name not in {"publish_draft", "discard_draft"}]

    def get_object_action_form_kwargs(self, request, obj, name):
        if name == "restore_revision":
            return {"obj": obj, "initial_revision": request.GET.get("revision")}
        return {"obj": obj}

    def get_object_action_confirmation_context(self, request, obj, name, form):
        draft = pending_draft(obj) if name != "restore_revision" else None
        if draft is None:
            return {}
        return {"confirmation_template": "admin/pages/includes/draft_differences.html",
                "draft": draft, "draft_differences": draft_differences(obj, draft)}

    @object_action(form=DraftPublishForm, title="Publish the draft", submit="Publish",
                   confirm=True,
                   description="Puts the draft's words and picture on the public page: now, "
                   "with “Publish at” left empty, or by itself at a date and time still to "
                   "come (the site's time zone). Until then the public sees the published "
                   "version. (An earlier revision can be restored as a new draft.)")
    def publish_draft(self, request, obj, form):
        draft = draft_publish(draft=form.cleaned_data["draft"], published_by=request.user,
                              go_live_at=form.cleaned_data["go_live_at"])
        if draft.status == Revision.Status.PUBLISHED:
            return f"Revision {draft.number} is published: the public sees it now."
        return (f"Revision {draft.number} will be published on "
                f"{timezone.localtime(draft.go_live_at):%d %B %Y, %H:%M}, by itself. Until "
                "then the public sees the published version.")

    @object_action(form=DraftForm, title="Discard the draft", submit="Discard the draft",
                   confirm=True,
                   description="Drops the unpublished changes (and their scheduled "
                   "publication): the page stays as the public sees it. The draft stays in "
                   "the revisions, from where it can be restored.")
    def discard_draft(self, request, obj, form):
        draft = draft_discard(draft=form.cleaned_data["draft"], discarded_by=request.user)
        return f"Revision {draft.number} discarded: the page is as the public sees it."

    @object_action(form=RevisionRestoreForm, title="Restore an earlier revision",
                   submit="Restore this revision", confirm=True,
                   description="Brings the revision's words and picture back as a new "
                   "revision (nothing is lost: the current one stays in the list). On a "
                   "page the public sees, it becomes a draft to preview and publish; "
                   "whether and when the page is public does not change.")
    def restore_revision(self, request, obj, form):
        restored = revision_restore(revision=form.cleaned_data["revision"],
                                    restored_by=request.user)
        number = restored.restored_from.number
        if restored.status == Revision.Status.DRAFT:
            return (f"Revision {number} restored as a draft (revision {restored.number}): "
                    "the public still sees the published version until you publish it.")
        return f"Revision {number} restored as revision {restored.number}."

    @admin.display(description="public page")
    def view_on_site_link(self, obj):
        if not obj.is_public:
            return "not public"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.get_absolute_url())


@admin.register(Page)
class PageAdmin(RevisedAdmin):
    list_display = ["title", "slug", "state", "updated_at", "view_on_site_link"]
    search_fields = ["title", "body"]
    fields = ["title", "slug", "meta_description", "body", "image", "published", "publish_at",
              "state"]
    public_response = staticmethod(page_response)
    revision_owner = "page"


@admin.register(Category)
class CategoryAdmin(RevisedAdmin):
    # The order is a revised field, edited in the category's form like its words: a
    # list edit would bypass the draft of a live category.
    list_display = ["name", "order", "state", "updated_at", "view_on_site_link"]
    search_fields = ["name", "summary", "body"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "summary", "body", "image", "order", "published", "publish_at",
              "state"]
    public_response = staticmethod(category_response)
    revision_owner = "category"

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields


class ImageForm(forms.ModelForm):
    upload = forms.FileField(
        required=False, label="Picture",
        help_text="JPEG, PNG, WebP, AVIF or GIF. Its metadata (place, camera, date) is "
        "removed and it is stored at a few widths for phones and screens.")

    class Meta:
        model = Image
        fields = ["upload", "alt_text", "decorative"]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload is None:
            if self.instance.pk is None:
                raise ValidationError("Choose a picture to upload.", code="required")
            return None
        return pixels_only(upload)


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "__str__", "decorative", "width", "height", "uploaded_at",
                    "uploaded_by"]
    list_select_related = ["uploaded_by"]
    search_fields = ["alt_text"]
    readonly_fields = ["thumbnail", "width", "height", "uploaded_at", "uploaded_by"]

    @admin.display(description="picture")
    def thumbnail(self, image):
        if not image.renditions:
            return "-"
        picture = image.picture
        return format_html('<img src="{}" alt="{}" width="80" height="{}">', picture["src"],
                           image.alt_text, round(80 * picture["height"] / picture["width"]))

    def save_model(self, request, obj, form, change):
        picture = form.cleaned_data.get("upload")
        if picture is None:
            obj.save()
        else:
            image_store(picture=picture, image=obj, alt_text=obj.alt_text,
                        decorative=obj.decorative, uploaded_by=request.user)

    def get_deleted_objects(self, objs, request):
        """Django's confirmation page lists what protects a picture (a page or a
        category showing it) and offers no button; a pending draft that names it
        protects it too."""
        deleted, counts, permissions_needed, protected = super().get_deleted_objects(
            objs, request)
        for image in objs:
            for draft in image_drafts(image).select_related("page", "category"):
                kind, owner = ("page", draft.page) if draft.page_id else ("category",
                                                                          draft.category)
                protected.append(f"The pending draft of the {kind} \u201c{owner}\u201d, "
                                 f"which shows {image}")
        return deleted, counts, permissions_needed, protected

    def delete_model(self, request, obj):
        image_delete(image=obj)

    def delete_queryset(self, request, queryset):
        for image in queryset:
            image_delete(image=image)


NOT_FILLED_IN = "Not filled in yet: the contact page shows nothing in its place."


@admin.register(ContactDetails)
class ContactDetailsAdmin(admin.ModelAdmin):
    """One row (the migration makes it), never added or deleted; what is still empty is
    said here, to staff, and left out of the public page."""

    list_display = ["__str__", "postal_address_shown", "opening_hours_shown", "updated_at"]
    fields = ["postal_address", "opening_hours"]

    @admin.display(description="Postal address")
    def postal_address_shown(self, details):
        return ", ".join(details.postal_address_lines) or NOT_FILLED_IN

    @admin.display(description="Opening hours")
    def opening_hours_shown(self, details):
        return "; ".join(details.opening_hours_lines) or NOT_FILLED_IN

    def has_add_permission(self, request):
        # The migration made the one row; asking the database here would cost a query
        # on every admin page (the menu asks every model).
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        for name in ["postal_address", "opening_hours"]:
            if obj is not None and not getattr(obj, name).strip():
                label = ContactDetails._meta.get_field(name).verbose_name.capitalize()
                messages.warning(request, f"{label}: {NOT_FILLED_IN}")
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)
