"""Every save of a page or a category in the admin is a revision: who, when, what
changed; an earlier one is restored after staff confirm, as a new revision (on a live
page, a draft: tests/pages/test_drafts.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from pages.models import Category, Page, Revision
from tests.pages.admin_forms import change_save
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("mara", "mara@roochi.com", "x" * 16)
    return staff_sign_in(client, user)


def page_save(client, page: Page, body: str, title: str | None = None):
    return change_save(client, page, body=body, **({"title": title} if title else {}))


def test_each_save_is_a_revision_with_who_and_what_changed(editor):
    page = Page.objects.get(slug="about")
    page_save(editor, page, "First words.")
    page_save(editor, page, "Second words.", title="About Roochi")
    revisions = list(Revision.objects.filter(page=page).order_by("number"))
    assert [revision.number for revision in revisions] == [1, 2]
    assert revisions[1].values["body"] == "Second words."
    assert revisions[1].saved_by.username == "mara"
    change_page = editor.get(f"/admin/pages/page/{page.pk}/change/").text
    assert "<h2>Revisions</h2>" in change_page
    assert "<summary>Title</summary>" in change_page
    assert "Before: About us" in change_page
    assert "After: About Roochi" in change_page
    assert "Before: First words." in change_page
    assert "Restore revision 1" in change_page
    assert "Restore revision 2" not in change_page  # the current one


def test_restoring_asks_first_then_restores_as_a_new_draft(editor, client):
    page = Page.objects.get(slug="about")
    page_save(editor, page, "The words we want back.")
    page_save(editor, page, "A mistake.")
    first = Revision.objects.get(page=page, number=1)
    url = f"/admin/pages/page/{page.pk}/act/restore_revision/"
    confirmation = editor.get(f"{url}?revision={first.pk}")
    assert confirmation.status_code == 200
    assert f'<option value="{first.pk}" selected>' in confirmation.text
    # A post that did not come from the confirmation page only asks.
    editor.post(url, {"revision": first.pk})
    assert Revision.objects.filter(page=page).count() == 2
    response = editor.post(url, {"revision": first.pk, "confirm": "yes"}, follow=True)
    assert "Revision 1 restored as a draft (revision 3): the public still sees the " \
        "published version until you publish it." in response.text
    latest = Revision.objects.filter(page=page).first()
    assert (latest.number, latest.restored_from, latest.status) == (3, first, "draft")
    assert latest.values["body"] == "The words we want back."
    # Not silently live: the public sees what it saw before the restore.
    assert Page.objects.get(pk=page.pk).body == page.body
    assert "The words we want back." not in client.get("/about/").text


def test_restoring_on_a_page_nobody_sees_puts_it_back_at_once(editor):
    page = Page.objects.get(slug="about")
    Page.objects.filter(pk=page.pk).update(published=False)
    change_save(editor, page, body="Words we want back.")
    change_save(editor, page, body="Draft words.")
    first = Revision.objects.get(page=page, number=1)
    editor.post(f"/admin/pages/page/{page.pk}/act/restore_revision/",
                {"revision": first.pk, "confirm": "yes"})
    restored = Page.objects.get(pk=page.pk)
    assert (restored.body, restored.published) == ("Words we want back.", False)
    assert Revision.objects.filter(page=page).first().status == "saved"


def test_a_revision_of_another_page_cannot_be_restored_here(editor):
    about, security = Page.objects.get(slug="about"), Page.objects.get(slug="security")
    page_save(editor, security, "Security words.")
    other = Revision.objects.get(page=security)
    response = editor.post(f"/admin/pages/page/{about.pk}/act/restore_revision/",
                           {"revision": other.pk, "confirm": "yes"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert Page.objects.get(pk=about.pk).body != "Security words."


def test_categories_have_revisions_and_restore_too(editor):
    category = Category.objects.get(slug="packaging-materials")
    change_save(editor, category, body="Boxes.")
    change_save(editor, category, body="Film.")
    first = Revision.objects.get(category=category, number=1)
    editor.post(f"/admin/pages/category/{category.pk}/act/restore_revision/",
                {"revision": first.pk, "confirm": "yes"})
    draft = Revision.objects.get(category=category, status="draft")
    assert (draft.number, draft.values["body"]) == (3, "Boxes.")
    assert Category.objects.get(pk=category.pk).body == category.body


def test_staff_without_the_change_permission_cannot_restore(client, editor):
    page = Page.objects.get(slug="about")
    page_save(editor, page, "Words.")
    viewer = get_user_model().objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_page"))
    staff_sign_in(client, viewer)
    revision = Revision.objects.get(page=page)
    response = client.post(f"/admin/pages/page/{page.pk}/act/restore_revision/",
                           {"revision": revision.pk, "confirm": "yes"})
    assert response.status_code == 403


def test_a_history_of_picture_changes_costs_the_same_queries_however_long(editor):
    """Each revision names its picture by id; the history looks them all up at once
    rather than one query per changed picture."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pages.models import Image

    category = Category.objects.get(slug="packaging-materials")

    def history_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = editor.get(f"/admin/pages/category/{category.pk}/change/").text
        assert "Drums number" in page
        return len(queries)

    def pictures_saved(count: int) -> None:
        for _ in range(count):
            number = Image.objects.count()
            image = Image.objects.create(alt_text=f"Drums number {number}", width=320,
                                         height=240, renditions=[])
            change_save(editor, category, image=str(image.pk))

    pictures_saved(2)
    short = history_queries()
    pictures_saved(6)
    assert history_queries() == short
    assert "Drums number 7" in editor.get(f"/admin/pages/category/{category.pk}/change/").text
