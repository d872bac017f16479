"""P8: after an erasure no column of any table holds the person's email, phone or
name; only the keyed hash remains. Every app that registers personal data must put
some here first, so a new app cannot slip past the test."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import DataError
from django.test import Client
from django.utils import timezone

from communications.mailings import mailing_prepare
from communications.models import OutboundMail, UndeliverableAddress
from communications.services import mail_queue
from inquiries.models import InquiryEvent
from inquiries.services import inquiry_customer_message_add, inquiry_submit
from mailings.models import ServiceAnnouncement
from mailings.services import staff_mailing_send
from privacy import registry
from privacy.models import (
    Disclosure,
    NewsletterSubscription,
    OptOutChannel,
    Person,
    PolicyChoice,
    PrivacyRequest,
    PrivacyRequestEvent,
)
from privacy.models.people import email_hash
from privacy.policy import current_version
from privacy.services.newsletter import newsletter_subscribers, newsletter_unsubscribe
from roochi_site import personal_data
from roochi_site.models import FieldChange
from roochi_site.personal_data import Erasure, PersonalData
from tests.database import traces
from tests.inquiries.conftest import InquiryFactory
from tests.privacy.newsletter.conftest import subscribe
from tests.privacy.requests.conftest import request_confirm, request_submit
from tests.privacy.requests.factories import (
    DisclosureFactory,
    ObtainedInformationFactory,
    RecipientFactory,
)
from tests.staff import staff_sign_in

pytestmark = pytest.mark.usefixtures("committed_db")

EMAIL = "ana.example@example.com"
NAME = "Anastasia Exampleton"
PHONE = "3235550142"
PHONE_WRITTEN = "(323) 555-0142"
ACCOUNT = "C-7788"


def no_data(*, email: str, name: str, phone: str) -> None:
    """Apps whose registry entries are all not_personal hold nothing about a person."""


def communications_data(*, email: str, name: str, phone: str) -> None:
    mail_queue(to=email, subject=f"Hello {name}", template_name="communications/mail/footer.txt",
               context={}, category=OutboundMail.Category.SERVICE, purpose="test")
    OutboundMail.objects.filter(to=email).update(body=f"Dear {name}, we will call {phone}.")
    # Their address bounced once (communications/inbox.py).
    UndeliverableAddress.objects.create(email=email, marked_at=timezone.now(),
                                        status_code="5.2.2")


def admin_data(*, email: str, name: str, phone: str) -> None:
    """What staff enter in the admin, so that Django's change log holds entries about
    the person (P8: the log is erased with them)."""
    staff = Client()
    staff_sign_in(staff, get_user_model().objects.create_superuser(
        "clerk", "clerk@roochi.com", "a-long-staff-password"))
    added = staff.post("/admin/privacy/person/add/", {
        "email": email.upper(),
        "client-TOTAL_FORMS": "1", "client-INITIAL_FORMS": "0",
        "client-0-company": f"{name} Trading", "client-0-account_number": ACCOUNT,
    })
    assert added.status_code == 302, added.text
    person = Person.objects.get(email=email)
    recipient = RecipientFactory()
    added = staff.post("/admin/privacy/disclosure/add/", {
        "recipient": recipient.pk, "person": person.pk, "disclosed_on": "2026-11-30",
        "purpose": f"Shipping order 1042 for {name}", "legal_basis": "contract",
        "details": f"{name}, 12 Harbour Road",
    })
    assert added.status_code == 302, added.text
    assert LogEntry.objects.count() == 2


def privacy_data(*, email: str, name: str, phone: str) -> None:
    person, _ = Person.objects.get_or_create(email=email)
    DisclosureFactory(person=person, details=f"{name}, {PHONE_WRITTEN}, 12 Harbour Road")
    ObtainedInformationFactory(person=person, details=f"Credit file of {name}")

    older = PrivacyRequest.objects.create(
        reference="PR-OLDER1", kind="correct", email=email, email_hash=email_hash(email),
        wrong="my phone", should_be=phone, status="completed", verify_by=person.created_at,
        verified_at=person.created_at, due_at=person.created_at,
        policy_version=current_version(), purpose="privacy-request",
    )
    PrivacyRequestEvent.objects.create(request=older, action="note",
                                       note=f"Called {name} back on {PHONE_WRITTEN}")
    PolicyChoice.objects.create(person=person, version=current_version(), accepted=False)


def mailings_data(*, email: str, name: str, phone: str) -> None:
    """A service announcement that reached the person (a client, from admin_data)."""
    staff = get_user_model().objects.create_user("announcer", is_staff=True)
    announcement = ServiceAnnouncement.objects.create(
        subject="Planned maintenance", body="Our order desk is closed on Sunday.",
        created_by=staff)
    mailing = staff_mailing_send(item=announcement, user=staff)
    mailing_prepare(mailing_id=mailing.pk)
    assert OutboundMail.objects.filter(mailing=mailing, to=email).exists()

    # The newsletter's consent, an opt-out with its note, and a consent given again.
    subscribe(email)
    newsletter_unsubscribe(email=email, channel=OptOutChannel.REPLY,
                           note=f"{name} replied from {PHONE_WRITTEN}")
    subscribe(email)


def inquiries_data(*, email: str, name: str, phone: str) -> None:
    inquiry = InquiryFactory(email=email, name=name, phone=f"+1{phone}",
                             message=f"Please call {name} on {PHONE_WRITTEN}.")
    # The same person writing again, spelling the address another way.
    local, domain = email.split("@")
    for spelling in [f'"{local}"@{domain.upper()}', f"{local}@{domain[:3]}\u00ad{domain[3:]}"]:
        inquiry_submit(
            purpose="support", name=name, email=spelling, phone=f"+1{phone}",
            reply_by="email", company="", topic="delivery", order_number="SO-12345678",
            message=f"{name} again", newsletter=False, other_purposes=False,
            policy_version=current_version(), form_token=spelling, client_address="192.0.2.1",
        )
    InquiryEvent.objects.create(inquiry=inquiry, kind=InquiryEvent.Kind.NOTE,
                                text=f"Spoke to {name}")
    # Their answers from the support inbox: to their own inquiry, and in the thread of
    # a colleague's, who copied them in.
    inquiry_customer_message_add(inquiry=inquiry, sender=email,
                                 text=f"Regards, {name}, {PHONE_WRITTEN}")
    colleagues = InquiryFactory(email="colleague@example.com", name="A Colleague")
    inquiry_customer_message_add(inquiry=colleagues, sender=email, text=f"{name} here.")


def field_history_data(*, email: str, name: str, phone: str) -> None:
    """Field changes that carry the person's values (roochi_site.FieldChange)."""
    person, _ = Person.objects.get_or_create(email=email)
    correction = PrivacyRequest.objects.create(
        reference="PR-HISTORY", kind="correct", email=email, email_hash=email_hash(email),
        wrong="my name", should_be="unknown", status="completed", verify_by=person.created_at,
        verified_at=person.created_at, due_at=person.created_at,
        policy_version=current_version(), purpose="privacy-request",
    )
    correction.should_be = f"{name}, {PHONE_WRITTEN}"
    correction.save()
    assert FieldChange.objects.filter(new_value__contains=name).exists()


