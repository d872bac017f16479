from django.apps import AppConfig


class MailingsConfig(AppConfig):
    name = "mailings"
    verbose_name = "Mailings"

    def ready(self):
        from communications.mailings import mailing_kind_register
        from communications.models import OutboundMail
        from mailings.audiences import announcement_audience
        from mailings.content import announcement_content, newsletter_content
        from mailings.dashboard import mailings_panel
        from mailings.models import NewsletterIssue, ServiceAnnouncement
        from privacy.services.newsletter import newsletter_subscribers
        from roochi_site.dashboard import dashboard_panel_register

        # P6: confirmed subscribers the mail rule allows; the rule decides again at
        # delivery, so an unsubscribe after the mails were written still counts.
        mailing_kind_register(
            NewsletterIssue.kind, category=OutboundMail.Category.NEWSLETTER,
            audience=lambda mailing: newsletter_subscribers().iterator(),
            message=lambda mailing, address: newsletter_content(
                mailing.newsletterissue, address))
        mailing_kind_register(
            ServiceAnnouncement.kind, category=OutboundMail.Category.SERVICE,
            audience=announcement_audience,
            message=lambda mailing, address: announcement_content(
                mailing.serviceannouncement, address))
        # The staff home page: mailings still being sent.
        dashboard_panel_register("mailings", mailings_panel, order=30, permission=(
            "mailings.view_newsletterissue", "mailings.view_serviceannouncement"))
