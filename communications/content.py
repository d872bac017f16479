"""What a mail says, as text and as HTML, and the identity it is sent under.

Every mail is multipart: the text as written, and the same text as simple HTML, which
is made from the stored text when the mail is sent (a submission then renders only
its text), unless the mail has HTML of its own (a newsletter written in Markdown).
The HTML holds no image from anywhere and no link other than the ones in the text,
each to its own address: the policy promises no clear gifs, so nothing in a mail may
tell us when, where or whether it was read (tests/communications/test_mail_content.py).
"""

import re
from dataclasses import dataclass, field
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape, linebreaks, urlize

from roochi_site.company import company


@dataclass(frozen=True)
class MailContent:
    subject: str
    text: str
    # The mail's own HTML part; empty for the text's, made when the mail is sent.
    html: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def message_id_new() -> str:
    """A Message-ID on the site's own domain, so replies can be matched to it."""
    return make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "localhost")


# A word with no "@", and no dot or colon before another character, can be no web or
# mail address (urlize strips a sentence's last dot or colon before it looks): urlize
# would only escape it, after work of its own that costs most of a mail's rendering.
# The words between two candidates are escaped in one piece (escape costs per call).
ADDRESS_CANDIDATE_WORD = re.compile(r"(\S*(?:@|[.:](?=\S))\S*)")


def text_linked(text: str) -> str:
    """``urlize(text, nofollow=False, autoescape=True)``, asked only of the words that
    may be addresses (urlize works word by word, so the result is the same)."""
    # re.split with one group puts the words it matched at the odd places.
    return "".join(urlize(part, nofollow=False, autoescape=True) if place % 2 else escape(part)
                   for place, part in enumerate(ADDRESS_CANDIDATE_WORD.split(text)))


def text_paragraphs(text: str) -> str:
    """The text as HTML paragraphs, its addresses made links to themselves."""
    return linebreaks(text_linked(text), autoescape=False)


def html_in_layout(html: str) -> str:
    """A mail's HTML part: the fragment inside the one mail layout."""
    return render_to_string("communications/mail/layout.html", {"content": html})


def text_as_html(text: str) -> str:
    return html_in_layout(text_paragraphs(text))


def mail_html(text: str, html: str) -> str:
    """What a mail's HTML part says: its own HTML, or else its text as HTML."""
    return html or text_as_html(text)


def mail_context(context: dict) -> dict:
    """What every mail template may use, besides its own context."""
    return {**context, "site_url": settings.SITE_URL, "company": company()}


def mail_content_render(*, subject: str, template_name: str, context: dict,
                        html: str | None = None,
                        headers: dict[str, str] | None = None) -> MailContent:
    """A mail's text from its template, and the caller's own HTML in the mail layout
    (a newsletter written in Markdown); without, the text is the HTML's too."""
    text = render_to_string(template_name, mail_context(context)).strip() + "\n"
    return MailContent(subject=subject, text=text,
                       html=html_in_layout(html) if html is not None else "",
                       headers=headers or {})