def surveys_data(*, email: str, name: str, phone: str) -> None:
    """A contest entry shared with its intermediary, with answers, that won the draw
    and was told by mail."""
    from datetime import timedelta

    from surveys.models import Question, Survey
    from surveys.services import contest_draw, entry_submit
    from tests.surveys.conftest import with_intermediary

    survey = with_intermediary()
    entry_submit(
        survey=survey, name=name, email=email.upper(),
        shipping_address=f"12 Harbour Road, call {PHONE_WRITTEN}", zip_code="94607",
        answers={survey.questions.get(kind=Question.Kind.LONG_TEXT): [f"{name} likes tea"]},
        share_with_intermediary=True, policy_version=current_version(),
        client_address="192.0.2.1")
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=timezone.localdate() - timedelta(days=9),
        closes_on=timezone.localdate() - timedelta(days=1))
    survey.refresh_from_db()
    contest_draw(survey=survey, by=get_user_model().objects.create_user("drawer",
                                                                        is_staff=True))


# Each app that registers personal data: how to give it data about one person.
APP_DATA = {
    "admin": admin_data,
    "auth": no_data,
    "sessions": no_data,
    "django_tasks_database": no_data,
    "pages": no_data,
    "roochi_site": field_history_data,
    "otp_static": no_data,
    "otp_totp": no_data,
    "communications": communications_data,
    "privacy": privacy_data,
    "inquiries": inquiries_data,
    "sitestats": no_data,
    "mailings": mailings_data,
    "surveys": surveys_data,
}


