"""What each recipient of a staff mailing is sent: the text as staff wrote it (Markdown
source) and its Markdown as HTML, each ending with the kind's own footer. A test to
staff is built by the same functions as a recipient's mail."""

import nh3
from django.template.loader import render_to_string

from communications.content import MailContent, html_in_layout, mail_context, text_paragraphs
from mailings.models import NewsletterIssue, ServiceAnnouncement, StaffMailing
from privacy.services.newsletter import newsletter_list_headers, newsletter_unsubscribe_url
from roochi_site.staff_text import render_staff_markdown

# render_staff_markdown keeps images of our own origin (fine on a page); a mail keeps
# none: fetched when the mail is opened, any image is a clear gif (the policy).
MAIL_TAGS = nh3.ALLOWED_TAGS - {"img"}


def markdown_as_mail_html(text: str) -> str:
    return nh3.clean(render_staff_markdown(text), tags=MAIL_TAGS)


def staff_mailing_content(item: StaffMailing, *, footer_template: str, footer_context: dict,
                          headers: dict[str, str]) -> MailContent:
    footer = render_to_string(footer_template, mail_context(footer_context)).strip()
    body = item.body.replace("\r\n", "\n").strip()
    return MailContent(
        subject=item.subject,
        text=f"{body}\n\n{footer}\n",
        html=html_in_layout(markdown_as_mail_html(body) + text_paragraphs(footer)),
        headers=headers,
    )


def announcement_content(announcement: ServiceAnnouncement, address: str) -> MailContent:
    # P6: no newsletter unsubscribe (service announcements ignore that choice), but how
    # to stop all communication.
    return staff_mailing_content(announcement,
                                 footer_template="mailings/mail/announcement_footer.txt",
                                 footer_context={}, headers={})


def newsletter_content(issue: NewsletterIssue, address: str) -> MailContent:
    # P6, RFC 8058: a one-click unsubscribe, as a signed link at the end of both parts
    # and as List-Unsubscribe (the link and a mailto:) with List-Unsubscribe-Post.
    return staff_mailing_content(
        issue, footer_template="mailings/mail/newsletter_footer.txt",
        footer_context={"unsubscribe_url": newsletter_unsubscribe_url(address)},
        headers=newsletter_list_headers(address))
