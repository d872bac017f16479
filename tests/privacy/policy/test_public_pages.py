"""What visitors read: the policy in force, the archive, every version at its own
address (P9), with the footer costing no query after the first page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.policy import current_version
from tests.privacy.policy.factories import PolicySectionFactory, published

pytestmark = pytest.mark.django_db


def test_the_privacy_page_shows_the_version_in_force_with_a_table_of_contents(client, version_1):
    html = client.get("/privacy/").text
    assert "Version 1, in force since" in html
    assert '<time datetime="2026-01-01T00:00:00-08:00">1 January 2026</time>' in html
    assert '<a href="/privacy/versions/">Every version of this policy' in html
    toc = re.search(r'<nav class="policy-toc".*?</nav>', html, flags=re.DOTALL).group()
    links = re.findall(r'<a href="#(section-\d+)">([^<]+)</a>', toc)
    assert len(links) == 23
    assert links[0] == ("section-1", "Information Collection and Use")
    for anchor, heading in links:
        assert f'<h2 id="{anchor}">{heading}</h2>' in html


def test_the_archive_lists_every_published_version_with_its_date_and_summary(
    client, version_2_since, draft_2
):
    version_2_since(3)
    PolicySectionFactory(version__title="Draft nobody may see")
    html = client.get("/privacy/versions/").text
    for number in (2, 1):
        link = f'<a href="/privacy/versions/{number}/">Version {number}: Roochi Traders Inc.'
        assert link in html
    assert "The cookies section now says the public site sets no cookie." in html
    assert "The first published version of our privacy policy." in html
    assert "1 January 2026" in html
    assert re.search(r"In force from\s*<time[^>]*>1 January 2026</time>\s*to <time", html)
    assert '<a href="/privacy/compare/1/2/">What changed since version 1</a>' in html
    assert "Draft nobody may see" not in html
    assert html.index("Version 2:") < html.index("Version 1:")


def test_each_version_keeps_its_permanent_address(client, version_2_since):
    version_2_since(1)
    old = client.get("/privacy/versions/1/").text
    assert "in force from" in old
    assert "This version is no longer in force" in old
    assert '<a href="/privacy/">Read version 2, in force now</a>' in old
    assert "We currently have to such partnerships in effect." in old
    current = client.get("/privacy/versions/2/").text
    assert "in force since" in current
    assert "We set no cookie on our public pages" in current


def test_a_scheduled_version_is_announced_readable_and_says_when_it_takes_effect(
    client, draft_2
):
    published(draft_2, effective_at=timezone.now() + timedelta(days=6))
    html = client.get("/privacy/versions/2/").text
    assert "takes effect on" in html
    assert "scheduled" in html
    policy = client.get("/privacy/").text
    assert "Version 1, in force since" in policy
    assert "A new version is coming.</strong> Version 2 takes effect on" in policy
    assert '<a href="/privacy/compare/1/2/">See what will change</a>' in policy
    assert "Scheduled:</strong> takes effect on" in client.get("/privacy/versions/").text


@pytest.mark.parametrize("path", ["/privacy/versions/0/", "/privacy/versions/99/",
                                  "/privacy/versions/99999999999999999999/"])
def test_an_unknown_version_number_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_a_draft_is_not_public(client, draft_2):
    assert client.get("/privacy/versions/2/").status_code == 404


def test_the_policy_pages_are_in_the_sitemap(client):
    xml = client.get("/sitemap.xml").text
    assert "/privacy/</loc>" in xml
    assert "/privacy/versions/</loc>" in xml


@pytest.mark.usefixtures("deployment_page_cache")
def test_the_privacy_page_costs_no_query_after_the_first(client, django_assert_num_queries):
    client.get("/privacy/")
    with django_assert_num_queries(0):
        html = client.get("/privacy/").text
    assert "Version 1, in force since" in html


def test_the_footer_adds_no_query_to_a_page_after_the_first(
    client, django_assert_num_queries, settings
):
    settings.PUBLIC_PAGE_CACHE_RECHECK_SECONDS = 0  # no page cache to hide the footer's cost
    client.get("/about/")
    with django_assert_num_queries(2):  # the pages' content generation and the page's row
        html = client.get("/security/").text
    assert "Version 1, in force since" in html


def test_the_footer_follows_the_version_in_force(client, version_2_since):
    version_2_since(2)
    for path in ["/", "/about/", "/privacy/versions/1/", "/privacy/versions/"]:
        assert "Version 2, in force since" in client.get(path).text, path
    assert current_version(refresh=True).number == 2


@pytest.mark.parametrize(
    "path",
    ["/", "/about/", "/contact/", "/privacy/", "/privacy/versions/", "/privacy/versions/1/",
     "/privacy/compare/1/1/", "/privacy/versions/99/", "/no-such-page/"],
)
def test_every_public_page_names_the_version_in_force_in_its_footer(client, path):
    footer = re.search(r"<footer.*</footer>", client.get(path).text, re.DOTALL).group()
    assert '<a href="/privacy/">Privacy policy</a>' in footer
    assert "Version 1, in force since" in footer
    assert ">1 January 2026</time>" in footer
