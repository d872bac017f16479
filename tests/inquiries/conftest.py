"""Factories and helpers for the inquiry tests."""

import time

import factory
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from inquiries.models import Form, Inquiry, ReplyChannel, Topic
from inquiries.services import reference_new
from privacy.policy import current_version
from roochi_site.csrf import form_token_new
from roochi_site.working_days import working_days_after
from tests.staff import staff_sign_in


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    purpose = Form.INFORMATION
    policy_version = factory.LazyFunction(current_version)
    reference = factory.LazyFunction(reference_new)
    submission_key = factory.Sequence(lambda n: f"{n:064x}")
    name = "Ana Pérez"
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    phone = "+13237225592"
    reply_by = ReplyChannel.EMAIL
    topic = Topic.PRICES
    message = "What do your prices look like for 40 tonnes?"
    collected_at = factory.LazyFunction(timezone.now)
    first_response_due = factory.LazyAttribute(lambda inquiry: working_days_after(
        inquiry.collected_at, 2))


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.Sequence(lambda n: f"staff{n}@roochi.com")
    is_staff = True

    @factory.post_generation
    def permissions(self, create, extracted, **kwargs):
        codenames = extracted or ["view_inquiry", "change_inquiry"]
        self.user_permissions.set(Permission.objects.filter(
            content_type__app_label="inquiries", codename__in=codenames))


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def staff_client(client, staff):
    staff_sign_in(client, staff)
    return client


def shown_seconds_ago(seconds: float, scope: str = "InformationRequestForm") -> str:
    """A form token as if the form (its class's name) had been shown that long ago."""
    return form_token_new(scope, issued_at=time.time() - seconds)


def valid_post(form: str = "information", **changes) -> dict:
    data = {
        "name": "Ana María O'Neil-Pérez",
        "email": "  Ana.Perez@Example.COM ",
        "phone": "",
        "reply_by": "email",
        "company": "Pérez Imports",
        "topic": "prices" if form == "information" else "delivery",
        "message": "Hello,\nwhat would 40 tonnes of rice cost, shipped to Oakland?",
        "form_token": shown_seconds_ago(
            30, "InformationRequestForm" if form == "information" else "SupportRequestForm"),
        "policy_version_shown": current_version().number,
        "website": "",
    }
    if form == "support":
        data["order_number"] = "SO-12345678"
    # A name that is no field of the form would be dropped by it, and the test would
    # not send what it says it sends.
    unknown = set(changes) - set(data) - {"order_number", "newsletter", "other_purposes"}
    if unknown:
        raise TypeError(f"valid_post(): no such field: {', '.join(sorted(unknown))}")
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
