"""P7, need to know: what each staff role may open in the admin, page by page.

MATRIX is the table of record. Every page of every registered admin is probed for
every role (and for a staff account with no role) with a GET, as the staff member's
browser would ask: its list, add form, change form (editable, read-only or refused),
delete confirmation, history, each object action's page and each page of its own
(exports, previews). A page that answers GET with 405 (an export, which is recorded)
is sent the POST its button sends. A new admin page with no row fails the test, and
so does a row for a page that no longer exists.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, reverse

from roochi_site.staff_roles import (
    BILLING,
    CONTENT_EDITOR,
    LEGAL,
    MARKETING,
    PRIVACY_OFFICER,
    STAFF_ROLES,
    SUPPORT,
    roles_sync,
)
from tests.quality.targets import ADMIN_LISTS
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db

SUPERUSER = "Superuser"
NO_ROLE = "Staff with no role"
# What a change form is for a role: a form it can save, one it can only read, or none.
EDIT, READ = "edit", "read"


def everyone(*roles: str) -> set[str]:
    return set(roles) | {SUPERUSER}


def edits(*roles: str, reads: tuple[str, ...] = ()) -> dict[str, str]:
    return dict.fromkeys(everyone(*roles), EDIT) | dict.fromkeys(reads, READ)


def reads(*roles: str) -> dict[str, str]:
    return dict.fromkeys(everyone(*roles), READ)


def evidence(*roles: str) -> dict[str, object]:
    """A record the site writes: read by these roles, added and deleted by nobody."""
    return {"list": everyone(*roles), "add": set(), "change": reads(*roles),
            "delete": set(), "history": everyone(*roles)}


def technical(*, add: bool = True, change: bool = True, delete: bool = True,
              ) -> dict[str, object]:
    """A page for those who operate the site, whatever a role holds."""
    return {"list": {SUPERUSER}, "add": {SUPERUSER} if add else set(),
            "change": edits() if change else reads(),
            "delete": {SUPERUSER} if delete else set(),
            "history": {SUPERUSER}}


def kept(*editors: str, reads_only: tuple[str, ...] = ()) -> dict[str, object]:
    """Rows staff keep by hand: added and changed by the editors, deleted only by an
    administrator (a mistake is corrected, not removed)."""
    return {"list": everyone(*editors, *reads_only), "add": everyone(*editors),
            "change": edits(*editors, reads=reads_only), "delete": {SUPERUSER},
            "history": everyone(*editors, *reads_only)}


MATRIX: dict[str, dict[str, object]] = {
    "auth.User": technical() | {"url:password_change": {SUPERUSER}},
    # Roles are defined in code (staff_roles.py) and set at every migrate.
    "auth.Group": technical(add=False, change=False, delete=False),
    # The secret and its QR code are shown to no one (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    "otp_totp.TOTPDevice": technical() | {"url:config": set(), "url:qrcode": set()},
    "otp_static.StaticDevice": technical(),
    # Passkeys are registered by their owner's browser, never typed in by hand.
    "django_otp_webauthn.WebAuthnCredential": technical(add=False),
    # The task queue's own admin: results are written by the worker, never by hand.
    "django_tasks_database.DBTaskResult": technical(add=False, change=False, delete=False),
    "communications.OutboundMail": technical(add=False, change=False),
    "communications.UndeliverableAddress": {
        "list": everyone(SUPPORT, PRIVACY_OFFICER), "add": set(),
        "change": reads(SUPPORT, PRIVACY_OFFICER), "delete": everyone(SUPPORT),
        "history": everyone(SUPPORT, PRIVACY_OFFICER)},
    "inquiries.Inquiry": {
        "list": everyone(SUPPORT), "add": set(), "change": edits(SUPPORT),
        "delete": {SUPERUSER}, "history": everyone(SUPPORT),
        "action:reply": everyone(SUPPORT), "action:phone": everyone(SUPPORT),
        "action:note": everyone(SUPPORT), "action:handling": everyone(SUPPORT),
        "url:export": everyone(SUPPORT), "url:quarter_chart": everyone(SUPPORT)},
    "inquiries.CannedReply": {
        "list": everyone(SUPPORT), "add": everyone(SUPPORT), "change": edits(SUPPORT),
        "delete": everyone(SUPPORT), "history": everyone(SUPPORT)},
    "inquiries.InquiryExport": evidence(PRIVACY_OFFICER),
    "mailings.NewsletterIssue": kept(MARKETING) | {
        "action:test": everyone(MARKETING), "action:send": everyone(MARKETING),
        "url:preview": everyone(MARKETING)},
    "mailings.ServiceAnnouncement": kept(MARKETING) | {
        "action:test": everyone(MARKETING), "action:send": everyone(MARKETING),
        "url:preview": everyone(MARKETING)},
    "pages.Page": kept(CONTENT_EDITOR) | {
        "url:preview": everyone(CONTENT_EDITOR),
        "action:publish_draft": everyone(CONTENT_EDITOR),
        "action:discard_draft": everyone(CONTENT_EDITOR),
        "action:restore_revision": everyone(CONTENT_EDITOR)},
    "pages.Category": kept(CONTENT_EDITOR) | {
        "url:preview": everyone(CONTENT_EDITOR),
        "action:publish_draft": everyone(CONTENT_EDITOR),
        "action:discard_draft": everyone(CONTENT_EDITOR),
        "action:restore_revision": everyone(CONTENT_EDITOR)},
    "pages.Image": kept(CONTENT_EDITOR),
    # One row, made by its migration: never added or deleted.
    "pages.ContactDetails": {"list": everyone(CONTENT_EDITOR), "add": set(),
                             "change": edits(CONTENT_EDITOR), "delete": set(),
                             "history": everyone(CONTENT_EDITOR)},
    "privacy.PolicyVersion": kept(CONTENT_EDITOR, reads_only=(PRIVACY_OFFICER,)) | {
        "url:preview": everyone(CONTENT_EDITOR, PRIVACY_OFFICER),
        "url:preview_compare": everyone(CONTENT_EDITOR, PRIVACY_OFFICER),
        "url:publish": everyone(PRIVACY_OFFICER),
        "url:new_draft": everyone(CONTENT_EDITOR)},
    "privacy.Person": {
        "list": everyone(PRIVACY_OFFICER, BILLING), "add": everyone(BILLING),
        "change": edits(PRIVACY_OFFICER, BILLING), "delete": set(),
        "history": everyone(PRIVACY_OFFICER, BILLING),
        "action:record_opt_out": everyone(PRIVACY_OFFICER, BILLING)},
    "privacy.PrivacyRequest": {
        "list": everyone(PRIVACY_OFFICER), "add": set(), "change": edits(PRIVACY_OFFICER),
        "delete": set(), "history": everyone(PRIVACY_OFFICER),
        **{f"action:{name}": everyone(PRIVACY_OFFICER) for name in (
            "note", "correct", "complete", "erase", "deactivate", "copy", "refuse")}},
    "privacy.NewsletterSubscription": evidence(MARKETING, PRIVACY_OFFICER),
    "privacy.Recipient": kept(PRIVACY_OFFICER, reads_only=(LEGAL,)),
    "privacy.Disclosure": kept(PRIVACY_OFFICER, LEGAL),
    "privacy.ObtainedInformation": kept(PRIVACY_OFFICER, LEGAL),
    "privacy.StaffAccess": evidence(PRIVACY_OFFICER),
    "roochi_site.SignInFailure": evidence(PRIVACY_OFFICER) | {
        "action:unlock": everyone(PRIVACY_OFFICER)},
    "surveys.Survey": {
        "list": everyone(MARKETING, PRIVACY_OFFICER, LEGAL), "add": everyone(MARKETING),
        "change": edits(MARKETING, reads=(PRIVACY_OFFICER, LEGAL)), "delete": {SUPERUSER},
        "history": everyone(MARKETING, PRIVACY_OFFICER, LEGAL),
        "action:draw": everyone(MARKETING),
        "url:preview": everyone(MARKETING, PRIVACY_OFFICER, LEGAL),
        # The text answers are what people typed: the results need the entries' view.
        "url:results": everyone(MARKETING, PRIVACY_OFFICER),
        "url:chart": everyone(MARKETING, PRIVACY_OFFICER, LEGAL),
        "url:export": everyone(MARKETING)},
    "surveys.Entry": {"list": everyone(MARKETING, PRIVACY_OFFICER), "add": set(),
                      "change": reads(MARKETING, PRIVACY_OFFICER),
                      "delete": everyone(PRIVACY_OFFICER),
                      "history": everyone(MARKETING, PRIVACY_OFFICER)},
    "sitestats.Count": evidence(MARKETING) | {
        "url:export": everyone(MARKETING), "url:chart": everyone(MARKETING)},
}

ROLES = [*STAFF_ROLES, SUPERUSER, NO_ROLE]
STANDARD_PAGES = ("changelist", "add", "change", "delete", "history", "act")


def own_pages(model_admin) -> dict[str, URLPattern]:
    """The pages an admin adds beside Django's own and the object actions."""
    opts = model_admin.model._meta
    prefix = f"{opts.app_label}_{opts.model_name}_"
    return {pattern.name.removeprefix(prefix): pattern for pattern in model_admin.get_urls()
            if isinstance(pattern, URLPattern) and pattern.name
            and pattern.name.removeprefix(prefix) not in STANDARD_PAGES}