def registered_apps() -> set[str]:
    return {entry.model._meta.app_label
            for entry in [*personal_data.declarations(), *personal_data.exemptions()]}


def test_every_app_that_registers_personal_data_has_test_data():
    missing = registered_apps() - set(APP_DATA)
    assert not missing, f"Add a data function for {sorted(missing)} to APP_DATA"


def test_erasure_leaves_no_trace_of_email_phone_or_name(client, staff, smtp_server, run_tasks):
    for app in sorted(registered_apps()):
        APP_DATA[app](email=EMAIL, name=NAME, phone=PHONE)
    request_submit(client, EMAIL, "delete")
    run_tasks()
    privacy_request = request_confirm(client, EMAIL)
    staff.get(f"/admin/privacy/privacyrequest/{privacy_request.pk}/change/?preview=1")
    # Before: the dump finds them, so the search itself works.
    assert traces(EMAIL)
    assert traces(NAME)
    assert traces(PHONE)

    staff.post(f"/admin/privacy/privacyrequest/{privacy_request.pk}/act/erase/",
               {"confirm": "yes"})
    run_tasks()

    assert traces(EMAIL) == []
    assert traces(NAME) == []
    assert traces(PHONE) == []
    assert traces(ACCOUNT) == []
    # Django's change log keeps that staff acted, not what about.
    assert LogEntry.objects.count() == 2
    # The person was told, and only the hash remains, keeping them unsubscribed.
    assert any("is done" in m["Subject"] for m in smtp_server.messages if m["To"] == EMAIL)
    person = Person.objects.get(email_hash=email_hash(EMAIL))
    assert person.status == Person.Status.ERASED
    assert person.email is None
    assert traces(email_hash(EMAIL))
    privacy_request.refresh_from_db()
    assert privacy_request.status == PrivacyRequest.Status.COMPLETED
    # Disclosures stay on record (P10), tied to the hash only.
    assert Disclosure.objects.filter(person=person).exists()
    # The newsletter's consent and the opt-outs went; the erasure stops the newsletter.
    assert not NewsletterSubscription.objects.exists()
    assert not person.opt_outs.exists()
    assert list(newsletter_subscribers()) == []

    smtp_server.messages.clear()
    mail_queue(to=EMAIL, subject="News", template_name="communications/mail/footer.txt",
               context={}, category=OutboundMail.Category.SERVICE, purpose="news")
    run_tasks()
    assert smtp_server.messages == []
    assert OutboundMail.objects.get(subject="News").status == OutboundMail.Status.SUPPRESSED


def test_erasure_is_all_or_nothing(client, staff, monkeypatch):
    privacy_data(email=EMAIL, name=NAME, phone=PHONE)
    communications_data(email=EMAIL, name=NAME, phone=PHONE)
    request_submit(client, EMAIL, "delete")
    privacy_request = request_confirm(client, EMAIL)
    # The last erasure fails (a value its column cannot take), after every other
    # declaration's rows were erased.
    failing = PersonalData(model=Disclosure, fields=("details",), person_lookup="person__email",
                           erasure=Erasure.ANONYMISE, anonymised_values={"legal_basis": "x" * 100})
    others = [d for d in registry.declarations() if d.model is not Disclosure]
    monkeypatch.setattr(registry, "declarations", lambda: [*others, failing])
    with pytest.raises(DataError):
        staff.post(f"/admin/privacy/privacyrequest/{privacy_request.pk}/act/erase/",
                   {"confirm": "yes"})
    assert traces(NAME)
    assert Person.objects.get(email=EMAIL).status == Person.Status.ACTIVE
    assert OutboundMail.objects.filter(to=EMAIL, purpose="test").exists()
    privacy_request.refresh_from_db()
    assert privacy_request.is_open


