from django.contrib import admin

from communications.models import OutboundMail


@admin.register(OutboundMail)
class OutboundMailAdmin(admin.ModelAdmin):
    list_display = ["subject", "purpose", "category", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "category", "purpose"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboundMail._meta.fields]

    def has_add_permission(self, request):
        return False
