"""Pictures on the public pages, in Chromium: nothing moves when they arrive, and they
come from our own origin."""

import time

import pytest
from PIL import Image as PillowImage

from pages.images import image_store
from pages.models import Category

LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


@pytest.fixture
def category_with_picture(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    picture = PillowImage.linear_gradient("L").resize((1300, 975)).convert("RGB")
    category = Category.objects.get(slug="packaging-materials")
    category.image = image_store(picture=picture, alt_text="Stacked boxes", decorative=False,
                                 uploaded_by=None)
    category.save()
    return category


@pytest.mark.parametrize("width", [320, 1280])
def test_a_picture_that_arrives_late_moves_nothing(visit, category_with_picture, width):
    visit.page.set_viewport_size({"width": width, "height": 800})

    def late(route):
        time.sleep(0.4)  # the text is drawn long before the picture arrives
        route.continue_()

    visit.page.route("**/media/images/*", late)
    visit.open(category_with_picture.get_absolute_url())
    before = visit.page.locator("picture img").bounding_box()
    visit.page.wait_for_load_state("networkidle")
    visit.page.wait_for_function("document.querySelector('picture img').complete")
    after = visit.page.locator("picture img").bounding_box()
    assert before == after
    assert after["width"] > 0
    assert visit.page.evaluate(LAYOUT_SHIFT) == 0
    assert visit.page.evaluate("document.querySelector('picture img').naturalWidth") > 0
    assert visit.foreign_requests() == []
    chosen = visit.page.evaluate("document.querySelector('picture img').currentSrc")
    assert chosen.startswith(visit.origin + "/media/images/")
    assert chosen.endswith(".avif")  # Chromium takes the modern format


def test_no_horizontal_scrolling_at_320_pixels_with_pictures(visit, category_with_picture):
    visit.page.set_viewport_size({"width": 320, "height": 800})
    for path in ["/what-we-trade/", category_with_picture.get_absolute_url()]:
        visit.open(path)
        visit.page.wait_for_load_state("networkidle")
        assert visit.page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"), path
