"""P9: a material change, or a new use of information, mails everyone who opted to
receive communications what changed and a choice; the choice is recorded with the
version, and whoever declines stays governed by the version their data was collected
under, as the staff views say."""

import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from communications.mailings import mailing_progress
from communications.models import OutboundMail
from privacy.models import Person, PolicyChoice, PolicyVersion
from privacy.services.policy_choices import policy_choice_url
from privacy.services.policy_versions import policy_version_publish
from roochi_site.csrf import form_token_new
from tests.inquiries.conftest import InquiryFactory
from tests.privacy.people_states import (
    address,
    client,
    clients_in_every_state,
    subscribers_in_every_state,
)
from tests.privacy.policy.factories import draft_from
from tests.staff import staff_sign_in

# Those who opted to receive communications: clients and confirmed subscribers who
# did not stop since (docs/decisions.md).
REACHED = ["client", "client-no-newsletter", "subscriber", "client-subscriber"]
CHOICE_LINK = re.compile(r"http://127\.0\.0\.1:8000(/privacy/choice/[^/\s]+/)")


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@roochi.com", "x" * 16)


def publish(version_1, editor, *, effective_at=None, **marks) -> PolicyVersion:
    draft = draft_from(version_1, replace={"Cookies": "We set no cookie at all."},
                       change_summary="We say plainly that the site sets no cookie.", **marks)
    return policy_version_publish(version=draft, effective_at=effective_at or timezone.now(),
                                  published_by=editor)


@pytest.mark.usefixtures("committed_db")
@pytest.mark.parametrize("marks", [{"is_material": True}, {"is_new_use": True}])
def test_a_material_change_or_new_use_mails_those_who_accept_communications(
        version_1, editor, smtp_server, run_tasks, marks):
    clients_in_every_state()
    subscribers_in_every_state()
    run_tasks()  # the subscription's confirmation mails
    smtp_server.messages.clear()
    version = publish(version_1, editor, **marks)
    run_tasks()
    assert sorted(message["To"] for message in smtp_server.messages) == sorted(
        address(state) for state in REACHED)
    progress = mailing_progress(version.change_mailing)
    assert (progress.prepared, progress.sent, progress.total) == (True, 4, 4)
    message = smtp_server.messages[0]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "http://127.0.0.1:8000/privacy/compare/1/2/" in text
    [link] = CHOICE_LINK.findall(text)
    assert f'href="http://127.0.0.1:8000{link}"' in html
    assert OutboundMail.objects.filter(category="policy_change").count() == 4


@pytest.mark.django_db
def test_a_version_that_changes_no_use_mails_nobody(version_1, editor):
    client("client")
    version = publish(version_1, editor)
    assert version.change_mailing is None
    assert not OutboundMail.objects.exists()


@pytest.mark.django_db
def test_a_scheduled_version_is_mailed_once_from_its_publication(version_1, editor):
    version = publish(version_1, editor, is_material=True,
                      effective_at=timezone.now() + timedelta(days=14))
    assert version.change_mailing is not None
    # The version is published: nothing, the database included, can mail it again.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE privacy_policyversion SET change_mailing_id = NULL "
                       "WHERE id = %s", [version.pk])


@pytest.fixture
def admin_client_of():
    def signed_in(user) -> Client:
        staff = Client()
        staff_sign_in(staff, user)
        return staff

    return signed_in


def choice_path(person: Person, version: PolicyVersion) -> str:
    return policy_choice_url(person=person, version=version).removeprefix(
        "http://127.0.0.1:8000")


def choice_page(path: str, choice: str | None = None):
    browser = Client(headers={"Sec-Fetch-Site": "same-origin"})
    if choice is None:
        return browser.get(path)
    data = {"form_token": form_token_new("PolicyChoiceForm")}
    if choice:
        data["choice"] = choice
    return browser.post(path, data)


@pytest.mark.django_db
def test_the_choice_link_shows_the_change_and_records_a_decline(version_1, editor):
    person = client("client")
    version = publish(version_1, editor, is_new_use=True)
    path = choice_path(person, version)

    shown = choice_page(path)
    assert shown.status_code == 200
    assert not shown.cookies
    assert 'href="/privacy/compare/1/2/"' in shown.text
    assert shown["Cache-Control"].startswith("max-age=0")

    refused = choice_page(path, choice="")
    assert refused.status_code == 400
    assert "Choose whether you accept or decline." in refused.text
    assert not PolicyChoice.objects.exists()

    recorded = choice_page(path, choice="decline")
    assert recorded.status_code == 200
    assert "stays governed by the version it was collected under" in recorded.text
    assert not recorded.cookies
    choice = PolicyChoice.objects.get()
    assert (choice.person, choice.version, choice.accepted) == (person, version, False)

    choice_page(path, choice="accept")
    assert PolicyChoice.objects.get().accepted is True


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["forged", "WzEsMl0:1tQx:abc"])
def test_a_forged_choice_link_records_nothing(token):
    assert choice_page(f"/privacy/choice/{token}/").status_code == 404
    assert choice_page(f"/privacy/choice/{token}/", choice="accept").status_code == 404
    assert not PolicyChoice.objects.exists()


@pytest.mark.django_db
def test_the_link_of_a_person_deactivated_since_records_nothing(version_1, editor):
    person = client("client")
    version = publish(version_1, editor, is_material=True)
    path = choice_path(person, version)
    person.status, person.status_changed_at = Person.Status.DEACTIVATED, timezone.now()
    person.save()
    assert choice_page(path, choice="accept").status_code == 404
    assert not PolicyChoice.objects.exists()


@pytest.mark.django_db
def test_staff_see_that_a_person_who_declined_stays_under_their_version(
        version_1, editor, admin_client_of):
    person = client("client")
    inquiry = InquiryFactory(email=person.email, policy_version=version_1)
    version = publish(version_1, editor, is_new_use=True)
    staff = admin_client_of(editor)
    inquiry_page = staff.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/")
    assert "declined version" not in inquiry_page.text

    PolicyChoice.objects.create(person=person, version=version, accepted=False)
    inquiry_page = staff.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/")
    assert "governed by version 1 (declined version 2)" in inquiry_page.text
    person_page = staff.get(f"/admin/privacy/person/{person.pk}/change/")
    assert "governed by version 1 (declined version 2)" in person_page.text
    version_page = staff.get(f"/admin/privacy/policyversion/{version.pk}/change/")
    assert "1 declined" in version_page.text


@pytest.mark.django_db
def test_the_persons_copy_names_the_version_they_answered(version_1):
    from privacy.registry import readable_copy

    person = client("client")
    PolicyChoice.objects.create(person=person, version=version_1, accepted=False)
    [section] = [section for section in readable_copy(person.email)
                 if section.title == "Your choices about changes to our privacy policy"]
    [record] = section.records
    assert [(item.label, item.value) for item in record][:2] == [
        ("Privacy policy version", str(version_1)), ("Accepted the new use", "No")]


@pytest.mark.django_db
def test_the_publish_page_says_whether_publishing_mails(version_1, editor, admin_client_of):
    staff = admin_client_of(editor)
    quiet = draft_from(version_1, change_summary="Typos.")
    material = draft_from(version_1, change_summary="Shared with a carrier.", is_material=True)
    publish_page = "/admin/privacy/policyversion/{}/publish/"
    assert "None: neither a material change" in staff.get(publish_page.format(quiet.pk)).text
    assert "Publishing mails our clients" in staff.get(publish_page.format(material.pk)).text
