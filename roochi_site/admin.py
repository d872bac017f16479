"""Admin pieces shared by the apps."""

from django.contrib import admin


class EvidenceAdmin(admin.ModelAdmin):
    """A record kept as evidence of what staff did (an export, a look at personal data,
    P7): staff with the view permission read it; nobody adds, edits or deletes it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
