"""Staff draft a version with its sections, preview it as the public will see it and
publish it now or later; a published version is read-only, and trying to change or
delete it is refused with a message (P9)."""

import re
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import models
from django.test import RequestFactory
from django.test.utils import isolate_apps
from django.utils import timezone

from privacy.admin.policy import CollectedSubmissionAdminMixin
from privacy.models import CollectedSubmission, PolicySection, PolicyVersion
from privacy.policy import current_version
from privacy.services.policy_versions import policy_version_publish
from tests.privacy.policy.conftest import COOKIES_V2
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/privacy/policyversion/"


def change_url(version):
    return f"{CHANGELIST}{version.pk}/change/"


def messages_in(html: str) -> list[str]:
    return re.findall(r'<li class="(?:error|info|success|warning)">(.*?)</li>', html, re.DOTALL)


@pytest.fixture
def editor(client, django_user_model):
    """Staff who may draft versions but not publish them."""
    user = django_user_model.objects.create_user("editor", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="privacy",
            codename__in=["add_policyversion", "change_policyversion", "view_policyversion",
                          "add_policysection", "change_policysection", "view_policysection"],
        )
    )
    staff_sign_in(client, user)
    return client


def draft_form_data(**overrides) -> dict[str, str]:
    data = {
        "number": "2",
        "title": "Roochi Traders Inc. Privacy Policy",
        "change_summary": "Cookies: the public site sets none.",
        "sections-TOTAL_FORMS": "2",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "sections-0-position": "1",
        "sections-0-heading": "Cookies",
        "sections-0-body": COOKIES_V2,
        "sections-1-position": "2",
        "sections-1-heading": "Contact Information",
        "sections-1-body": "Write to **support@roochi.com**.",
    }
    return {**data, **overrides}


def test_staff_draft_a_version_with_its_sections(admin_client):
    form = admin_client.get(f"{CHANGELIST}add/").text
    assert 'name="number" value="2"' in form
    response = admin_client.post(f"{CHANGELIST}add/", draft_form_data())
    assert response.status_code == 302
    draft = PolicyVersion.objects.get(number=2)
    assert not draft.is_published
    assert list(draft.sections.values_list("heading", flat=True)) == [
        "Cookies", "Contact Information"]
    assert "Draft" in admin_client.get(CHANGELIST).text


def test_the_preview_shows_the_draft_as_the_public_will_see_it(admin_client, draft_2, client):
    preview_url = f"{CHANGELIST}{draft_2.pk}/preview/"
    html = admin_client.get(preview_url).text
    assert "Preview of draft version 2." in html
    assert "We set no cookie on our public pages at all" in html
    assert '<a href="#section-5">Cookies</a>' in html
    assert "Version 1, in force since" in html  # the footer still names the version in force
    compare = admin_client.get(f"{CHANGELIST}{draft_2.pk}/preview/compare/").text
    assert "What changed between version 1 and version 2" in compare
    assert '<ins><span class="diff-label">[Added: </span>' in compare
    # Nobody else: the public gets the admin's login page, and the draft is not public.
    assert client.get(preview_url).status_code == 302
    assert client.get("/privacy/versions/2/").status_code == 404


def test_publishing_now_from_the_admin_records_who_published(
    admin_client, admin_user, draft_2, django_capture_on_commit_callbacks
):
    draft_page = admin_client.get(change_url(draft_2)).text
    assert "Publish…" in draft_page
    assert "View on site" not in draft_page  # a draft has no public address yet
    page = admin_client.get(f"{CHANGELIST}{draft_2.pk}/publish/").text
    assert "Publishing is final" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{CHANGELIST}{draft_2.pk}/publish/", {"when": "now"},
                                     follow=True)
    draft_2.refresh_from_db()
    assert draft_2.is_published
    assert draft_2.published_by == admin_user
    assert any("Version 2 is published" in m for m in messages_in(response.text))
    assert "Version 2, in force since" in admin_client.get("/privacy/").text


def test_publishing_for_a_later_date_schedules_the_version(admin_client, draft_2):
    admin_client.post(
        f"{CHANGELIST}{draft_2.pk}/publish/", {"when": "later", "effective_at": "2031-03-02T09:30"}
    )
    draft_2.refresh_from_db()
    los_angeles = ZoneInfo("America/Los_Angeles")
    assert draft_2.effective_at == datetime(2031, 3, 2, 9, 30, tzinfo=los_angeles)
    assert "Scheduled" in admin_client.get(CHANGELIST).text
    assert current_version(refresh=True).number == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"when": "later", "effective_at": "2026-02-01T09:00"}, "effective date is in the past"),
        ({"when": "later", "effective_at": ""}, "Give the date and time this version takes effect"),
        ({"when": "later", "effective_at": "next tuesday"}, "Enter a valid date/time"),
        ({"when": "whenever"}, "Select a valid choice"),
    ],
)
def test_a_bad_effective_date_is_refused_with_a_message(admin_client, draft_2, data, message):
    response = admin_client.post(f"{CHANGELIST}{draft_2.pk}/publish/", data)
    assert response.status_code == 200
    assert message in response.text
    assert not PolicyVersion.objects.get(pk=draft_2.pk).is_published


def test_publishing_without_a_change_summary_is_refused_with_a_message(admin_client, draft_2):
    draft_2.change_summary = ""
    draft_2.save()
    response = admin_client.post(f"{CHANGELIST}{draft_2.pk}/publish/", {"when": "now"})
    assert "Say what changed since the previous version before publishing" in response.text
    assert not PolicyVersion.objects.get(pk=draft_2.pk).is_published


