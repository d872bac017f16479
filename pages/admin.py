from django.contrib import admin
from django.utils.html import format_html

from pages.models import Page


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
