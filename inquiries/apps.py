from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = "Inquiries"

    def ready(self):
        from inquiries.models import Inquiry
        from mailings.audiences import announcement_audience_register

        # P6: a service announcement reaches everyone whose request is open.
        announcement_audience_register(
            lambda: Inquiry.objects.open().values_list("email", flat=True).iterator())
