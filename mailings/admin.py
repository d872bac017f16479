"""Staff write a newsletter issue or a service announcement, preview it as the mail,
send a test to themselves, then send it (once: it cannot be undone) and follow its
figures. One admin for both kinds."""

import re

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from communications.mailings import mailing_progress
from mailings.content import announcement_content, newsletter_content
from mailings.dashboard import IN_PROGRESS, in_progress
from mailings.models import NewsletterIssue, ServiceAnnouncement, StaffMailing
from mailings.services import MailContentOf, staff_mailing_send, staff_mailing_test_send
from roochi_site.admin import ObjectActionsAdminMixin, PreviewAdminMixin, object_action

# A preview for a staff member without an address of their own.
PREVIEW_ADDRESS = "recipient@example.com"
MAIL_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL)


class SendingFilter(admin.SimpleListFilter):
    """Those being sent, as the staff home page counts them."""

    title = "sending"
    parameter_name = "sending"

    def lookups(self, request, model_admin):
        return [(IN_PROGRESS, "In progress")]

    def queryset(self, request, queryset):
        return in_progress(queryset) if self.value() == IN_PROGRESS else queryset


class StaffMailingAdmin(PreviewAdminMixin, ObjectActionsAdminMixin, admin.ModelAdmin):
    """For an admin of a StaffMailing model; ``mail_content`` builds what one address
    is sent (the recipients' mails and the staff test alike)."""

    mail_content: MailContentOf
    audience_description: str
    list_display = ["__str__", "subject", "created_by", "created_at", "sent"]
    list_select_related = ["created_by", "mailing"]
    search_fields = ["subject"]
    list_filter = [SendingFilter]
    fields = ["subject", "body"]
    sent_fields = ["subject", "body", "created_by", "created_at", "sent_by", "sent_at",
                   "progress"]
    object_actions = ["test", "send"]
    change_form_template = "admin/mailings/staff_mailing_change_form.html"

    class Media:
        css = {"all": ["mailings/admin.css"]}

    @admin.display(description="sent", boolean=True)
    def sent(self, item: StaffMailing) -> bool:
        return item.is_sent

    @admin.display(description="sent at")
    def sent_at(self, item: StaffMailing) -> str:
        return date_format(timezone.localtime(item.mailing.created_at), "j F Y, H:i")

    @admin.display(description="progress")
    def progress(self, item: StaffMailing) -> str:
        progress = mailing_progress(item.mailing)
        return render_to_string("admin/mailings/progress.html", {
            "progress": progress, "change_url": self.object_change_url(item),
            "percent": round(100 * progress.done / progress.total) if progress.total else 0,
        })

    # --- Once sent, read-only ---

    def get_fields(self, request, obj=None):
        return self.sent_fields if obj is not None and obj.is_sent else self.fields

    def get_readonly_fields(self, request, obj=None):
        return self.sent_fields if obj is not None and obj.is_sent else []

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.is_sent) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.is_sent) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_object_actions(self, request, obj):
        return [] if obj.is_sent else super().get_object_actions(request, obj)

    # --- Preview, test, send ---

    def preview_view(self, request, object_id):
        """The mail as a recipient gets it: subject, headers, the HTML part and the
        text part (to the staff member's own address, where the content names it)."""
        item = self.get_object(request, unquote(object_id))
        if item is None:
            raise Http404(f"No {self.model._meta.verbose_name} with that id.")
        if not self.has_view_permission(request, item):
            raise PermissionDenied
        address = request.user.email or PREVIEW_ADDRESS
        content = type(self).mail_content(item, address)
        return TemplateResponse(request, "admin/mailings/preview.html", {
            **self.admin_site.each_context(request),
            "title": f"Preview: {content.subject}",
            "opts": self.model._meta,
            "media": self.media,
            "original": item,
            "change_url": self.object_change_url(item),
            "address": address,
            "content": content,
            "html_body": MAIL_BODY.search(content.html).group(1),
        })

    @object_action(title="Send a test to myself", submit="Send me a test",
                   description="The mail exactly as recipients get it, to your own address. "
                   "It is not counted in the figures.")
    def test(self, request, item, form):
        mail = staff_mailing_test_send(item=item, user=request.user,
                                       content=type(self).mail_content)
        return f"A test is on its way to {mail.to}."

    def get_object_action_description(self, request, obj, name):
        if name == "send":
            return (f"Sends this {obj._meta.verbose_name} to {self.audience_description}. "
                    "Each person's choices are asked again just before their mail goes. "
                    "Once sent it cannot be changed or sent again.")
        return super().get_object_action_description(request, obj, name)

    @object_action(title="Send it", submit="Yes, send it", confirm=True)
    def send(self, request, item, form):
        staff_mailing_send(item=item, user=request.user)
        return (f"The {item._meta.verbose_name} is being sent; the figures below follow "
                "it.")


@admin.register(ServiceAnnouncement)
class ServiceAnnouncementAdmin(StaffMailingAdmin):
    mail_content = announcement_content
    audience_description = (
        "our clients and everyone whose request is open (an inquiry or a privacy "
        "request), whatever their newsletter choice, except those who stopped all "
        "communication, were deactivated or erased")


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(StaffMailingAdmin):
    mail_content = newsletter_content
    audience_description = (
        "every confirmed subscriber who has not unsubscribed or stopped all "
        "communication since; each mail carries a one-click unsubscribe")
