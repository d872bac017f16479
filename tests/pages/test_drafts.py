"""A change to a page or a category the public already sees is a draft: the public
keeps the published version, byte for byte and from the page cache, until staff
publish the draft (now, or at a chosen time) or discard it; staff preview it; search,
the sitemaps and the list of categories never show it."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import ProtectedError
from django.utils import timezone

from pages.images import image_delete
from pages.models import Category, Image, Page, Revision
from pages.revisions import draft_discard, draft_publish, scheduled_drafts_publish
from pages.search import site_search
from tests.pages.admin_forms import (
    action_url,
    change_form_data,
    change_save,
    change_url,
    draft_of,
    draft_publish_post,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("deployment_page_cache")]

DRAFT_WORDS = "Zanzibarian cloves arrive next spring"


def public(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200
    return response.content


def picture(alt_text: str) -> Image:
    return Image.objects.create(alt_text=alt_text, width=320, height=240, renditions=[
        {"format": "jpeg", "width": 320, "height": 240,
         "name": f"images/{re.sub(r'\W', '', alt_text).lower():0>32}-320.jpg"}])


def test_editing_a_live_page_leaves_the_public_page_byte_for_byte_unchanged(
        admin_client, client):
    page = Page.objects.get(slug="about")
    before = public(client, "/about/")
    response = admin_client.post(change_url(page), change_form_data(
        admin_client, page, title="About Roochi Traders", body=f"{DRAFT_WORDS}."),
        follow=True)
    assert "Kept as a draft (revision 1): the public still sees the published version." \
        in response.text
    assert public(client, "/about/") == before
    stored = Page.objects.get(pk=page.pk)
    assert (stored.title, stored.body, stored.updated_at) == (
        page.title, page.body, page.updated_at)
    # The admin says so, and which fields the draft changes.
    change_page = admin_client.get(change_url(page)).text
    assert "Live, with unpublished changes" in change_page
    assert "The draft changes: title, body." in change_page
    assert f"{DRAFT_WORDS}.</textarea>" in change_page  # staff edit the draft
    assert "Live, with unpublished changes" in admin_client.get("/admin/pages/page/").text


def test_the_preview_shows_the_draft_to_staff_only(admin_client, client):
    page = Page.objects.get(slug="about")
    change_save(admin_client, page, body=f"{DRAFT_WORDS}.")
    preview = admin_client.get(f"/admin/pages/page/{page.pk}/preview/")
    assert DRAFT_WORDS in preview.text
    assert {"private", "no-store"} <= set(preview["Cache-Control"].split(", "))
    # The public page, asked for after the preview, is not the preview's.
    assert DRAFT_WORDS not in client.get("/about/").text
    assert client.get(f"/admin/pages/page/{page.pk}/preview/").status_code == 302


def test_publishing_the_draft_asks_first_then_the_cache_serves_it_at_once(
        admin_client, client, django_capture_on_commit_callbacks):
    page = Page.objects.get(slug="about")
    change_save(admin_client, page, body=f"{DRAFT_WORDS}.")
    assert DRAFT_WORDS not in client.get("/about/").text  # now in the page cache
    confirmation = admin_client.get(action_url(page, "publish_draft"))
    assert "The draft changes: body." in confirmation.text
    assert f"<td>{DRAFT_WORDS}.</td></tr>" in confirmation.text
    # A post that did not come from the confirmation page only asks.
    admin_client.post(action_url(page, "publish_draft"), {"draft": draft_of(page).pk})
    assert DRAFT_WORDS not in client.get("/about/").text
    with django_capture_on_commit_callbacks(execute=True):
        response = draft_publish_post(admin_client, page)
    assert response.status_code == 302
    assert DRAFT_WORDS in client.get("/about/").text
    revision = Revision.objects.get(page=page)
    assert (revision.status, revision.decided_by.username) == ("published", "admin")
    change_page = admin_client.get(change_url(page)).text
    assert "with unpublished changes" not in change_page
    assert "Published 20" in change_page


def test_a_scheduled_draft_goes_live_by_itself_only_after_its_time(
        admin_client, client, django_capture_on_commit_callbacks):
    page = Page.objects.get(slug="about")
    change_save(admin_client, page, body=f"{DRAFT_WORDS}.")
    at = (timezone.now() + timedelta(hours=3)).replace(second=0, microsecond=0)
    local = timezone.localtime(at)
    response = draft_publish_post(admin_client, page, go_live_at_0=f"{local:%Y-%m-%d}",
                                  go_live_at_1=f"{local:%H:%M}")
    assert response.status_code == 302
    assert "Live, with changes to be published on" in admin_client.get(
        "/admin/pages/page/").text
    with time_machine.travel(at - timedelta(seconds=1)):
        call_command("publish_scheduled_drafts")
        assert DRAFT_WORDS not in client.get("/about/").text
    with time_machine.travel(at + timedelta(seconds=1)):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("publish_scheduled_drafts")
            call_command("publish_scheduled_drafts")  # a second run changes nothing
        assert DRAFT_WORDS in client.get("/about/").text
    revision = Revision.objects.get(page=page)
    assert (revision.status, revision.go_live_at) == ("published", at)


@pytest.mark.parametrize("when", [("2020-01-01", "09:00"), ("2031-02-30", "09:00"),
                                  ("tomorrow", "nine")])
def test_a_time_past_or_invalid_is_refused_clearly_and_changes_nothing(
        admin_client, client, when):
    page = Page.objects.get(slug="about")
    change_save(admin_client, page, body=f"{DRAFT_WORDS}.")
    response = draft_publish_post(admin_client, page, go_live_at_0=when[0],
                                  go_live_at_1=when[1])
    assert response.status_code == 200
    assert ("Choose a time still to come" in response.text
            or "Enter a valid date" in response.text or "Enter a valid time" in response.text)
    draft = draft_of(page)
    assert (draft.status, draft.go_live_at, draft.decided_by) == ("draft", None, None)
    assert DRAFT_WORDS not in client.get("/about/").text


def test_discarding_the_draft_keeps_the_public_page_and_the_history(admin_client, client):
    page = Page.objects.get(slug="about")
    change_save(admin_client, page, body=f"{DRAFT_WORDS}.")
    draft = draft_of(page)
    response = admin_client.post(action_url(page, "discard_draft"),
                                 {"draft": draft.pk, "confirm": "yes"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "discarded"
    change_page = admin_client.get(change_url(page)).text
    assert "with unpublished changes" not in change_page
    assert f"{DRAFT_WORDS}.</textarea>" not in change_page
    assert "Discarded 20" in change_page
    assert "Restore revision 1" in change_page
    assert DRAFT_WORDS not in client.get("/about/").text
    # Nothing left to publish: a clear message, nothing published.
    response = admin_client.post(action_url(page, "publish_draft"),
                                 {"draft": draft.pk, "confirm": "yes"})
    assert "That draft is no longer waiting" in response.text
    assert DRAFT_WORDS not in client.get("/about/").text


def test_a_draft_replaced_by_a_later_save_is_not_the_one_published(admin_client, client):
    page = Page.objects.get(slug="about")
    change_save(admin_client, page, body="First draft.")
    first = draft_of(page)
    change_save(admin_client, page, body="Second draft.")
    response = admin_client.post(action_url(page, "publish_draft"),
                                 {"draft": first.pk, "confirm": "yes"})
    assert "That draft is no longer waiting" in response.text
    assert "First draft." not in client.get("/about/").text
    assert [revision.status for revision in Revision.objects.filter(page=page)] == [
        "draft", "replaced"]


def test_search_the_sitemaps_and_the_category_list_never_show_a_draft(admin_client, client):
    page = Page.objects.get(slug="about")
    category = Category.objects.get(slug="packaging-materials")
    change_save(admin_client, page, title="Zanzibarian spices", body=f"{DRAFT_WORDS}.")
    change_save(admin_client, category, name="Zanzibarian crates",
                summary=f"{DRAFT_WORDS}.", body=f"{DRAFT_WORDS}.")
    assert site_search("Zanzibarian") == []
    assert client.get("/search/", {"q": "Zanzibarian cloves"}).context["results"] == []
    assert site_search("About us")  # the published title is still what is found
    for path in ["/sitemap.xml", "/site-map/", "/what-we-trade/",
                 "/what-we-trade/packaging-materials/", "/about/"]:
        assert "Zanzibarian" not in client.get(path).text, path
    preview = admin_client.get(f"/admin/pages/category/{category.pk}/preview/").text
    assert "<h1>Zanzibarian crates</h1>" in preview


def test_a_category_s_new_picture_waits_for_the_draft_too(admin_client, client,
                                                          django_capture_on_commit_callbacks):
    category = Category.objects.get(slug="packaging-materials")
    old, new = picture("Stacked cartons"), picture("Blue drums of lubricant")
    Category.objects.filter(pk=category.pk).update(image=old)
    assert 'alt="Stacked cartons"' in client.get("/what-we-trade/packaging-materials/").text
    change_save(admin_client, category, image=str(new.pk))
    assert Category.objects.get(pk=category.pk).image == old
    for path in ["/what-we-trade/packaging-materials/", "/what-we-trade/"]:
        html = client.get(path).text
        assert 'alt="Stacked cartons"' in html, path
        assert "drums of lubricant" not in html, path
    assert 'alt="Blue drums of lubricant"' in admin_client.get(
        f"/admin/pages/category/{category.pk}/preview/").text
    with django_capture_on_commit_callbacks(execute=True):
        draft_publish_post(admin_client, category)
    assert 'alt="Blue drums of lubricant"' in client.get(
        "/what-we-trade/packaging-materials/").text


def test_a_draft_whose_picture_was_deleted_is_not_published_half_done(admin_client, client):
    category = Category.objects.get(slug="packaging-materials")
    gone = picture("A picture deleted later")
    change_save(admin_client, category, body=f"{DRAFT_WORDS}.", image=str(gone.pk))
    gone.delete()  # past the admin and the service, which refuse it (below)
    assert admin_client.get(f"/admin/pages/category/{category.pk}/preview/").status_code == 200
    response = draft_publish_post(admin_client, category)
    assert "picture has been deleted since it was saved" in response.text
    assert DRAFT_WORDS not in client.get("/what-we-trade/packaging-materials/").text
    # Scheduled, the job leaves it a draft for staff rather than failing every minute.
    Revision.objects.filter(category=category).update(go_live_at=timezone.now())
    assert scheduled_drafts_publish() == 0
    assert (draft_of(category).go_live_at, draft_of(category).status) == (None, "draft")
    assert DRAFT_WORDS not in client.get("/what-we-trade/packaging-materials/").text


def test_a_save_based_on_an_older_revision_is_refused_and_keeps_what_was_typed(
        admin_client, client):
    page = Page.objects.get(slug="about")
    # Two members of staff open the same page.
    mine = change_form_data(admin_client, page, body="My version.")
    theirs = change_form_data(admin_client, page, body="Their version.")
    assert admin_client.post(change_url(page), theirs).status_code == 302
    response = admin_client.post(change_url(page), mine)
    assert response.status_code == 200
    assert "Not saved: while you were editing, admin saved revision 1" in response.text
    assert "My version.</textarea>" in response.text
    assert draft_of(page).values["body"] == "Their version."
    assert Revision.objects.filter(page=page).count() == 1
    # Told, they may replace it: the form shown again is based on the latest revision.
    again = {**mine, "based_on": response.context["adminform"].form["based_on"].value()}
    assert admin_client.post(change_url(page), again).status_code == 302
    assert draft_of(page).values["body"] == "My version."


def test_a_save_after_a_colleague_published_the_draft_is_refused_too(admin_client):
    page = Page.objects.get(slug="about")
    change_save(admin_client, page, body="Draft.")
    stale = change_form_data(admin_client, page, body="Draft, edited.")
    draft_publish_post(admin_client, page)
    response = admin_client.post(change_url(page), stale)
    assert "admin published revision 1" in response.text
    assert Page.objects.get(pk=page.pk).body == "Draft."


def test_withdrawing_a_live_page_takes_it_off_at_once_with_what_was_typed(
        admin_client, client):
    page = Page.objects.get(slug="about")
    change_save(admin_client, page, body="A draft first.")
    change_save(admin_client, page, body="Rewritten while offline.", published=False)
    assert client.get("/about/").status_code == 404
    stored = Page.objects.get(pk=page.pk)
    assert (stored.body, stored.published) == ("Rewritten while offline.", False)
    assert [revision.status for revision in Revision.objects.filter(page=page)] == [
        "saved", "replaced"]


def test_publishing_a_draft_replaced_meanwhile_is_refused_by_the_service_itself(
        admin_client, admin_user):
    """The form offers only the current draft; this holds when a save comes between
    the form's check and the publication."""
    page = Page.objects.get(slug="about")
    change_save(admin_client, page, body="First draft.")
    first = draft_of(page)
    change_save(admin_client, page, body="Second draft.")
    with pytest.raises(ValidationError, match="is no longer the draft"):
        draft_publish(draft=first, published_by=admin_user)
    with pytest.raises(ValidationError, match="is no longer the draft"):
        draft_discard(draft=first, discarded_by=admin_user)
    assert Page.objects.get(pk=page.pk).body == page.body


