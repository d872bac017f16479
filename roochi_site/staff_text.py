"""Staff-written text (Markdown) turned into HTML that is safe to show the public."""

import re
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
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
    return mark_safe(IMAGE_WITHOUT_SOURCE.sub("", clean))  # noqa: S308
