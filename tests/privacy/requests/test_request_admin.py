"""Staff act on a privacy request through one pattern (roochi_site.admin's
ObjectActionsAdminMixin): each action a form posted to its own address; the ones that
cannot be undone ask on a page of their own first (P8)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from communications.models import OutboundMail
from inquiries.models import Inquiry
from privacy.models import ClientProfile, Person, PrivacyRequest, StaffAccess
from privacy.models.people import email_hash
from privacy.policy import current_version
from tests.inquiries.conftest import InquiryFactory
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db

ANA = "ana@example.com"


def open_request(kind: str, email: str = ANA) -> PrivacyRequest:
    now = timezone.now()
    return PrivacyRequest.objects.create(
        reference=f"PR-{kind[:4].upper()}0001", kind=kind, email=email,
        email_hash=email_hash(email), status="verified", verify_by=now, verified_at=now,
        due_at=now + timedelta(days=30), policy_version=current_version(),
        purpose="privacy-request", wrong="Company name", should_be="Ana Trading Ltd")


def url(privacy_request: PrivacyRequest, action: str = "") -> str:
    base = f"/admin/privacy/privacyrequest/{privacy_request.pk}/"
    return f"{base}act/{action}/" if action else f"{base}change/"


def test_an_action_is_a_post_to_its_own_address(staff):
    privacy_request = open_request("copy")
    response = staff.get(url(privacy_request, "note"))
    assert (response.status_code, response["Location"]) == (302, url(privacy_request))
    assert staff.put(url(privacy_request, "note")).status_code == 405
    assert staff.post(url(privacy_request, "no-such-action")).status_code == 404
    assert staff.post("/admin/privacy/privacyrequest/999999/act/note/").status_code == 404
    response = staff.post(url(privacy_request, "note"), {"note": "Called her back."})
    assert (response.status_code, response["Location"]) == (302, url(privacy_request))
    assert privacy_request.events.filter(action="note", note="Called her back.").exists()


def test_staff_who_may_only_view_cannot_act(client):
    user = get_user_model().objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_privacyrequest"))
    staff_sign_in(client, user)
    privacy_request = open_request("delete")
    page = client.get(url(privacy_request)).text
    assert "Act on this request" not in page
    assert client.post(url(privacy_request, "note"), {"note": "x"}).status_code == 403
    assert client.get(url(privacy_request, "erase")).status_code == 403
    assert client.post(url(privacy_request, "erase"), {"confirm": "yes"}).status_code == 403
    privacy_request.refresh_from_db()
    assert privacy_request.is_open


def test_the_page_offers_what_the_kind_of_request_takes(staff):
    privacy_request = open_request("delete")
    page = staff.get(url(privacy_request)).text
    # Erasure cannot be undone: the page links to its confirmation, it does not post it.
    assert f'href="{url(privacy_request, "erase")}"' in page
    assert f'action="{url(privacy_request, "erase")}"' not in page
    assert f'action="{url(privacy_request, "note")}"' in page
    assert "Deactivate the person" not in page
    assert 'class="submit-row"' in page
    # The admin's own buttons, not the browser's.
    assert "<button" not in page[page.index('id="content-main"'):]


def test_irreversible_actions_are_each_named_on_the_page(staff):
    for kind, action in [("delete", "erase"), ("deactivate", "deactivate")]:
        privacy_request = open_request(kind, email=f"{kind}@example.com")
        page = staff.get(url(privacy_request)).text
        assert f'href="{url(privacy_request, action)}"' in page
        assert f'href="{url(privacy_request, "refuse")}"' in page


CONFIRMED = [("delete", "erase", {}), ("deactivate", "deactivate", {}),
             ("copy", "refuse", {"reason": "We hold nothing under this address."})]


@pytest.mark.parametrize(("kind", "action", "data"), CONFIRMED,
                         ids=[action for _, action, _ in CONFIRMED])
def test_an_irreversible_action_asks_first_and_a_post_without_the_confirmation_changes_nothing(
    staff, kind, action, data
):
    person = Person.objects.create(email=ANA)
    InquiryFactory(email=ANA)
    privacy_request = open_request(kind)
    mails = OutboundMail.objects.count()

    page = staff.get(url(privacy_request, action))
    assert page.status_code == 200
    assert "This cannot be undone." in page.text
    assert 'name="confirm" value="yes"' in page.text
    assert f'href="{url(privacy_request)}"' in page.text  # No, take me back

    # A post that did not come from the confirmation page does nothing but ask.
    for unconfirmed in [data, {**data, "confirm": "no"}]:
        response = staff.post(url(privacy_request, action), unconfirmed)
        assert response.status_code == 200
        assert "This cannot be undone." in response.text
        privacy_request.refresh_from_db()
        person.refresh_from_db()
        assert privacy_request.is_open
        assert (person.status, person.email) == (Person.Status.ACTIVE, ANA)
        assert Inquiry.objects.filter(email=ANA).exists()
        assert OutboundMail.objects.count() == mails

    response = staff.post(url(privacy_request, action), {**data, "confirm": "yes"})
    assert (response.status_code, response["Location"]) == (302, url(privacy_request))
    privacy_request.refresh_from_db()
    assert not privacy_request.is_open
    assert OutboundMail.objects.count() == mails + 1  # the person is told


def test_the_erasure_confirmation_shows_what_will_be_erased_and_logs_the_look(staff):
    Person.objects.create(email=ANA)
    InquiryFactory(email=ANA, message="Forty tonnes of rice, please.")
    privacy_request = open_request("delete")
    page = staff.get(url(privacy_request, "erase")).text
    assert "What will be erased" in page
    assert "inquiries.Inquiry: 1" in page
    assert "Forty tonnes of rice, please." in page
    assert "privacy.Person: 1" in page
    look = StaffAccess.objects.get(what__endswith="preview")
    assert look.subject_hash == email_hash(ANA)
    assert Inquiry.objects.filter(email=ANA).exists()


def test_a_refusal_without_a_reason_shows_its_form_again_with_the_error(staff):
    privacy_request = open_request("delete")
    response = staff.post(url(privacy_request, "refuse"), {"confirm": "yes", "reason": " "})
    assert response.status_code == 200
    assert "Say why the request is refused" in response.text
    assert 'name="confirm" value="yes"' in response.text
    privacy_request.refresh_from_db()
    assert privacy_request.is_open


def test_a_correction_is_chosen_from_the_persons_records_only(staff):
    person = Person.objects.create(email=ANA)
    profile = ClientProfile.objects.create(person=person, company="Ana Trading",
                                           account_number="C-100")
    ClientProfile.objects.create(person=Person.objects.create(email="bob@example.com"),
                                 company="Bob Co", account_number="C-200")
    privacy_request = open_request("correct")

    page = staff.get(url(privacy_request)).text
    assert "Show the person's data to choose what to correct." in page
    assert 'id="correct_record"' not in page

    page = staff.get(url(privacy_request) + "?preview=1").text
    assert 'for="correct_record">Record and field' in page
    assert f'value="privacy.ClientProfile|{profile.pk}|company"' in page
    assert "Bob Co" not in page
    assert "account_number = C-100" in page


def test_an_invalid_correction_shows_the_change_page_with_the_error_and_what_was_typed(staff):
    person = Person.objects.create(email=ANA)
    profile = ClientProfile.objects.create(person=person, company="Ana Trading",
                                           account_number="C-100")
    privacy_request = open_request("correct")
    typed = "Ana Trading " + "x" * 200  # longer than the column allows
    response = staff.post(url(privacy_request, "correct"), {
        "record": f"privacy.ClientProfile|{profile.pk}|company", "value": typed})
    assert response.status_code == 200
    assert "Please correct the error below." in response.text
    assert "Ensure this value has at most 200 characters" in response.text
    assert f'value="{typed}"' in response.text
    # The change page's own form still saves at the change page's address.
    assert f'action="{url(privacy_request)}"' in response.text
    profile.refresh_from_db()
    assert profile.company == "Ana Trading"


def test_a_closed_request_offers_no_action_and_refuses_one(staff):
    privacy_request = open_request("delete")
    PrivacyRequest.objects.filter(pk=privacy_request.pk).update(status="completed",
                                                               closed_at=timezone.now())
    assert "Act on this request" not in staff.get(url(privacy_request)).text
    response = staff.post(url(privacy_request, "erase"), {"confirm": "yes"})
    assert response.status_code == 200
    assert "Nothing was changed" in response.text


def test_the_list_masks_addresses_like_every_other_list(staff):
    open_request("copy")
    listing = staff.get("/admin/privacy/privacyrequest/").text
    assert "a\u2022\u2022\u2022@example.com" in listing
    assert ANA not in listing



def test_an_action_name_without_its_method_fails_the_system_check():
    from django.contrib import admin

    from roochi_site.admin import ObjectActionsAdminMixin

    class ForgetfulAdmin(ObjectActionsAdminMixin, admin.ModelAdmin):
        object_actions = ["archive"]

    errors = ForgetfulAdmin(PrivacyRequest, admin.AdminSite()).check()
    assert [error.id for error in errors] == ["roochi_site.E111"]


@pytest.mark.parametrize(("kind", "action", "data", "title"), [
    ("delete", "erase", {"confirm": "yes"}, "Erase"),
    ("copy", "note", {"note": "Called her back."}, "Note"),
])
def test_every_action_on_personal_data_is_in_the_staff_access_record(
        staff, kind, action, data, title):
    Person.objects.create(email=ANA)
    privacy_request = open_request(kind)
    response = staff.post(url(privacy_request, action), data)
    assert response.status_code == 302
    [record] = StaffAccess.objects.filter(action=StaffAccess.Action.ACT)
    assert record.subject_hash == email_hash(ANA)  # whose data, though it is now erased
    assert record.what.startswith(f"privacy request {privacy_request.reference}: ")
    assert title.lower() in record.what.lower()
    assert ANA not in record.what


def test_an_action_refused_as_invalid_leaves_no_record(staff):
    privacy_request = open_request("delete")
    staff.post(url(privacy_request, "refuse"), {"confirm": "yes", "reason": ""})
    assert not StaffAccess.objects.filter(action=StaffAccess.Action.ACT).exists()
