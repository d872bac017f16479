"""P8: after an erasure no column of any table holds the person's email, phone or
name; only the keyed hash remains. Every app that registers personal data must put
some here first, so a new app cannot slip past the test."""

import re

import pytest
from django.db import DataError, connection

from communications.models import OutboundMail
from communications.services import mail_queue
from inquiries.models import InquiryEvent
from privacy.models import (
    ClientProfile,
    Disclosure,
    Person,
    PrivacyRequest,
    PrivacyRequestEvent,
)
from privacy.models.people import email_hash
from roochi_site import personal_data
from roochi_site.personal_data import Erasure
from tests.inquiries.conftest import InquiryFactory
from tests.privacy.requests.conftest import request_confirm, request_submit
from tests.privacy.requests.factories import DisclosureFactory, ObtainedInformationFactory

pytestmark = pytest.mark.usefixtures("committed_db")

EMAIL = "ana.example@example.com"
NAME = "Anastasia Exampleton"
PHONE = "3235550142"
PHONE_WRITTEN = "(323) 555-0142"


def no_data(*, email: str, name: str, phone: str) -> None:
    """Apps whose registry entries are all not_personal hold nothing about a person."""


def communications_data(*, email: str, name: str, phone: str) -> None:
    mail_queue(to=email, subject=f"Hello {name}", template_name="communications/mail/footer.txt",
               context={}, category=OutboundMail.Category.SERVICE, purpose="test")
    OutboundMail.objects.filter(to=email).update(body=f"Dear {name}, we will call {phone}.")


def privacy_data(*, email: str, name: str, phone: str) -> None:
    person = Person.objects.create(email=email)
    ClientProfile.objects.create(person=person, company=f"{name} Trading",
                                 account_number="C-4242")
    DisclosureFactory(person=person, details=f"{name}, {PHONE_WRITTEN}, 12 Harbour Road")
    ObtainedInformationFactory(person=person, details=f"Credit file of {name}")
    from privacy.policy import current_version

    older = PrivacyRequest.objects.create(
        reference="PR-OLDER1", kind="correct", email=email, email_hash=email_hash(email),
        wrong="my phone", should_be=phone, status="completed", verify_by=person.created_at,
        verified_at=person.created_at, due_at=person.created_at,
        policy_version=current_version(), purpose="privacy-request",
    )
    PrivacyRequestEvent.objects.create(request=older, action="note",
                                       note=f"Called {name} back on {PHONE_WRITTEN}")


def inquiries_data(*, email: str, name: str, phone: str) -> None:
    inquiry = InquiryFactory(email=email, name=name, phone=f"+1{phone}",
                             message=f"Please call {name} on {PHONE_WRITTEN}.")
    InquiryEvent.objects.create(inquiry=inquiry, kind=InquiryEvent.Kind.NOTE,
                                text=f"Spoke to {name}")


# Each app that registers personal data: how to give it data about one person.
APP_DATA = {
    "pages": no_data,
    "communications": communications_data,
    "privacy": privacy_data,
    "inquiries": inquiries_data,
}


def registered_apps() -> set[str]:
    return {entry.model._meta.app_label
            for entry in [*personal_data.declarations(), *personal_data.exemptions()]}


def every_text_value() -> list[tuple[str, str, str]]:
    """(table, column, value) for every text-like column of every table."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT table_name, column_name FROM information_schema.columns
               WHERE table_schema = current_schema()
                 AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
               ORDER BY table_name, column_name"""
        )
        columns = cursor.fetchall()
        values = []
        for table, column in columns:
            cursor.execute(
                f'SELECT "{column}"::text FROM "{table}" WHERE "{column}" IS NOT NULL'  # noqa: S608 (names from information_schema)
            )
            values += [(table, column, value) for (value,) in cursor.fetchall()]
    return values


def traces(needle: str) -> list[tuple[str, str]]:
    """Where the needle appears, ignoring case; a phone number also written with
    spaces, dashes or brackets."""
    needle = needle.lower()

    def holds(value: str) -> bool:
        return needle in value.lower() or (needle.isdigit() and needle in re.sub(r"\D", "", value))

    return sorted({(table, column) for table, column, value in every_text_value()
                   if holds(value)})


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

    smtp_server.messages.clear()
    mail_queue(to=EMAIL, subject="News", template_name="communications/mail/footer.txt",
               context={}, category=OutboundMail.Category.SERVICE, purpose="news")
    run_tasks()
    assert smtp_server.messages == []
    assert OutboundMail.objects.get(subject="News").status == OutboundMail.Status.SUPPRESSED


def test_erasure_is_all_or_nothing(client, staff, smtp_server, run_tasks):
    privacy_data(email=EMAIL, name=NAME, phone=PHONE)
    communications_data(email=EMAIL, name=NAME, phone=PHONE)
    request_submit(client, EMAIL, "delete")
    privacy_request = request_confirm(client, EMAIL)
    # The last app's erasure fails (a value its column cannot take).
    saved = personal_data._declarations.pop(Disclosure)
    personal_data.declare(Disclosure, fields=("details",), person_lookup="person__email",
                     erasure=Erasure.ANONYMISE, anonymised_values={"legal_basis": "x" * 100})
    try:
        with pytest.raises(DataError):
            staff.post(f"/admin/privacy/privacyrequest/{privacy_request.pk}/act/erase/",
                       {"confirm": "yes"})
    finally:
        personal_data._declarations[Disclosure] = saved
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
