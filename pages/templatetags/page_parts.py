"""What the page layouts need beyond the page row itself. Template tags rather than
view context, so that every view drawing a page's layout (a staff preview among
them) draws it the same way."""

import re
from dataclasses import dataclass

from django import template
from django.utils.safestring import SafeString

from pages.models import ContactDetails
from roochi_site.staff_text import render_staff_markdown

register = template.Library()

# A level-2 Markdown heading at the start of a line opens a section of the home page.
SECTION_START = re.compile(r"^(?=## )", flags=re.MULTILINE)


@dataclass(frozen=True)
class BodyParts:
    intro: SafeString
    sections: list[SafeString]


@register.filter
def body_parts(body: str) -> BodyParts:
    """A body split into what comes before its first "## " heading and one part per
    such heading: the home page shows the calls to action after the intro and the
    sections side by side, while staff still write one Markdown text."""
    intro, *sections = SECTION_START.split(body)
    return BodyParts(intro=render_staff_markdown(intro),
                     sections=[render_staff_markdown(section) for section in sections])


@register.simple_tag
def contact_details() -> ContactDetails:
    """The row staff fill in; an unsaved empty one (nothing shown) if it is missing."""
    return ContactDetails.objects.first() or ContactDetails()
