"""The staff's statistics page in Chromium: the chart shows, and the range, the
export and the day-by-day numbers are reached with the keyboard, focus visible."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from sitestats.models import Count
from tests.browser.test_admin import staff_tab

pytestmark = pytest.mark.django_db(transaction=True)

FOCUS = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const text = element.id || (element.type === "submit" ? element.value : element.innerText);
    return {text: (text || "").trim(),
            ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0};
}"""


def test_the_statistics_page_works_with_the_keyboard(visit, tmp_path):
    today = datetime.now(UTC).date()
    Count.objects.bulk_create([Count(day=today - timedelta(days=n), hour=10,
                                     kind=Count.Kind.VIEWS, value="", count=20 + 3 * n)
                               for n in range(30)])
    staff = get_user_model().objects.create_user("analyst", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_count"))
    staff_tab(visit, staff)
    visit.open("/admin/sitestats/count/")
    chart = visit.page.locator(".sitestats-chart img")
    assert chart.evaluate("image => image.complete && image.naturalWidth") == 720
    visit.page.screenshot(path=tmp_path / "statistics.png", full_page=True)

    visit.page.locator("#id_start").focus()
    reached = []
    while not reached or reached[-1]["text"] != "Page views by hour of the day (UTC)":
        visit.page.keyboard.press("Tab")  # a date field's day, month and year each take one
        reached.append(visit.page.evaluate(FOCUS))
        assert len(reached) < 20, reached
    texts = [focus["text"] for focus in reached]
    for wanted in ["id_end", "Show", "Download these days as CSV", "The numbers, day by day"]:
        assert wanted in texts, texts
    # Inside a date field the focus moves through Chromium's own parts (day, month,
    # year, the calendar button); our controls show where the focus is.
    assert [focus for focus in reached
            if not focus["ring"] and not focus["text"].startswith("id_")] == []

    # The day-by-day table opens from the keyboard.
    while visit.page.evaluate(FOCUS)["text"] != "The numbers, day by day":
        visit.page.keyboard.press("Shift+Tab")
    visit.page.keyboard.press("Enter")
    assert visit.page.locator("details").first.evaluate("details => details.open")
    visit.page.locator("#id_start").fill((today - timedelta(days=6)).isoformat())
    visit.page.locator("#id_start").press("Enter")
    assert visit.page.url.endswith(f"?start={today - timedelta(days=6)}&end={today}")
    assert visit.page.locator("details").first.locator("tbody tr").count() == 7
