"""The statistics page and its CSV export, for staff with the permission only; bad
input in the address gives a clear message, never a 500."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sitestats.forms import today_utc
from sitestats.models import Count, VisitorDay
from tests.staff import staff_sign_in

pytestmark = pytest.mark.usefixtures("stats")
Kind = Count.Kind
PAGE = "/admin/sitestats/count/"
EXPORT = "/admin/sitestats/count/export/"
CHART = "/admin/sitestats/count/chart.svg"


def staff_member(*, may_view: bool):
    user = get_user_model().objects.create_user(
        f"staff-{may_view}", f"staff-{may_view}@roochi.com", "x" * 16, is_staff=True)
    if may_view:
        user.user_permissions.add(Permission.objects.get(codename="view_count"))
    return user


@pytest.fixture
def viewer(client):
    staff_sign_in(client, staff_member(may_view=True))
    return client


@pytest.fixture
def some_days():
    today = today_utc()
    yesterday = today - timedelta(days=1)
    Count.objects.bulk_create([
        Count(day=yesterday, hour=9, kind=Kind.VIEWS, value="", count=30),
        Count(day=yesterday, hour=15, kind=Kind.VIEWS, value="", count=12),
        Count(day=yesterday, kind=Kind.VISITORS, value="", count=17),
        Count(day=yesterday, kind=Kind.PAGE, value="/about/", count=40),
        Count(day=yesterday, kind=Kind.PAGE, value="/", count=2),
        Count(day=yesterday, kind=Kind.REFERRER, value="=HYPERLINK(\"x\")", count=3),
        Count(day=yesterday, kind=Kind.BOT, value="Googlebot", count=9),
        Count(day=today, hour=1, kind=Kind.VIEWS, value="", count=5),
    ])
    VisitorDay.objects.create(day=today, visitor="a" * 32, views=3, last_path="/shipping/",
                              last_seen="2026-12-01T00:00Z")
    return yesterday, today


def test_staff_with_the_permission_see_the_chart_and_the_tables(viewer, some_days):
    yesterday, today = some_days
    response = viewer.get(PAGE)
    assert response.status_code == 200
    html = response.text
    start = (today - timedelta(days=29)).isoformat()
    chart_url = f"{CHART}?start={start}&amp;end={today.isoformat()}"
    assert f'<img src="{chart_url}" width="720" height="260"' in html
    assert "solid line, round marks" in html  # told apart without colour
    assert f"<th scope=\"row\">{yesterday.isoformat()}</th><td>42</td><td>17</td><td>9</td>" in html
    assert "<td>/about/</td><td>40</td>" in html
    assert "<td>Googlebot</td><td>9</td>" in html
    assert "<td>/shipping/</td><td>1</td>" in html  # the exit page
    assert "<th scope=\"row\">09:00</th><td>30</td>" in html


def test_the_chart_is_drawn_on_the_server(viewer, some_days):
    yesterday, today = some_days
    chart = viewer.get(CHART, {"start": yesterday.isoformat(), "end": today.isoformat()})
    assert chart["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = chart.text
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert f"{yesterday.isoformat()}: 42 page views" in svg
    assert f"{yesterday.isoformat()}: 17 unique visitors" in svg
    # Today's visitors are counted live from the day's rows.
    assert f"{today.isoformat()}: 1 unique visitors" in svg
    assert 'stroke-dasharray="6 4"' in svg  # the second line differs in shape
    assert "<script" not in svg
    assert "href" not in svg  # nothing loaded from anywhere


def test_staff_without_the_permission_are_refused(client, some_days):
    staff_sign_in(client, staff_member(may_view=False))
    for url in [PAGE, EXPORT, CHART]:
        assert client.get(url).status_code == 403


def test_visitors_are_sent_to_the_login(client):
    for url in [PAGE, EXPORT, CHART]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_a_chosen_range_shows_only_its_days(viewer, some_days):
    yesterday, _ = some_days
    response = viewer.get(PAGE, {"start": yesterday.isoformat(), "end": yesterday.isoformat()})
    assert "42 page views by 17 visitors" in response.text
    response = viewer.get(PAGE, {"start": "2020-01-01", "end": "2020-01-31"})
    assert "0 page views by 0 visitors" in response.text


def test_the_export_has_every_count_of_the_range(viewer, some_days):
    yesterday, today = some_days
    response = viewer.get(EXPORT, {"start": yesterday.isoformat(), "end": today.isoformat()})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["day (UTC)", "hour (UTC)", "what", "value", "count"]
    assert [yesterday.isoformat(), "9", "Page views", "", "30"] in rows
    assert [yesterday.isoformat(), "", "Pages", "/about/", "40"] in rows
    assert [today.isoformat(), "", "Unique visitors", "", "1"] in rows
    assert [today.isoformat(), "", "Exit pages", "/shipping/", "1"] in rows
    # A value a visitor chose (a referrer) never runs as a formula.
    assert [yesterday.isoformat(), "", "Referring sites", "'=HYPERLINK(\"x\")", "3"] in rows


@pytest.mark.parametrize(("query", "message"), [
    ({"start": "2026-12-05", "end": "2026-12-01"}, "must not be after the last"),
    ({"start": "2020-01-01", "end": "2026-12-01"}, "at most 400 days"),
    ({"start": "yesterday", "end": "2026-12-01"}, "Enter a valid date"),
    ({"start": "2026-12-01"}, "This field is required"),
])
def test_a_bad_range_is_explained(viewer, query, message):
    page = viewer.get(PAGE, query)
    assert page.status_code == 400
    assert message in page.text
    for url in [EXPORT, CHART]:
        answer = viewer.get(url, query)
        assert answer.status_code == 400
        assert message in answer.text


@hypothesis_settings(max_examples=40, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.text(max_size=30), end=st.text(max_size=30))
def test_no_range_in_the_address_gives_a_server_error(viewer, start, end):
    for url in [PAGE, EXPORT, CHART]:
        assert viewer.get(url, {"start": start, "end": end}).status_code in {200, 400}


def test_extreme_dates_are_handled(viewer):
    for start, end in [("0001-01-01", "0001-01-01"), ("9999-12-31", "9999-12-31"),
                       ("9999-01-01", "9999-12-31")]:
        assert viewer.get(PAGE, {"start": start, "end": end}).status_code == 200
        assert viewer.get(EXPORT, {"start": start, "end": end}).status_code == 200
        assert viewer.get(CHART, {"start": start, "end": end}).status_code == 200
