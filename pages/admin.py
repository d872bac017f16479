from django.contrib import admin, messages
from django.utils.html import format_html

from pages.models import ContactDetails, Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "published", "updated_at", "view_on_site_link"]
    list_filter = ["published"]
    search_fields = ["title", "body"]
    fields = ["title", "slug", "meta_description", "body", "published"]

    def get_readonly_fields(self, request, obj=None):
        # A page's address is part of the site's links and the sitemap: fixed once made.
        return ["slug"] if obj else []

    @admin.display(description="Public page")
    def view_on_site_link(self, page):
        return format_html('<a href="{}">{}</a>', page.get_absolute_url(), page.get_absolute_url())


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
