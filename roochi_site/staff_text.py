"""Staff-written text (Markdown) turned into HTML that is safe to show the public."""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe


def render_staff_markdown(text: str) -> SafeString:
    """Markdown to HTML, then sanitised: no script, no event handler, no style, no
    frame, and links that cannot act on this page. Staff accounts can be phished; the
    public must not pay for it."""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return mark_safe(nh3.clean(html, link_rel="noopener noreferrer"))  # noqa: S308