def pages_of(model_admin) -> list[str]:
    pages = ["list", "add", "change", "delete", "history"]
    pages += [f"action:{name}" for name in getattr(model_admin, "object_action_map", {})]
    return pages + [f"url:{name}" for name in own_pages(model_admin)]


def registered() -> dict[str, object]:
    return {model._meta.label: model_admin for model, model_admin in admin.site._registry.items()}


def test_every_admin_page_has_a_row_and_every_row_a_page():
    table = {(label, page) for label, row in MATRIX.items() for page in row}
    pages = {(label, page) for label, model_admin in registered().items()
             for page in pages_of(model_admin)}
    assert sorted(pages - table) == [], "admin pages with no row in MATRIX"
    assert sorted(table - pages) == [], "rows in MATRIX for pages that do not exist"


def member_of(role: str):
    user = get_user_model().objects.create_user(
        f"member-{re.sub(r'\W', '-', role.lower())}", is_staff=True,
        is_superuser=role == SUPERUSER)
    if role in STAFF_ROLES:
        user.groups.add(Group.objects.get(name=role))
    return user


def url_of(model_admin, page: str, obj) -> str:
    opts = model_admin.model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    if page in {"list", "add"}:
        return reverse(f"{name}_{'changelist' if page == 'list' else 'add'}")
    if page in {"change", "delete", "history"}:
        return reverse(f"{name}_{page}", args=[obj.pk])
    if page.startswith("action:"):
        return model_admin.object_action_url(obj, page.removeprefix("action:"))
    pattern = own_pages(model_admin)[page.removeprefix("url:")]
    arguments = [obj.pk] if pattern.pattern.converters else []
    return reverse(f"{name}_{page.removeprefix('url:')}", args=arguments)


