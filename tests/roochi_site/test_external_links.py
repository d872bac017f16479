"""Policy, "Links": a link to another site, staff-written or in a template, says so
(visibly, and in its name for screen readers), opens without our page's address
(rel="noopener noreferrer" and the site's Referrer-Policy), and the page says near
the first one that other sites have their own privacy practices. No interstitial, no
redirect: the link goes where it says."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

from pages.models import Page
from roochi_site.staff_text import render_staff_markdown

NOTICE = "We are not responsible for their privacy practices"
MARK = '<span class="external-link-mark"> (another site)</span>'


def test_a_staff_written_link_to_another_site_is_marked_and_followed_by_the_notice():
    html = render_staff_markdown(
        "Intro.\n\nShipped by [Acme](https://acme.example/track?x=1&y=2), see "
        "[shipping](/shipping/) or [us](http://127.0.0.1:8000/about/).\n\n"
        "- [Beta](http://beta.example/) and [mail us](mailto:info@roochi.com)\n\nEnd.")
    assert ('<a href="https://acme.example/track?x=1&amp;y=2" rel="noopener noreferrer" '
            f'class="external-link">Acme{MARK}</a>') in html
    assert (f'<a href="http://beta.example/" rel="noopener noreferrer" class="external-link">'
            f"Beta{MARK}</a>") in html
    # Our own pages and addresses are not other sites.
    assert '<a href="/shipping/" rel="noopener noreferrer">shipping</a>' in html
    assert '<a href="http://127.0.0.1:8000/about/" rel="noopener noreferrer">us</a>' in html
    assert '<a href="mailto:info@roochi.com" rel="noopener noreferrer">mail us</a>' in html
    # Once, right after the paragraph of the first link.
    assert html.count(NOTICE) == 1
    paragraphs = re.findall(r"<p[ >].*?</p>", html, flags=re.S)
    assert "Acme" in paragraphs[1]
    assert NOTICE in paragraphs[2]


def test_text_without_links_to_other_sites_has_no_notice():
    html = render_staff_markdown("See [shipping](/shipping/).\n\n&copy; Roochi <br> Traders")
    assert NOTICE not in html
    assert "external-link" not in html
    assert html == '<p>See <a href="/shipping/" rel="noopener noreferrer">shipping</a>.</p>\n' \
                   "<p>© Roochi <br> Traders</p>"


def test_a_link_outside_any_paragraph_still_gets_the_notice():
    html = render_staff_markdown('<a href="https://acme.example/">Acme</a>')
    assert MARK in html
    assert NOTICE in html


def test_a_template_link_to_another_site_is_marked_the_same_way():
    html = engines["django"].from_string(
        '{% include "includes/external_link.html" with href="https://acme.example/" '
        "text=name %}").render({"name": "Acme & Co"})
    assert html == ('<a href="https://acme.example/" class="external-link" '
                    f'rel="noopener noreferrer">Acme &amp; Co{MARK}</a>')


TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_every_template_link_to_another_site_uses_the_include():
    """A literal address of another site in a template would not be marked."""
    found = []
    for path in TEMPLATES.rglob("*.html"):
        if "mail" in path.parts:
            continue  # mail is not a page
        for href in re.findall(r'<a\b[^>]*\shref="((?:https?:)?//[^"]*)"', path.read_text()):
            found.append(f"{path.relative_to(TEMPLATES)}: {href}")
    assert found == []


def test_the_check_finds_a_literal_link(tmp_path):
    assert re.findall(r'<a\b[^>]*\shref="((?:https?:)?//[^"]*)"',
                      '<p><a class="x" href="https://acme.example/">Acme</a></p>') == [
        "https://acme.example/"]


@pytest.mark.django_db
def test_a_public_page_with_such_a_link_sends_no_referrer_to_other_sites(client):
    Page.objects.filter(slug="about").update(
        body="We buy from [Acme](https://acme.example/).\n\nWe ship worldwide.")
    response = client.get("/about/")
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    assert f'class="external-link">Acme{MARK}</a>' in response.text
    assert response.text.count(NOTICE) == 1
