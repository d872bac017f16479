from django.contrib import admin

from communications.models import OutboundMail, UndeliverableAddress
from roochi_site.admin import PersonalDataAdminMixin, SuperuserOnlyAdminMixin
from roochi_site.masking import masked_email


@admin.register(OutboundMail)
class OutboundMailAdmin(SuperuserOnlyAdminMixin, PersonalDataAdminMixin, admin.ModelAdmin):
    """The raw queue of outgoing mail, for those who operate the site: staff see a
    person's mail where their job is, in the inquiry's or the request's timeline. The
    address and the text are the person's data: the list leaves them out and each look
    at a mail is logged (P7)."""

    list_display = ["subject", "purpose", "category", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "category", "purpose"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboundMail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a mail is kept as it was written; an operator may delete one


@admin.register(UndeliverableAddress)
class UndeliverableAddressAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    """Addresses a bounce marked: staff find one by its address and delete the mark
    when the person says their mailbox works again (the list masks the address, P7)."""

    list_display = ["address", "status_code", "marked_at"]
    search_fields = ["email"]
    search_help_text = "The whole email address"
    date_hierarchy = "marked_at"
    readonly_fields = ["email", "marked_at", "status_code"]

    @admin.display(description="address")
    def address(self, undeliverable):
        return masked_email(undeliverable.email)

    def has_add_permission(self, request):
        return False  # only a bounce marks an address

    def has_change_permission(self, request, obj=None):
        return False
