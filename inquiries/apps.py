from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = "Inquiries"

    def ready(self):
        from inquiries.models import Inquiry
        from roochi_site.change_history import history_track

        # Who changed what of an inquiry, and when (P7).
        history_track(Inquiry, fields=("status", "assigned_to", "name", "email", "phone",
                                       "reply_by", "company", "topic", "order_number"))
