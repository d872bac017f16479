from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = "Inquiries"

    def ready(self):
        from communications.inbox import inbound_route_register
        from inquiries.dashboard import inquiries_panel
        from inquiries.inbox import inquiry_reply_route
        from inquiries.models import Inquiry
        from mailings.audiences import announcement_audience_register
        from roochi_site.change_history import history_track
        from roochi_site.dashboard import dashboard_panel_register

        # After the opt-outs: "unsubscribe" in a reply's subject is an opt-out.
        inbound_route_register("inquiry-reply", inquiry_reply_route, order=20)
        # P6: a service announcement reaches everyone whose request is open.
        announcement_audience_register(
            lambda: Inquiry.objects.open().values_list("email", flat=True).iterator())
        # Who changed what of an inquiry, and when (P7).
        history_track(Inquiry, fields=("status", "assigned_to", "name", "email", "phone",
                                       "reply_by", "company", "topic", "order_number"))
        # The staff home page: what is waiting, for those who may see inquiries.
        dashboard_panel_register("inquiries", inquiries_panel,
                                 permission="inquiries.view_inquiry", order=10)
