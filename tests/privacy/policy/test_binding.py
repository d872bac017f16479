"""P3: every model that stores what a visitor typed records the policy version, the
time and the purpose, by inheriting CollectedSubmission. This test reads the project's
own models (every app under the project root, later apps included) and fails when one
that looks like it stores visitor input does not; and likewise every form that asks
for personal data must use PolicyNoticeMixin (the notice, the version shown)."""

import importlib
import importlib.util
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps

from privacy.forms import PolicyNoticeMixin
from privacy.models import CollectedSubmission

# Words that, in a field's name, suggest a person's details or their own words.
PERSONAL_WORDS = {
    "email", "phone", "telephone", "mobile", "name", "address", "street", "city",
    "postcode", "zip", "company", "message", "comment", "question", "answer", "body",
    "text", "note", "notes", "reply", "ip",
}

# Models with such fields that store no visitor input, each with the reason.
ALLOW_LIST = {
    "pages.Page": "Staff write the pages (title, body); visitors only read them.",
    "pages.ContactDetails": "Staff enter the company's own postal address and opening hours.",
    "privacy.PolicyVersion": "Staff write the policy versions; visitors only read them.",
    "privacy.PolicySection": "Staff write the policy text; visitors only read it.",
    "communications.OutboundMail": "Mail the site writes to a person; the address comes "
    "from a submission that records its version.",
    "communications.UndeliverableAddress": "An address a mail server reported as failing "
    "for good; the address came from a submission that records its version.",
    "communications.InboundMessage": "A hash of an incoming message's Message-ID and the "
    "route that took it: no text, no address.",
    "inquiries.InquiryEvent": "Staff write the timeline (replies, call notes, notes) "
    "of an inquiry that records its version; the customer's messages in it answer that "
    "inquiry by mail and are governed by its version.",
    "privacy.Person": "The person's status and choices, derived from requests and "
    "submissions that each record their version.",
    "privacy.ClientProfile": "Staff record the clients we serve.",
    "privacy.Recipient": "Staff keep the register of recipients (P10).",
    "privacy.Disclosure": "Staff record each disclosure to a third party (P10).",
    "privacy.ObtainedInformation": "Staff record what was obtained from outside (P10).",
    "privacy.OptOut": "A stop of mail, recorded by the site (link, reply, privacy request) "
    "or by staff with their note (email, phone); no form collects it.",
    "privacy.PrivacyRequestEvent": "Staff write the timeline of a privacy request that "
    "records its version.",
    "mailings.NewsletterIssue": "Staff write the newsletter; visitors only receive it.",
    "mailings.ServiceAnnouncement": "Staff write the announcement; visitors only receive it.",
    "pages.Image": "Staff upload the pictures and write their alternative text.",
    "pages.Category": "Staff write the product categories; visitors only read them.",
    "inquiries.CannedReply": "Staff write the canned replies, with placeholders and no "
    "one's data.",
    "surveys.Survey": "Staff write the survey (its questions, rules and which contact "
    "fields it asks for); visitors only answer it.",
    "surveys.Question": "Staff write the questions and their choices.",
    "surveys.Answer": "Part of an entry (surveys.Entry), which records its version.",
    "roochi_site.FieldChange": "The history of staff changes to records that each record "
    "their version (an inquiry, a privacy request, a person).",
}

# Forms with such fields that visitors never see, each with the reason.
FORM_ALLOW_LIST = {
    "inquiries.forms.EmailReplyForm": "Staff write the reply in the admin.",
    "inquiries.forms.PhoneReplyForm": "Staff record a call in the admin.",
    "inquiries.forms.NoteForm": "Staff write an internal note in the admin.",
    "privacy.admin.policy.PolicySectionForm": "Staff write the policy text in the admin.",
    "privacy.admin.policy.PolicyVersionForm": "Staff write a version's summary and their "
    "notes on it in the admin.",
    "privacy.admin.forms.NoteForm": "Staff note a privacy request's timeline in the admin.",
    "privacy.admin.forms.OptOutForm": "Staff record an opt-out asked for by email or phone.",
    "privacy.admin.forms.CompletionForm": "Staff write the message that closes a "
    "correction, in the admin.",
    "pages.admin.ImageForm": "Staff upload a picture and describe it in the admin.",
    "inquiries.forms.CannedReplyChoiceForm": "Staff choose a canned reply in the admin.",
    "roochi_site.staff_site.FirstAccountForm": "The first staff member creates their own "
    "account in the admin.",
}


def looks_personal(field: models.Field) -> bool:
    if not field.concrete or field.is_relation or field.primary_key:
        return False
    words = set(re.split(r"_+", field.name.lower()))
    return bool(words & PERSONAL_WORDS) or isinstance(
        field, models.TextField | models.EmailField | models.GenericIPAddressField
    )


def project_models() -> list[type[models.Model]]:
    root = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(root) and "site-packages" not in path.parts:
            found.extend(model for model in config.get_models() if not model._meta.proxy)
    return found


