from mailings.models import NewsletterIssue, ServiceAnnouncement
from roochi_site.personal_data import not_personal

for model in (NewsletterIssue, ServiceAnnouncement):
    not_personal(
        model,
        fields=("subject", "body"),
        reason="Written by staff to many people at once; each recipient's copy is an "
        "OutboundMail, declared by communications.",
    )
