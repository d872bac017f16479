"""P8: the copy a person receives is readable: a part per kind of data under a plain
title, field labels, no internal ids or delivery errors, dates in the site's time zone,
empty fields left out; the same as a spreadsheet and as JSON. Staff notes about them
are in it (their right of access)."""

import csv
import io
import json

import pytest
from django.test import Client
from django.utils import timezone

from communications.models import OutboundMail, UndeliverableAddress
from inquiries.models import InquiryEvent
from inquiries.services import inquiry_customer_message_add
from privacy.models import PrivacyRequest
from roochi_site import personal_data
from tests.inquiries.conftest import InquiryFactory
from tests.privacy.requests.conftest import copy_link_path

pytestmark = pytest.mark.django_db

ANA = "ana.perez@example.com"


@pytest.fixture
def copy_path():
    inquiry = InquiryFactory(email=ANA, name="Ana Pérez", company="", message="Olive oil?")
    InquiryEvent.objects.create(inquiry=inquiry, kind=InquiryEvent.Kind.NOTE,
                                text="Ana wants the Kalamata price list.")
    # Her answer by mail, from the support inbox (communications/inbox.py).
    inquiry_customer_message_add(inquiry=inquiry, sender=ANA,
                                 text="The 5-litre tins, please.")
    UndeliverableAddress.objects.create(email=ANA, marked_at=timezone.now(),
                                        status_code="5.2.2")
    OutboundMail.objects.create(to=ANA, subject="We received your request", body="Hello",
                                category="reply", purpose="inquiry-ack", status="failed",
                                last_error="SMTPRecipientsRefused: 550 internal relay")
    return copy_link_path(ANA)


def test_the_copy_reads_as_plain_language(copy_path):
    html = Client().get(copy_path).text
    for title in ["Your requests", "Messages we sent you",
                  "Your messages about your requests, and the replies, calls and notes "
                  "of our staff", "Addresses our mail could not reach",
                  "Your privacy requests"]:
        assert f">{title}</h2>" in html
    assert "Ana wants the Kalamata price list." in html  # the staff note is theirs to see
    assert "The 5-litre tins, please." in html
    assert "Message from the customer" in html
    assert "5.2.2" in html
    assert "<dt>Order number</dt>" in html or "<dt>Message</dt>" in html
    for internal in ["SMTPRecipientsRefused", "last_error", "order_number", "inquiries.Inquiry",
                     "<dt>id</dt>", "<dt>Id</dt>", "+00:00"]:
        assert internal not in html
    # An empty field is left out: Ana gave no company.
    assert "<dt>Company</dt>" not in html
    local = timezone.localtime(PrivacyRequest.objects.get().collected_at)
    assert local.strftime("%-d %B %Y, %H:%M") in html


def test_the_copy_downloads_as_a_spreadsheet_and_as_json(copy_path):
    spreadsheet = Client().get(copy_path + "data.csv")
    assert spreadsheet["Content-Type"] == "text/csv; charset=utf-8"
    assert spreadsheet.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(spreadsheet.content.decode("utf-8-sig"))))
    assert rows[0] == ["Part", "Record", "Field", "Value"]
    assert ["Your requests", "1", "Name", "Ana Pérez"] in rows
    data = json.loads(Client().get(copy_path + "data.json").content)
    [requests] = [part for part in data["sections"] if part["title"] == "Your requests"]
    assert requests["records"][0]["Name"] == "Ana Pérez"
    assert "SMTPRecipientsRefused" not in json.dumps(data)


@pytest.mark.parametrize("declaration", [d for d in personal_data.declarations()
                                         if d.copy_fields],
                         ids=lambda declaration: declaration.label)
def test_every_declaration_in_the_copy_has_a_title_and_real_fields(declaration):
    assert declaration.title
    for name in declaration.copy_fields:
        declaration.model._meta.get_field(name)


def test_the_staff_note_field_says_the_person_can_read_it():
    from inquiries.forms import NoteForm

    field = NoteForm().fields["text"]
    assert "never sees" not in field.label
    assert "copy of their data" in f"{field.label} {field.help_text}"
