"""P8: a model that holds something personal without declaring it fails the system
check; so does a declaration of a field that does not exist."""

import pytest
from django.apps import apps
from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from privacy.checks import personal_data_declared, undeclared_fields
from roochi_site import personal_data as registry


@isolate_apps("tests.privacy.requests")
def test_an_undeclared_personal_field_is_an_error():
    class Signup(models.Model):  # noqa: DJ008
        contact_email = models.EmailField()
        phone_number = models.CharField(max_length=30)
        message = models.TextField()
        visitor_ip = models.GenericIPAddressField()
        quantity = models.PositiveIntegerField()

        class Meta:
            app_label = "requests"

    errors = undeclared_fields([Signup], {})
    assert {error.id for error in errors} == {"privacy.E001"}
    assert sorted(error.msg.split(" ")[0] for error in errors) == [
        "requests.Signup.contact_email", "requests.Signup.message",
        "requests.Signup.phone_number", "requests.Signup.visitor_ip",
    ]
    assert all(error.level == checks.ERROR for error in errors)

    assert undeclared_fields([Signup], {Signup: {"contact_email", "phone_number", "message",
                                                 "visitor_ip"}}) == []


@isolate_apps("tests.privacy.requests")
def test_a_declaration_of_a_missing_field_is_an_error():
    class Note(models.Model):  # noqa: DJ008
        text = models.TextField()

        class Meta:
            app_label = "requests"

    [error] = undeclared_fields([Note], {Note: {"text", "sender_name"}})
    assert error.id == "privacy.E002"
    assert "requests.Note.sender_name" in error.msg


def test_the_project_passes_the_check_and_every_app_of_ours_is_covered():
    assert personal_data_declared() == []
    labels = {d.model._meta.label for d in [*registry.declarations(), *registry.exemptions()]}
    assert {"pages.Page", "communications.OutboundMail", "privacy.Person",
            "privacy.PrivacyRequest", "privacy.PolicySection"} <= labels


def test_the_check_fails_when_a_declaration_is_removed(monkeypatch):
    from privacy.models import PrivacyRequest

    kept = [d for d in registry.declarations() if d.model is not PrivacyRequest]
    monkeypatch.setattr(registry, "declarations", lambda: kept)
    errors = personal_data_declared()
    assert {error.msg.split(" ")[0] for error in errors} == {
        "privacy.PrivacyRequest.email", "privacy.PrivacyRequest.wrong",
        "privacy.PrivacyRequest.should_be", "privacy.PrivacyRequest.refusal_reason",
    }


@isolate_apps("tests.privacy.requests")
def test_names_of_addresses_accounts_orders_and_browsers_are_seen_as_personal():
    class Order(models.Model):  # noqa: DJ008
        street = models.CharField(max_length=100)
        city = models.CharField(max_length=100)
        zip = models.CharField(max_length=10)
        postcode = models.CharField(max_length=10)
        postal_code = models.CharField(max_length=10)
        company = models.CharField(max_length=100)
        account_number = models.CharField(max_length=20)
        order_number = models.CharField(max_length=20)
        user_agent = models.CharField(max_length=300)
        address = models.CharField(max_length=300)
        ip = models.CharField(max_length=45)
        quantity = models.PositiveIntegerField()
        shipped = models.BooleanField()

        class Meta:
            app_label = "requests"

    flagged = {error.msg.split(" ")[0].rsplit(".", 1)[1]
               for error in undeclared_fields([Order], {})}
    assert flagged == {"street", "city", "zip", "postcode", "postal_code", "company",
                       "account_number", "order_number", "user_agent", "address", "ip"}


@pytest.mark.parametrize(("app", "model"), [
    ("auth", "auth.User"), ("admin", "admin.LogEntry"), ("sessions", "sessions.Session"),
    ("django_tasks_database", "django_tasks_database.DBTaskResult"),
])
def test_django_and_installed_packages_are_covered_too(monkeypatch, app, model):
    """Their models are declared or exempted with a reason, like ours: a package that
    stores addresses or usernames cannot pass unseen."""
    app_config = apps.get_app_config(app)
    assert personal_data_declared(app_configs=[app_config]) == []
    covered = [entry for entry in [*registry.declarations(), *registry.exemptions()]
               if entry.model._meta.label == model]
    assert covered
    assert all(getattr(entry, "reason", "declared") for entry in covered)
    declared, exempted = registry.declarations(), registry.exemptions()
    monkeypatch.setattr(registry, "declarations", lambda: [
        d for d in declared if d.model._meta.label != model])
    monkeypatch.setattr(registry, "exemptions", lambda: [
        e for e in exempted if e.model._meta.label != model])
    assert personal_data_declared(app_configs=[app_config]) != []


def test_a_person_lookup_that_leads_nowhere_is_an_error():
    from privacy.checks import bad_person_lookups
    from privacy.models import PrivacyRequestEvent

    declaration = registry.PersonalData(model=PrivacyRequestEvent, fields=("note",),
                                        person_lookup="request__mail",
                                        erasure=registry.Erasure.DELETE)
    [error] = bad_person_lookups([declaration])
    assert error.id == "privacy.E003"
    assert bad_person_lookups(registry.declarations()) == []