def test_an_erased_person_who_comes_back_is_heard(client, staff, smtp_server, run_tasks):
    request_submit(client, EMAIL, "delete")
    privacy_request = request_confirm(client, EMAIL)
    staff.post(f"/admin/privacy/privacyrequest/{privacy_request.pk}/act/erase/",
               {"confirm": "yes"})
    run_tasks()
    smtp_server.messages.clear()

    # The confirmation link reaches them although they are erased: they asked for it.
    request_submit(client, EMAIL, "reactivate")
    run_tasks()
    assert smtp_server.messages[0]["Subject"].startswith("Please confirm")
    request_confirm(client, EMAIL)
    person = Person.objects.get(email_hash=email_hash(EMAIL))
    assert person.status == Person.Status.ACTIVE
    assert person.email == EMAIL


def test_the_admin_log_entries_about_a_person_are_erased_with_them():
    """Whatever a model's text was when staff changed it, the log's copy goes (P8)."""
    from django.contrib.contenttypes.models import ContentType

    inquiry = InquiryFactory(email=EMAIL, name=NAME)
    user = get_user_model().objects.create_user("clerk", password="a-long-staff-password")
    about = LogEntry.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(inquiry),
        object_id=str(inquiry.pk), object_repr=f"{NAME} <{EMAIL}>", action_flag=2,
        change_message=f"Called {NAME}")
    other = LogEntry.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(inquiry),
        object_id=str(inquiry.pk + 1000), object_repr="Someone else", action_flag=2)
    registry.erase_person(EMAIL)
    about.refresh_from_db()
    assert (about.object_repr, about.change_message) == ("Erased at the person's request.", "")
    other.refresh_from_db()
    assert other.object_repr == "Someone else"


@pytest.mark.parametrize(
    "declaration",
    [d for d in personal_data.declarations() if not d.model.__module__.startswith("django.")],
    ids=lambda declaration: declaration.label)
def test_no_model_shows_its_personal_fields_in_its_text(declaration):
    """A model's text is copied into Django's change log and shown in admin pages:
    it never names a declared personal field (P7, P8). Django's own log entry shows
    what it copied; it is erased with the person (above)."""
    import inspect

    source = inspect.getsource(declaration.model.__str__)
    assert [name for name in declaration.fields if f"self.{name}" in source] == []


def test_an_erasure_whose_finishing_worker_died_is_finished_by_the_next(
        client, staff, smtp_server, run_tasks, settings):
    """P8: the task that erases the notice (which carries the address) runs again when
    the worker running it died, after the stale timeout."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from communications.task_recovery import stale_tasks_recover
    from privacy.tasks import privacy_request_erasure_finish_task

    settings.MAIL_DELIVERY_STALE_SECONDS = 300
    request_submit(client, EMAIL, "delete")
    run_tasks()
    privacy_request = request_confirm(client, EMAIL)
    staff.post(f"/admin/privacy/privacyrequest/{privacy_request.pk}/act/erase/",
               {"confirm": "yes"})
    # The notice goes out; the finishing task is taken by a worker that then dies.
    finishing = DBTaskResult.objects.filter(
        task_path=privacy_request_erasure_finish_task.module_path)
    finishing.update(status=TaskResultStatus.RUNNING,
                     started_at=timezone.now() - timedelta(seconds=301))
    run_tasks()
    assert traces(EMAIL)  # the delivered notice still holds the address
    assert len(stale_tasks_recover()) == 1
    assert stale_tasks_recover() == []  # taken up once, not twice
    run_tasks()
    assert traces(EMAIL) == []