def outcome(client: Client, url: str, page: str) -> str:
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, headers={"Sec-Fetch-Site": "same-origin"})
    if response.status_code == 403:
        return "refused"
    assert response.status_code in {200, 302}, (url, response.status_code)
    if response.status_code == 302:
        # Sent back to sign in would be a refusal in disguise.
        assert "/login/" not in response["Location"], url
        assert "second-factor" not in response["Location"], url
    if page == "change":
        return EDIT if response.context["has_change_permission"] else READ
    return "allowed"


def expected(row: dict[str, object], page: str, role: str) -> str:
    allowed = row[page]
    if isinstance(allowed, dict):
        return allowed.get(role, "refused")
    return "allowed" if role in allowed else "refused"


def sample_of(label: str, model):
    """A row made the way the quality gates make them; the newest is the adder's (a
    policy version's adder makes drafts, beside the published version 1)."""
    ADMIN_LISTS[label](1)
    return model._default_manager.order_by("-pk").first()


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_what_the_table_says(role):
    client = staff_sign_in(Client(), member_of(role))
    samples = {label: sample_of(label, model_admin.model)
               for label, model_admin in registered().items()}
    differences = []
    for label, model_admin in sorted(registered().items()):
        for page in pages_of(model_admin):
            seen = outcome(client, url_of(model_admin, page, samples[label]), page)
            want = expected(MATRIX[label], page, role)
            if seen != want:
                differences.append(f"{label} {page}: {seen}, the table says {want}")
    assert differences == []


def test_a_role_naming_an_unknown_permission_stops_the_sync(monkeypatch):
    monkeypatch.setitem(STAFF_ROLES, SUPPORT, (*STAFF_ROLES[SUPPORT], "inquiries.fly_inquiry"))
    with pytest.raises(ImproperlyConfigured, match=r"inquiries\.fly_inquiry"):
        roles_sync()


def test_the_groups_hold_exactly_the_table_after_a_sync():
    support = Group.objects.get(name=SUPPORT)
    support.permissions.add(*Group.objects.get(name=PRIVACY_OFFICER).permissions.all())
    Group.objects.get(name=LEGAL).delete()
    roles_sync()
    for role, names in STAFF_ROLES.items():
        held = Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename")
        assert sorted(f"{app}.{codename}" for app, codename in held) == sorted(names), role


def test_marketing_never_reaches_an_inquiry_or_a_person():
    """The issue's own words, checked on the permissions themselves as well."""
    marketing = member_of(MARKETING)
    for model in ("inquiries.inquiry", "privacy.person", "privacy.privacyrequest",
                  "communications.outboundmail"):
        app, name = model.split(".")
        assert not marketing.has_perm(f"{app}.view_{name}"), model
    assert not member_of(CONTENT_EDITOR).has_perm("privacy.publish_policyversion")


def test_the_roles_come_back_after_the_tables_are_emptied(committed_db):
    """``flush`` (a transactional test's cleanup) emits post_migrate as ``migrate``
    does; the sync runs once, after the last app."""
    call_command("flush", interactive=False, verbosity=0)
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(STAFF_ROLES)
