"""Page weight: everything a first visit transfers, compressed, measured in Chromium
against the site served as in production (gunicorn, WhiteNoise, collected static
files). Issue 16: the home page's first visit fits TCP's first congestion window (14 KB
without images), every other page 30 KB; with images at most 150 KB. Static files
carry hashed names, are compressed and are cached for a year."""

import re
import urllib.request

import pytest

from tests.quality.targets import FORM_TARGETS

pytestmark = pytest.mark.django_db(transaction=True)

WEIGHED = ["/", "/contact/", "/privacy/"] + [t.path for t in FORM_TARGETS if t.weigh]
KB = 1024


def first_visit(browser, url: str) -> dict[str, int]:
    """Bytes on the wire (headers and compressed bodies) of a first visit to `url`,
    by resource type."""
    context = browser.new_context()
    page = context.new_page()
    finished = []

    def record(request):
        finished.append(request)

    page.on("requestfinished", record)
    response = page.goto(url, wait_until="networkidle")
    assert response.status == 200, url
    weights: dict[str, int] = {}
    for request in finished:
        sizes = request.sizes()
        kind = "image" if request.resource_type == "image" else "other"
        weights[kind] = weights.get(kind, 0) + sizes["responseBodySize"] + sizes[
            "responseHeadersSize"]
    context.close()
    return weights


# What a first visit may transfer besides images: the home page in one round trip.
BUDGETS = {"/": 14 * KB}
BUDGET = 30 * KB


@pytest.mark.parametrize("path", WEIGHED)
def test_a_first_visit_fits_its_budget_besides_images_and_150_kb_in_all(
        browser, production_site, committed_db, path):
    weights = first_visit(browser, production_site.url + path)
    assert weights["other"] <= BUDGETS.get(path, BUDGET), weights
    assert weights["other"] + weights.get("image", 0) <= 150 * KB, weights


def photo_like(width: int, height: int):
    """A picture that compresses like a photograph (detail and noise), not like a flat
    test card, so that its weight is honest."""
    from PIL import Image, ImageFilter

    noise = Image.effect_noise((width, height), 64).convert("RGB")
    gradient = Image.linear_gradient("L").resize((width, height))
    base = Image.merge("RGB", [gradient, noise.getchannel(0).filter(ImageFilter.GaussianBlur(3)),
                               Image.new("L", (width, height), 90)])
    return Image.blend(base, noise, 0.25)


def test_a_first_visit_with_pictures_stays_within_150_kb(
        browser, production_site, production_media, committed_db, settings):
    from pages.images import image_store
    from pages.models import Category

    settings.MEDIA_ROOT = production_media
    for n, category in enumerate(Category.objects.all()):
        category.image = image_store(picture=photo_like(1300 + n, 975), alt_text=category.name,
                                     decorative=False, uploaded_by=None)
        category.save()
    for path in ["/what-we-trade/", "/what-we-trade/packaging-materials/"]:
        weights = first_visit(browser, production_site.url + path)
        assert weights.get("image", 0) > 5 * KB, (path, weights)  # pictures were weighed
        assert weights["other"] + weights["image"] <= 150 * KB, (path, weights)


def static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_static_files_have_hashed_names_are_compressed_and_cached_for_a_year(
        production_site, committed_db):
    with urllib.request.urlopen(production_site.url + "/") as response:  # noqa: S310
        urls = static_urls(response.read().decode())
    assert urls
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), url
        for encoding in ["br", "gzip"]:
            request = urllib.request.Request(  # noqa: S310
                production_site.url + url, headers={"Accept-Encoding": encoding})
            with urllib.request.urlopen(request) as response:  # noqa: S310
                assert response.headers["Content-Encoding"] == encoding, url
                cache_control = response.headers["Cache-Control"]
                max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))
                assert max_age >= 365 * 24 * 60 * 60, cache_control
                assert "immutable" in cache_control, cache_control
