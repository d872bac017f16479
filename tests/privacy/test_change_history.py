"""Who changed which field of an inquiry, a privacy request or a person, and when: kept
as the record is changed, shown in its history, and erased with the person while the
fact of the change stays."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from inquiries.models import Inquiry
from privacy import registry
from privacy.models import Person, StaffAccess
from roochi_site.models import FieldChange
from tests.inquiries.conftest import InquiryFactory
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db

ANA = "ana@example.com"


@pytest.fixture
def lead(client):
    user = get_user_model().objects.create_superuser("lead", "lead@roochi.com", "x" * 16)
    staff_sign_in(client, user)
    client.user = user
    return client


def test_a_staff_change_is_kept_with_who_and_what_and_shown_in_the_history(lead):
    inquiry = InquiryFactory(email=ANA, status="new")
    response = lead.post(f"/admin/inquiries/inquiry/{inquiry.pk}/act/handling/",
                         {"status": "waiting", "assigned_to": lead.user.pk})
    assert response.status_code == 302
    changes = {change.field: change for change in FieldChange.objects.all()}
    assert set(changes) == {"status", "assigned_to"}
    assert (changes["status"].old_value, changes["status"].new_value) == ("new", "waiting")
    assert changes["status"].changed_by == lead.user

    page = lead.get(f"/admin/inquiries/inquiry/{inquiry.pk}/history/").content.decode()
    assert "Changes to its fields" in page
    assert "waiting" in page
    assert StaffAccess.objects.filter(what__endswith=": history").count() == 1


def test_a_change_made_by_the_site_itself_names_no_one():
    person = Person.objects.create(email=ANA)
    person.newsletter_opt_out = True
    person.save()
    [change] = FieldChange.objects.all()
    assert (change.field, change.old_value, change.new_value, change.changed_by) == (
        "newsletter_opt_out", "False", "True", None)


def test_saving_without_a_change_records_nothing():
    person = Person.objects.create(email=ANA)
    person.save()
    assert not FieldChange.objects.exists()


def test_erasure_blanks_the_values_and_keeps_the_fact():
    person = Person.objects.create(email="ana.old@example.com")
    person.email = ANA
    person.save()
    [change] = FieldChange.objects.all()
    assert change.old_value == "ana.old@example.com"
    registry.erase_person(ANA)
    change.refresh_from_db()
    assert (change.field, change.old_value, change.new_value) == (
        "email", "Erased at the person's request.", "Erased at the person's request.")


def test_a_record_deleted_past_its_retention_takes_its_history(settings):
    inquiry = InquiryFactory(email=ANA, phone="+13235550100")
    inquiry.phone = "+13235550199"
    inquiry.save()
    assert FieldChange.objects.exists()
    Inquiry.objects.filter(pk=inquiry.pk).delete()
    assert not FieldChange.objects.exists()
    call_command("check")
