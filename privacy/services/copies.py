"""The person's own copy of their data (P8, P10), behind a signed, expiring link."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils import timezone

from privacy import registry
from privacy.models import Disclosure, ObtainedInformation, Person, PrivacyRequest
from privacy.services.newsletter import newsletter_confirmed_at

COPY_LINK_SALT = "privacy.request-copy"


def copy_token_new(privacy_request: PrivacyRequest) -> str:
    return signing.dumps(privacy_request.pk, salt=COPY_LINK_SALT)


def copy_request_open(*, token: str) -> PrivacyRequest | None:
    """The completed copy request a link belongs to, while the link is valid."""
    try:
        pk = signing.loads(token, salt=COPY_LINK_SALT,
                           max_age=timedelta(days=settings.PRIVACY_COPY_LINK_DAYS))
    except signing.BadSignature:
        return None
    return PrivacyRequest.objects.filter(
        pk=pk, kind=PrivacyRequest.Kind.COPY, status=PrivacyRequest.Status.COMPLETED
    ).exclude(email="").first()


def disclosure_record(item: models.Model) -> dict[str, object]:
    record = {
        "purpose": item.purpose,
        "legal_basis": item.get_legal_basis_display(),
        "details": item.details,
        "recorded_at": item.recorded_at,
    }
    if isinstance(item, Disclosure):
        return {"recipient": item.recipient.name,
                "recipient_kind": item.recipient.get_kind_display(),
                "date": item.disclosed_on, **record}
    return {"source": item.source.name, "kind": item.get_kind_display(),
            "date": item.obtained_on, **record}


def person_copy(*, email: str) -> dict[str, object]:
    """Everything we hold about the person (P8), with each record's policy version,
    and every disclosure about them and everything obtained from outside (P10)."""
    person = Person.objects.for_email(email).first()
    disclosures = Disclosure.objects.filter(person=person).select_related("recipient")
    obtained = ObtainedInformation.objects.filter(person=person).select_related("source")
    return {
        "email": email,
        "generated_at": timezone.now(),
        "choices": {
            "status": person.get_status_display(),
            "no_newsletter": person.newsletter_opt_out,
            "newsletter_subscribed": newsletter_confirmed_at(email) is not None,
            "no_communication_at_all": person.communication_opt_out,
        } if person else {},
        "sections": registry.readable_copy(email),
        "disclosures": [disclosure_record(item) for item in disclosures],
        "obtained_from_outside": [disclosure_record(item) for item in obtained],
    }


def copy_as_data(copy: dict[str, object]) -> dict[str, object]:
    """The copy for the JSON download: each part under its title, each record its
    labels and values."""
    return {
        **copy,
        "sections": [
            {"title": section.title,
             "records": [{item.label: item.value for item in record}
                         for record in section.records]}
            for section in copy["sections"]
        ],
    }


def copy_as_rows(copy: dict[str, object]) -> list[list[str]]:
    """The copy for the CSV download: part, record number, field, value."""
    rows = [["Part", "Record", "Field", "Value"]]
    for section in copy["sections"]:
        for number, record in enumerate(section.records, start=1):
            rows += [[section.title, str(number), item.label, item.value] for item in record]
    for title, items in [("Disclosures about you", copy["disclosures"]),
                         ("Information about you from outside sources",
                          copy["obtained_from_outside"])]:
        for number, item in enumerate(items, start=1):
            rows += [[title, str(number), name.replace("_", " ").capitalize(), str(value)]
                     for name, value in item.items() if value not in ("", None)]
    return rows
