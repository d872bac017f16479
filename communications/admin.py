from django.contrib import admin

from communications.models import OutboundMail
from roochi_site.admin import PersonalDataAdminMixin


@admin.register(OutboundMail)
class OutboundMailAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    # The address and the text are the person's data: the list leaves them out and
    # each look at a mail is logged (P7).
    list_display = ["subject", "purpose", "category", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "category", "purpose"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboundMail._meta.fields]

    def has_add_permission(self, request):
        return False
