import copy
from typing import override

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.html import format_html

from pages.images import image_delete, image_store, pixels_only
from pages.models import Category, ContactDetails, Image, Page, Revision
from pages.revisions import revision_record, revision_restore, revisions_with_differences
from pages.views import category_response, page_response
from roochi_site.admin import ObjectActionsAdminMixin, PreviewAdminMixin, object_action


class RevisionRestoreForm(forms.Form):
    revision = forms.ModelChoiceField(queryset=Revision.objects.none(),
                                      label="Revision to restore")

    def __init__(self, *args, obj=None, initial_revision=None, **kwargs):
        super().__init__(*args, **kwargs)
        revisions = Revision.objects.filter(
            **({"page": obj} if isinstance(obj, Page) else {"category": obj}))
        self.fields["revision"].queryset = revisions
        self.fields["revision"].label_from_instance = lambda revision: (
            f"Revision {revision.number}, saved {revision.saved_at:%Y-%m-%d %H:%M}")
        if initial_revision and revisions.filter(pk=initial_revision).exists():
            self.fields["revision"].initial = initial_revision


class RevisedAdmin(PreviewAdminMixin, ObjectActionsAdminMixin, admin.ModelAdmin):
    """Drafts, a preview exactly as the public will see it, publishing now or at a
    chosen time, and revisions with who changed what and a restore that asks first."""

    change_form_template = "admin/pages/revised_change_form.html"
    object_actions = ["restore_revision"]
    list_filter = ["published"]
    readonly_fields = ["state"]

    @admin.display(description="state")
    def state(self, obj):
        return obj.state if obj.pk else "Draft"

    def get_readonly_fields(self, request, obj=None):
        # The address is part of the site's links and the sitemap: fixed once made.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields

    def get_changeform_initial_data(self, request):
        # Something new starts as a draft: it is public only once staff say so.
        return {"published": False, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        revision_record(obj=obj, saved_by=request.user)

    def preview_view(self, request, object_id):
        """The row exactly as the public will see it (the public view's own template
        and context), draft or scheduled, at an address only staff reach; never cached
        (the admin's views are never_cache)."""
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
        response = super().render_change_form(request, context, add=add, change=change,
                                              form_url=form_url, obj=obj)
        if obj is None or not obj.is_public:
            # A draft or a scheduled row has no public address yet: that would be a 404.
            response.context_data["has_absolute_url"] = False
        return response

    def get_object_action_form_kwargs(self, request, obj, name):
        return {"obj": obj, "initial_revision": request.GET.get("revision")}

    @object_action(form=RevisionRestoreForm, title="Restore an earlier revision",
                   submit="Restore this revision", confirm=True,
                   description="Puts the revision's words and picture back, as a new "
                   "revision (nothing is lost: the current one stays in the list). Whether "
                   "and when it is public does not change.")
    def restore_revision(self, request, obj, form):
        restored = revision_restore(revision=form.cleaned_data["revision"],
                                    restored_by=request.user)
        return f"Revision {restored.restored_from.number} restored as revision {restored.number}."

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


@admin.register(Category)
class CategoryAdmin(RevisedAdmin):
    # The order is set on each category's page, where a change is a revision: the
    # list's editable column bypassed that, and Django draws its inputs unlabelled.
    list_display = ["name", "order", "state", "updated_at", "view_on_site_link"]
    search_fields = ["name", "summary", "body"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "summary", "body", "image", "order", "published", "publish_at",
              "state"]
    public_response = staticmethod(category_response)

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
