"""P7: every admin page of a model the personal-data registry declares logs each staff
look at a row, with a hash of whose data it was; its list masks and logs nothing. A new
admin page cannot forget it: every registered model is either declared (and its admin
uses PersonalDataAdminMixin) or said to hold no personal data, with the reason."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone

from communications.models import OutboundMail, UndeliverableAddress
from privacy.models import (
    ClientProfile,
    NewsletterSource,
    NewsletterSubscription,
    PrivacyRequest,
    StaffAccess,
)
from privacy.models.people import email_hash
from privacy.policy import current_version
from privacy.services.newsletter import newsletter_signup_start
from roochi_site import admin as roochi_admin
from roochi_site.admin import PersonalDataAdminMixin, SuperuserOnlyAdminMixin
from roochi_site.personal_data import declaration_for, exemptions
from tests.inquiries.conftest import InquiryFactory
from tests.privacy.requests.factories import (
    DisclosureFactory,
    ObtainedInformationFactory,
    PersonFactory,
)
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db

EMAIL = "ana.perez@example.com"

# Registered in the admin, not declared in the registry, and not declared not_personal
# either (models of Django and of installed packages): why each holds no personal data
# of the people the policy is about.
NOT_PERSONAL = {
    "auth.User": "Our own staff's accounts (their sign-in and roles), not visitors' or "
    "clients' data; only administrators open them.",
    "auth.Group": "Staff roles: a name and a set of permissions.",
    "django_tasks_database.DBTaskResult": "Queued background work: the arguments are row "
    "ids (mail_id), never an address or a text.",
    "privacy.StaffAccess": "The staff access log itself: which staff member opened which "
    "page; whose data it was only as a keyed hash (P8).",
}


def registered_declared_admins() -> list[tuple[str, object]]:
    return sorted((model._meta.label, model_admin)
                  for model, model_admin in admin.site._registry.items()
                  if declaration_for(model) is not None)


def test_every_admin_page_of_personal_data_uses_the_mixin_and_every_other_says_why():
    exempt = {entry.model for entry in exemptions()}
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        if declaration_for(model) is not None:
            assert isinstance(model_admin, PersonalDataAdminMixin), (
                f"{type(model_admin).__name__} shows {label}, which the registry declares "
                "personal: it must use roochi_site.admin.PersonalDataAdminMixin (P7)")
        else:
            assert model in exempt or label in NOT_PERSONAL, (
                f"{label} is in the admin: declare it in the registry, or say why it holds "
                "no personal data (not_personal, or NOT_PERSONAL here)")
        # An inline of personal data is part of its page, so that page must log.
        for inline in model_admin.inlines:
            if declaration_for(inline.model) is not None:
                assert isinstance(model_admin, PersonalDataAdminMixin), (
                    f"{inline.__name__} shows {inline.model._meta.label} on {label}'s page")
    assert set(NOT_PERSONAL) <= {model._meta.label for model in admin.site._registry}


def test_the_reasons_are_given():
    assert all(reason.strip() for reason in NOT_PERSONAL.values())
    assert all(entry.reason.strip() for entry in exemptions())


def outbound_mail(email):
    return OutboundMail.objects.create(to=email, subject="We received your request RT-ABC234",
                                       body=f"Hello, we will write to {email}.",
                                       category=OutboundMail.Category.REPLY,
                                       purpose="inquiry-ack")


def privacy_request(email):
    now = timezone.now()
    return PrivacyRequest.objects.create(
        reference="PR-1234ABCD", kind="copy", email=email, email_hash=email_hash(email),
        status="verified", verify_by=now, verified_at=now, due_at=now + timedelta(days=30),
        policy_version=current_version(), purpose="privacy-request")


def survey_entry(email):
    from surveys.models import Entry
    from tests.surveys.conftest import SurveyFactory

    return Entry.objects.create(survey=SurveyFactory(), email=email, name="Ana Pérez",
                                policy_version=current_version(), purpose="survey")


def newsletter_subscription(email):
    newsletter_signup_start(email=email, source=NewsletterSource.NEWSLETTER_SIGNUP,
                            wording="Send me the newsletter.", policy_version=current_version())
    return NewsletterSubscription.objects.get()


# One row about the person with EMAIL, for each admin of a declared model.
ROWS = {
    "communications.OutboundMail": outbound_mail,
    "communications.UndeliverableAddress": lambda email: UndeliverableAddress.objects.create(
        email=email, marked_at=timezone.now(), status_code="5.1.1"),
    "inquiries.Inquiry": lambda email: InquiryFactory(email=email),
    "privacy.Person": lambda email: PersonFactory(email=email),
    "privacy.NewsletterSubscription": newsletter_subscription,
    "privacy.PrivacyRequest": privacy_request,
    "privacy.Disclosure": lambda email: DisclosureFactory(
        person__email=email, details="Name and delivery address"),
    "privacy.ObtainedInformation": lambda email: ObtainedInformationFactory(
        person__email=email, details="Credit limit 20,000 USD"),
    "surveys.Entry": survey_entry,
}


def test_every_declared_admin_has_a_row_to_test_with():
    assert sorted(ROWS) == [label for label, _ in registered_declared_admins()]


def viewer(model) -> Client:
    """A staff member who may only view this model; for a technical page, which no
    role opens, one who operates the site."""
    technical = isinstance(admin.site.get_model_admin(model), SuperuserOnlyAdminMixin)
    user = get_user_model().objects.create_user("viewer", is_staff=True,
                                                is_superuser=technical)
    user.user_permissions.add(Permission.objects.get(
        content_type__app_label=model._meta.app_label,
        codename=f"view_{model._meta.model_name}"))
    client = Client()
    staff_sign_in(client, user)
    client.user = user
    return client


@pytest.mark.parametrize("label", sorted(ROWS))
def test_opening_a_row_logs_one_look_with_the_persons_hash(label):
    row = ROWS[label](EMAIL)
    opts = row._meta
    staff = viewer(type(row))
    response = staff.get(f"/admin/{opts.app_label}/{opts.model_name}/{row.pk}/change/")
    assert response.status_code == 200
    [look] = StaffAccess.objects.all()
    assert (look.user, look.action, look.subject_hash) == (staff.user, "view", email_hash(EMAIL))
    assert EMAIL not in look.what


@pytest.mark.parametrize("label", sorted(ROWS))
def test_the_list_shows_no_address_and_logs_nothing(label):
    row = ROWS[label](EMAIL)
    opts = row._meta
    response = viewer(type(row)).get(f"/admin/{opts.app_label}/{opts.model_name}/")
    assert response.status_code == 200
    assert f"/{row.pk}/change/" in response.text  # the row is listed
    assert EMAIL not in response.text
    assert not StaffAccess.objects.exists()


def test_a_page_of_personal_data_is_refused_when_nobody_logs_the_look(monkeypatch):
    row = outbound_mail(EMAIL)
    monkeypatch.setattr(roochi_admin, "_staff_access_recorders", [])
    with pytest.raises(ImproperlyConfigured, match="No staff access recorder"):
        viewer(OutboundMail).get(f"/admin/communications/outboundmail/{row.pk}/change/")


def test_the_person_page_and_its_client_profile_are_one_look(client):
    person = PersonFactory(email=EMAIL)
    ClientProfile.objects.create(person=person, company="Ana Trading", account_number="C-9")
    staff_sign_in(client, get_user_model().objects.create_superuser("lead", "lead@roochi.com",
                                                                 "x" * 16))
    assert "Ana Trading" in client.get(f"/admin/privacy/person/{person.pk}/change/").text
    assert StaffAccess.objects.count() == 1


def test_a_list_column_showing_a_declared_address_fails_the_system_check():
    class CarelessMailAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
        list_display = ["subject", "to"]

    class UndeclaredAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
        pass

    site = admin.AdminSite()
    assert [error.id for error in CarelessMailAdmin(OutboundMail, site).check()] == [
        "roochi_site.E102"]
    assert [error.id for error in UndeclaredAdmin(StaffAccess, site).check()] == [
        "roochi_site.E101"]


def test_the_record_is_kept_for_its_configured_time(settings):
    from django.core.management import call_command

    from roochi_site.models import SignInFailure

    staff = get_user_model().objects.create_user("viewer", is_staff=True)
    old, recent = (StaffAccess.objects.create(user=staff, action="view", what=f"look {n}")
                   for n in range(2))
    StaffAccess.objects.filter(pk=old.pk).update(
        at=timezone.now() - timedelta(days=settings.STAFF_ACCESS_RECORD_DAYS + 1))
    failure = SignInFailure.objects.create(account_key="a" * 64, client_key="b" * 64)
    SignInFailure.objects.filter(pk=failure.pk).update(
        at=timezone.now() - timedelta(days=settings.STAFF_SIGN_IN_RECORD_DAYS + 1))
    call_command("purge_staff_records", "--dry-run")
    assert StaffAccess.objects.count() == 2
    call_command("purge_staff_records")
    assert list(StaffAccess.objects.all()) == [recent]
    assert not SignInFailure.objects.exists()


def test_staff_cannot_change_or_delete_the_record(admin_client):
    record = StaffAccess.objects.create(user=get_user_model().objects.get(username="admin"),
                                        action="view", what="inquiry 1")
    page = f"/admin/privacy/staffaccess/{record.pk}/"
    assert admin_client.post(f"{page}change/", {"what": "nothing"}).status_code == 403
    assert admin_client.post(f"{page}delete/", {"post": "yes"}).status_code == 403
    assert StaffAccess.objects.get().what == "inquiry 1"
    assert admin_client.get("/admin/privacy/staffaccess/?action__exact=view&q=inquiry"
                            ).status_code == 200


def test_the_staffs_own_data_is_declared_as_staff_data_with_how_long_it_is_kept():
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from roochi_site.models import SignInFailure

    staff = {exemption.model: exemption for exemption in exemptions()
             if exemption.is_staff_data}
    assert set(staff) >= {get_user_model(), TOTPDevice, StaticDevice, SignInFailure}
    for exemption in staff.values():
        assert exemption.reason.startswith("Staff data: ")
        assert len(exemption.kept) > 20
