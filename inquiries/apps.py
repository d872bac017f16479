from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = "Inquiries"

    def ready(self):
        from communications.inbox import inbound_route_register
        from inquiries.inbox import inquiry_reply_route

        # After the opt-outs: "unsubscribe" in a reply's subject is an opt-out.
        inbound_route_register("inquiry-reply", inquiry_reply_route, order=20)