def test_a_published_version_is_read_only_in_the_admin(admin_client, version_1):
    html = admin_client.get(change_url(version_1)).text
    assert "Version 1 is published: its text, dates and sections can never change" in html
    assert 'name="title"' not in html
    assert 'name="sections-0-body"' not in html
    assert "Publish…" not in html
    assert "Information Collection and Use" in html


def test_editing_a_published_version_is_refused_with_a_message(admin_client, version_1):
    data = draft_form_data(number="1", title="Rewritten")
    data.update({"sections-TOTAL_FORMS": "0"})
    response = admin_client.post(change_url(version_1), data)
    assert response.status_code == 200
    assert "Version 1 is published" in response.text
    assert PolicyVersion.objects.get(pk=version_1.pk).title == "Roochi Traders Inc. Privacy Policy"
    assert version_1.sections.count() == 23


def test_a_draft_published_while_open_in_the_admin_cannot_then_be_saved(
    admin_client, admin_user, draft_2
):
    admin_client.get(change_url(draft_2))
    policy_version_publish(
        version=draft_2, effective_at=timezone.now() + timedelta(days=1), published_by=admin_user
    )
    data = draft_form_data(title="Last-minute change", **{"sections-TOTAL_FORMS": "0"})
    response = admin_client.post(change_url(draft_2), data)
    assert "Version 2 is published" in response.text
    assert PolicyVersion.objects.get(pk=draft_2.pk).title == "Roochi Traders Inc. Privacy Policy"


def test_deleting_a_published_version_is_refused_with_a_message(admin_client, version_1):
    response = admin_client.post(f"{CHANGELIST}{version_1.pk}/delete/", {"post": "yes"},
                                 follow=True)
    assert any("Version 1 is published" in m for m in messages_in(response.text))
    assert PolicyVersion.objects.filter(pk=version_1.pk).exists()
    assert "delete_selected" not in admin_client.get(CHANGELIST).text


def test_a_draft_can_be_deleted(admin_client, draft_2):
    admin_client.post(f"{CHANGELIST}{draft_2.pk}/delete/", {"post": "yes"})
    assert not PolicyVersion.objects.filter(pk=draft_2.pk).exists()
    assert not PolicySection.objects.filter(version_id=draft_2.pk).exists()


def test_publishing_needs_its_own_permission(editor, draft_2):
    assert "Publish…" not in editor.get(change_url(draft_2)).text
    assert editor.post(f"{CHANGELIST}{draft_2.pk}/publish/", {"when": "now"}).status_code == 403
    assert not PolicyVersion.objects.get(pk=draft_2.pk).is_published
    # Drafting is theirs: the preview works.
    assert editor.get(f"{CHANGELIST}{draft_2.pk}/preview/").status_code == 200


# --- The helper for every submission's admin (P3) ------------------------------------


@isolate_apps("tests.privacy.policy")
def test_a_submission_admin_shows_the_version_purpose_and_time_read_only(version_1):
    class Callback(CollectedSubmission):
        email = models.EmailField()

        class Meta:
            app_label = "policy"

    class CallbackAdmin(CollectedSubmissionAdminMixin, admin.ModelAdmin):
        pass

    class CallbackWithFieldsetsAdmin(CollectedSubmissionAdminMixin, admin.ModelAdmin):
        fieldsets = [(None, {"fields": ["email"]})]

    request = RequestFactory().get("/admin/")
    for admin_class in (CallbackAdmin, CallbackWithFieldsetsAdmin):
        model_admin = admin_class(Callback, admin.site)
        readonly = model_admin.get_readonly_fields(request)
        assert {"collected_under", "purpose", "collected_at"} <= set(readonly)
        shown = [name for _, options in model_admin.get_fieldsets(request)
                 for name in options["fields"]]
        assert {"email", "collected_under", "purpose", "collected_at"} <= set(shown)

    html = CallbackAdmin(Callback, admin.site).collected_under(
        SimpleNamespace(policy_version=version_1)
    )
    assert '<a href="/privacy/versions/1/">Version 1: Roochi Traders Inc. Privacy' in html
    assert f'<a href="/admin/privacy/policyversion/{version_1.pk}/change/">' in html
    assert "in force since 01 January 2026" in html


def test_staff_start_a_new_draft_from_the_version_in_force(admin_client, version_1):
    assert "Draft a new version from this one" in admin_client.get(change_url(version_1)).text
    new_draft_url = f"{CHANGELIST}{version_1.pk}/new-draft/"
    assert "Create the draft" in admin_client.get(new_draft_url).text
    assert PolicyVersion.objects.count() == 1  # asking is not doing
    response = admin_client.post(new_draft_url, follow=True)
    draft = PolicyVersion.objects.get(number=2)
    assert not draft.is_published
    assert draft.change_summary == ""
    assert list(draft.sections.values_list("heading", "body")) == list(
        version_1.sections.values_list("heading", "body"))
    assert any("Draft version 2 starts from version 1" in m for m in messages_in(response.text))


@pytest.mark.parametrize("action", ["preview", "preview/compare", "publish", "new-draft"])
def test_an_unknown_version_in_an_admin_address_is_not_found(admin_client, action):
    assert admin_client.get(f"{CHANGELIST}999999/{action}/").status_code == 404
    assert admin_client.get(f"{CHANGELIST}x/{action}/").status_code == 404
