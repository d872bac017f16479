"""P9: for POLICY_CHANGE_NOTICE_DAYS after a new version takes effect, the home page,
the privacy page and every form say the policy changed, with a link to what changed."""

from datetime import timedelta

import pytest

from privacy.policy import recent_change
from tests.privacy.policy.factories import published

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.privacy.policy.urls")]

NOTICE = "Our privacy policy changed"
LINK = '<a href="/privacy/compare/1/2/">See what changed between version 1 and version 2</a>'
ANNOUNCED_ON = ["/", "/privacy/", "/callback/"]


def test_version_1_alone_announces_no_change(client):
    for path in [*ANNOUNCED_ON, "/about/"]:
        assert NOTICE not in client.get(path).text, path


@pytest.mark.parametrize("path", ANNOUNCED_ON)
def test_a_new_version_is_announced_with_a_link_to_what_changed(client, version_2_since, path):
    version_2_since(3)
    html = client.get(path).text
    assert NOTICE in html
    assert "Version 2 replaced version 1 on" in html
    assert LINK in html


def test_the_notice_stays_off_the_other_pages(client, version_2_since):
    version_2_since(3)
    for path in ["/about/", "/privacy/versions/", "/privacy/versions/1/"]:
        assert NOTICE not in client.get(path).text, path


@pytest.mark.parametrize("path", ANNOUNCED_ON)
def test_the_notice_expires_after_thirty_days(client, version_2_since, path):
    version_2_since(30.01)
    html = client.get(path).text
    assert NOTICE not in html
    assert "Version 2, in force since" in html


def test_the_number_of_days_is_a_setting(client, version_2_since, settings):
    settings.POLICY_CHANGE_NOTICE_DAYS = 45
    version_2_since(40)
    assert NOTICE in client.get("/").text
    settings.POLICY_CHANGE_NOTICE_DAYS = 7
    assert NOTICE not in client.get("/").text


def test_the_notice_is_shown_from_the_effective_date_to_the_last_day(draft_2, version_1):
    effective = version_1.effective_at + timedelta(days=90)
    published(draft_2, effective_at=effective)
    assert recent_change(at=effective - timedelta(seconds=1)) is None
    change = recent_change(at=effective)
    assert (change.version.number, change.previous.number) == (2, 1)
    assert recent_change(at=effective + timedelta(days=30) - timedelta(seconds=1)) is not None
    assert recent_change(at=effective + timedelta(days=30)) is None


def test_a_material_change_says_so(client, draft_2):
    draft_2.is_material = True
    draft_2.save()
    published(draft_2, effective_at=draft_2.created_at)
    assert "the change affects how we use information we already hold" in client.get("/").text


def test_the_notice_adds_no_query_to_the_home_page_after_the_first(
    client, version_2_since, django_assert_num_queries
):
    version_2_since(1)
    client.get("/")
    with django_assert_num_queries(1):  # the home page's own row
        assert NOTICE in client.get("/").text