def test_a_picture_a_pending_draft_shows_cannot_be_deleted_until_the_draft_goes(
        admin_client, client):
    category = Category.objects.get(slug="packaging-materials")
    kept = picture("Blue drums on a pallet")
    change_save(admin_client, category, body=f"{DRAFT_WORDS}.", image=str(kept.pk))
    delete_url = f"/admin/pages/image/{kept.pk}/delete/"
    confirmation = admin_client.get(delete_url).text
    assert "The pending draft of the category \u201cPackaging materials\u201d" in confirmation
    assert "would require deleting the following protected" in confirmation
    assert "Yes, I\u2019m sure" not in confirmation
    admin_client.post(delete_url, {"post": "yes"})
    assert Image.objects.filter(pk=kept.pk).exists()
    # The action on the list refuses it too, and so does the service itself.
    admin_client.post("/admin/pages/image/", {"action": "delete_selected", "post": "yes",
                                              "_selected_action": [kept.pk]})
    assert Image.objects.filter(pk=kept.pk).exists()
    with pytest.raises(ProtectedError):
        image_delete(image=kept)
    # Once the draft is discarded, nothing protects it.
    draft_discard(draft=draft_of(category), discarded_by=None)
    admin_client.post(delete_url, {"post": "yes"})
    assert not Image.objects.filter(pk=kept.pk).exists()
