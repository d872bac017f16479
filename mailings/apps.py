from django.apps import AppConfig


class MailingsConfig(AppConfig):
    name = "mailings"
    verbose_name = "Mailings"

    def ready(self):
        from communications.mailings import mailing_kind_register
        from communications.models import OutboundMail
        from mailings.audiences import announcement_audience
        from mailings.content import announcement_content
        from mailings.models import ServiceAnnouncement

        mailing_kind_register(
            ServiceAnnouncement.kind, category=OutboundMail.Category.SERVICE,
            audience=announcement_audience,
            message=lambda mailing, address: announcement_content(
                mailing.serviceannouncement, address))
