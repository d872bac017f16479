"""What staff write can carry nothing that tells us a mail was read (the policy: no
clear gifs), nor break a mail: no images, not even our own; full link addresses; one
line of subject. The HTML part is the Markdown, the text part the source."""

import pytest
from django.core.exceptions import ValidationError

from mailings.content import announcement_content
from mailings.models import ServiceAnnouncement
from tests.communications.test_mail_content import assert_nothing_tracks

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", [
    "Our new warehouse: ![photo](/static/warehouse.jpg)",
    "![pixel](http://127.0.0.1:8000/static/p.gif)",
    "![pixel](https://tracker.example/p.gif)",
    'Raw HTML too: <img src="/static/p.gif" alt="">',
])
def test_an_image_is_refused_with_a_reason(announcement, body):
    announcement.body = body
    with pytest.raises(ValidationError) as refused:
        announcement.full_clean()
    assert "no clear gifs" in str(refused.value)


def test_a_link_without_its_full_address_is_refused(announcement):
    announcement.body = "See [shipping](/shipping/)."
    with pytest.raises(ValidationError) as refused:
        announcement.full_clean()
    assert "full address" in str(refused.value)


def test_a_subject_is_one_line(announcement):
    announcement.subject = "Maintenance\nBcc: everyone@example.com"
    with pytest.raises(ValidationError):
        announcement.full_clean()


def test_an_image_saved_past_the_form_still_never_reaches_a_mail(announcement):
    announcement.body = "Hello ![our logo](/static/logo.png) and ![x](https://t.example/x.gif)"
    ServiceAnnouncement.objects.filter(pk=announcement.pk).update(body=announcement.body)
    content = announcement_content(announcement, "ana@example.com")
    assert "<img" not in content.html
    assert_nothing_tracks(content.text, content.html)


def test_the_html_is_the_markdown_and_the_text_its_source(announcement):
    content = announcement_content(announcement, "ana@example.com")
    assert content.text.startswith(announcement.body)
    assert "<strong>Sunday 6 December</strong>" in content.html
    assert '<a href="http://127.0.0.1:8000/shipping/"' in content.html
    assert content.headers == {}
    assert_nothing_tracks(content.text, content.html)
