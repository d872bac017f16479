"""P2 in staff text: Markdown or HTML that staff write keeps images from our own
origin only; anything else would load from another origin on a public page."""

import pytest

from roochi_site.staff_text import render_staff_markdown


@pytest.mark.parametrize("text", [
    "![](https://tracker.example/pixel.gif)",
    '<img src="//cdn.example/x.png">',
    '<img src="http://tracker.example/p.gif" alt="logo" width="1">',
    "![logo](HTTPS://Tracker.Example/p.gif)",
    '<img src=" https://tracker.example/p.gif">',
    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">',
    "<p>Hello <img src='https://127.0.0.1:8000.evil.example/x.png'></p>",
])
def test_an_image_from_another_origin_is_dropped(text):
    html = render_staff_markdown(text)
    assert "<img" not in html
    assert "example" not in html
    assert "data:" not in html


@pytest.mark.parametrize(("text", "src"), [
    ("![Our warehouse](/static/site/warehouse.jpg)", "/static/site/warehouse.jpg"),
    ('<img src="http://127.0.0.1:8000/static/x.png" alt="x">',
     "http://127.0.0.1:8000/static/x.png"),
])
def test_an_image_from_our_own_origin_stays(text, src):
    assert f'src="{src}"' in render_staff_markdown(text)


def test_links_to_other_sites_stay_and_cannot_act_on_the_page():
    html = render_staff_markdown("[our shipper](https://shipper.example/track)")
    assert 'href="https://shipper.example/track"' in html
    assert 'rel="noopener noreferrer"' in html
