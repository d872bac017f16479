"""Every mail is multipart text and HTML, under a Message-ID of the site's own domain,
and nothing in it can tell us that it was read: no image from anywhere, no link that
is not the one written in the text (the policy: no clear gifs)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import hypothesis
import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import urlize
from hypothesis import given
from hypothesis import strategies as st

from communications.content import mail_context, text_as_html, text_linked
from communications.models import OutboundMail
from communications.services import mail_queue

ROOT = Path(settings.BASE_DIR)
# Every mail is written from a template under a "mail" folder (communications.content).
MAIL_TEMPLATES = sorted(
    path.relative_to(ROOT / "templates").as_posix()
    for path in (ROOT / "templates").rglob("mail/*.txt")
)


class Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.links, self.sources = [], [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img":
            self.images.append(attributes)
        if tag == "a":
            self.links.append(attributes.get("href"))
        self.sources += [value for name, value in attrs if name in {"src", "srcset", "background"}]


def markup_of(html: str) -> Markup:
    markup = Markup()
    markup.feed(html)
    return markup


def assert_nothing_tracks(text: str, html: str) -> None:
    markup = markup_of(html)
    assert markup.images == []
    assert markup.sources == []
    assert "url(" not in html  # no background image through a style
    for link in markup.links:
        # The address as written in the text, not a redirector that counts clicks.
        assert link in text or link == f"mailto:{link.removeprefix('mailto:')}"
        assert link.removeprefix("mailto:") in text


def test_every_mail_template_is_found():
    assert "inquiries/mail/reply.txt" in MAIL_TEMPLATES
    assert "privacy/requests/mail/verify.txt" in MAIL_TEMPLATES


@pytest.mark.parametrize("template_name", MAIL_TEMPLATES)
def test_no_mail_template_yields_an_image_or_a_rewritten_link(template_name):
    text = render_to_string(template_name, mail_context({}))
    html = text_as_html(text)
    assert_nothing_tracks(text, html)
    # Each address the text shows is a link to itself in the HTML.
    for address in re.findall(r"https?://[^\s<>\"]+", text):
        assert f'href="{address}"' in html


def test_html_part_escapes_what_a_visitor_typed():
    html = text_as_html("Quoted: <img src=https://evil.example/p.gif> & more")
    assert "<img" not in html
    assert "&lt;img" in html


@pytest.mark.usefixtures("committed_db")  # the worker commits and closes connections
def test_a_mail_goes_as_text_and_html_with_the_sites_message_id(smtp_server, run_tasks):
    mail = mail_queue(
        to="Ana@Example.com", subject="Your request RT-TEST",
        template_name="communications/mail/footer.txt", context={},
        category=OutboundMail.Category.REPLY, purpose="test",
        headers={"Reply-To": settings.COMPANY_SUPPORT_EMAIL},
    )
    run_tasks()
    [message] = smtp_server.messages
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"{settings.SITE_URL}/privacy/" in text
    assert f'href="{settings.SITE_URL}/privacy/"' in html
    assert_nothing_tracks(text, html)
    assert message["Message-ID"] == mail.message_id
    assert re.fullmatch(r"<[^@]+@127\.0\.0\.1>", mail.message_id)
    assert message["Reply-To"] == settings.COMPANY_SUPPORT_EMAIL


# urlize warns of its default protocol for www. addresses, alike on both sides.
@pytest.mark.filterwarnings("ignore:The default protocol will be changed")
@hypothesis.settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "see", "www.roochi.com", "https://roochi.com/a?b=1&c=<2>", "ana@example.com", "a.b",
    "<b>", "&", '"quoted"', "'", "(www.x.org)", "mailto:x@y.z", "end.", "10:30", "\n", " ",
    "\n\n", "\t", "ü@ü.de", "x:y", "..."]), max_size=30).map("".join))
def test_links_are_made_as_urlize_makes_them_word_by_word_or_not(text):
    assert text_linked(text) == urlize(text, nofollow=False, autoescape=True)