def unbound(candidates) -> list[str]:
    """Models storing personal-looking fields that neither bind the policy version nor
    are allowed to go without, with the fields that gave them away."""
    found = []
    for model in candidates:
        personal = [f.name for f in model._meta.get_fields() if looks_personal(f)]
        exempt = issubclass(model, CollectedSubmission) or model._meta.label in ALLOW_LIST
        if personal and not exempt:
            found.append(f"{model._meta.label} ({', '.join(personal)})")
    return found


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in a project app's modules that are imported by the
    time the site runs, plus each app's forms module."""
    root = Path(settings.BASE_DIR).resolve()
    app_names = [c.name for c in apps.get_app_configs()
                 if Path(c.path).resolve().is_relative_to(root)
                 and "site-packages" not in Path(c.path).resolve().parts]
    for name in app_names:
        if importlib.util.find_spec(f"{name}.forms"):
            importlib.import_module(f"{name}.forms")

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return [form for form in set(subclasses(forms.BaseForm))
            if form.__module__.split(".")[0] in app_names]


def forms_without_notice(candidates) -> list[str]:
    """Forms asking for personal-looking fields without the policy notice (P3, P9)."""
    found = []
    for form in candidates:
        personal = [name for name, field in form.base_fields.items()
                    if set(re.split(r"_+", name.lower())) & PERSONAL_WORDS
                    or isinstance(field, forms.EmailField)]
        allowed = f"{form.__module__}.{form.__qualname__}" in FORM_ALLOW_LIST
        if personal and not issubclass(form, PolicyNoticeMixin) and not allowed:
            found.append(f"{form.__module__}.{form.__qualname__} ({', '.join(personal)})")
    return found


def test_every_form_asking_for_personal_data_shows_the_policy_notice():
    assert forms_without_notice(project_forms()) == [], (
        "These forms ask for personal data without privacy.forms.PolicyNoticeMixin, "
        "so they would store no policy version and show no notice (P3, P9)."
    )


def test_a_form_asking_for_personal_data_without_the_notice_is_caught():
    class QuoteForm(forms.Form):
        company_name = forms.CharField()
        quantity = forms.IntegerField()

    class NoticedForm(PolicyNoticeMixin, forms.Form):
        email = forms.EmailField()

    class SearchForm(forms.Form):
        query = forms.CharField()

    assert forms_without_notice([QuoteForm, NoticedForm, SearchForm]) == [
        f"{__name__}.test_a_form_asking_for_personal_data_without_the_notice_is_caught"
        ".<locals>.QuoteForm (company_name)"
    ]


def test_the_project_apps_are_all_read():
    labels = {model._meta.app_label for model in project_models()}
    assert {"pages", "privacy"} <= labels
    assert not any(label in {"auth", "admin", "sessions"} for label in labels)
    assert {c.label for c in apps.get_app_configs()
            if Path(c.path).resolve().is_relative_to(Path(settings.BASE_DIR).resolve())} >= {
        "pages", "privacy", "inquiries"}


def test_every_model_storing_visitor_input_records_the_policy_version():
    assert unbound(project_models()) == [], (
        "These models store what looks like visitor input but do not inherit "
        "privacy.models.CollectedSubmission (P3). Inherit it, or add the model to "
        "ALLOW_LIST with the reason it holds no visitor input."
    )


def test_the_allow_list_names_existing_models_with_a_reason():
    existing = {model._meta.label: model for model in project_models()}
    for label, reason in ALLOW_LIST.items():
        assert label in existing, f"{label} is allowed but no longer exists"
        assert len(reason.split()) >= 5, label
        assert any(looks_personal(f) for f in existing[label]._meta.get_fields()), (
            f"{label} needs no exemption"
        )


@isolate_apps("tests.privacy.policy")
def test_a_model_storing_visitor_input_without_the_binding_is_caught():
    class NewsletterSignup(models.Model):  # noqa: DJ008
        email = models.EmailField()
        wants_offers = models.BooleanField(default=False)

        class Meta:
            app_label = "policy"

    class Survey(CollectedSubmission):
        answer = models.TextField()

        class Meta:
            app_label = "policy"

    class Counter(models.Model):  # noqa: DJ008
        visits = models.PositiveIntegerField()

        class Meta:
            app_label = "policy"

    assert unbound([NewsletterSignup, Survey, Counter]) == ["policy.NewsletterSignup (email)"]


@pytest.mark.parametrize(
    ("field", "personal"),
    [
        (models.CharField(name="full_name"), True),
        (models.CharField(name="phone_number"), True),
        (models.TextField(name="details"), True),
        (models.GenericIPAddressField(name="origin"), True),
        (models.CharField(name="purpose"), False),
        (models.CharField(name="description"), False),
        (models.BooleanField(name="recipient_consented"), False),
    ],
)
def test_what_looks_personal(field, personal):
    field.concrete = True
    assert looks_personal(field) is personal
