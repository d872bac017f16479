from django.contrib import admin

from privacy.models import PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "effective_at", "published_at", "is_material"]
