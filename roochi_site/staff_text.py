"""Staff-written text (Markdown) turned into HTML that is safe to show the public."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

# An image whose address was not our own has lost its src: it goes entirely.
IMAGE_WITHOUT_SOURCE = re.compile(r"<img\b(?![^>]*\ssrc=)[^>]*>")


def own_origin(url: str) -> bool:
    """A path on this site ("/static/...") or an address under SITE_URL; not "//host"."""
    if url.startswith("/") and not url.startswith("//"):
        return True
    site, target = urlsplit(settings.SITE_URL), urlsplit(url)
    return (target.scheme, target.netloc) == (site.scheme, site.netloc)


def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # P2: public pages load nothing from another origin, whatever staff paste in (a
    # tracking pixel, a hot-linked picture); the CSP would only hide the mistake.
    if tag == "img" and attribute == "src" and not own_origin(value.strip()):
        return None
    return value


def render_staff_markdown(text: str) -> SafeString:
    """Markdown to HTML, then sanitised: no script, no event handler, no style, no
    frame, no image from another origin, and links that cannot act on this page.
    Staff accounts can be phished; the public must not pay for it."""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    clean = nh3.clean(html, link_rel="noopener noreferrer", attribute_filter=keep_attribute)
    return mark_safe(external_links_marked(IMAGE_WITHOUT_SOURCE.sub("", clean)))  # noqa: S308


def other_site(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() in {"http", "https"} and not own_origin(
        url.strip())


# Elements that have no end tag: they do not nest.
VOID_ELEMENTS = frozenset({"area", "br", "col", "hr", "img", "wbr"})


class ExternalLinksMarker(HTMLParser):
    """Policy, "Links": each link to another site says so, in words that screen readers
    read too, and the block (paragraph, list, table) of the first one is followed by
    the notice that other sites have their own privacy practices. Reads the sanitiser's
    output, which is well formed, and writes it back unchanged otherwise."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.depth = 0
        self.in_external_link = False
        self.notice = "pending"  # "pending", "after this block", "done"

    def handle_starttag(self, tag, attrs):
        if tag == "a" and other_site(dict(attrs).get("href") or ""):
            self.in_external_link = True
            self.out.append(self.get_starttag_text()[:-1] + ' class="external-link">')
            if self.notice == "pending":
                self.notice = "after this block"
        else:
            self.out.append(self.get_starttag_text())
        if tag not in VOID_ELEMENTS:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag == "a" and self.in_external_link:
            self.out.append(render_to_string("includes/external_link_mark.html"))
            self.in_external_link = False
        self.out.append(f"</{tag}>")
        self.depth -= 1
        if self.depth == 0 and self.notice == "after this block":
            self.out.append(render_to_string("includes/links_notice.html"))
            self.notice = "done"

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")


def external_links_marked(html: str) -> str:
    marker = ExternalLinksMarker()
    marker.feed(html)
    marker.close()
    if marker.notice == "after this block":  # a link outside any block
        marker.out.append(render_to_string("includes/links_notice.html"))
    return "".join(marker.out)
