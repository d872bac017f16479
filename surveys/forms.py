"""The public entry form, built from a survey's questions, and the draw's form."""

import re

from django import forms

from privacy.forms import PolicyNoticeMixin
from roochi_site.email_address import CanonicalEmailField
from roochi_site.forms import SpamGuardMixin, VisitorTextField
from surveys.models import RATING_SCALE, Asked, Question, Survey

# Zip and postal codes of any country: letters, digits, spaces and hyphens.
ZIP_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{1,10}$")
SHORT_TEXT_MAX, LONG_TEXT_MAX = 200, 5000


def contact_fields() -> dict[str, forms.Field]:
    return {
        "name": VisitorTextField(max_length=200, label="Your name",
                                 widget=forms.TextInput(attrs={"autocomplete": "name"})),
        "email": CanonicalEmailField(
            max_length=254, label="Email address",
            widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            error_messages={"invalid": "Enter an email address like name@example.com."}),
        "shipping_address": VisitorTextField(
            max_length=500, multiline=True, label="Shipping address",
            widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"})),
        "zip_code": VisitorTextField(
            max_length=12, label="Zip code",
            widget=forms.TextInput(attrs={"autocomplete": "postal-code"})),
    }


def question_field(question: Question) -> forms.Field:
    """Each kind of answer, checked on the server whatever the browser sent."""
    common = {"label": question.text, "required": question.required}
    match question.kind:
        case Question.Kind.SHORT_TEXT:
            return VisitorTextField(max_length=SHORT_TEXT_MAX, **common)
        case Question.Kind.LONG_TEXT:
            return VisitorTextField(
                max_length=LONG_TEXT_MAX, multiline=True,
                help_text=f"Up to {LONG_TEXT_MAX:,} characters.",
                widget=forms.Textarea(attrs={"rows": 5}), **common)
        case Question.Kind.ONE_CHOICE:
            return forms.ChoiceField(choices=[(c, c) for c in question.choice_list()],
                                     widget=forms.RadioSelect, **common)
        case Question.Kind.SEVERAL_CHOICES:
            return forms.MultipleChoiceField(choices=[(c, c) for c in question.choice_list()],
                                             widget=forms.CheckboxSelectMultiple, **common)
        case Question.Kind.RATING:
            return forms.TypedChoiceField(
                choices=[(n, str(n)) for n in RATING_SCALE], coerce=int,
                widget=forms.RadioSelect, empty_value=None,
                help_text="1 is the lowest, 5 the highest.", **common)
    raise ValueError(f"No field for a question of kind {question.kind!r}")


class EntryForm(SpamGuardMixin, PolicyNoticeMixin, forms.Form):
    """One survey's form: the contact fields it asks for, then its questions, then (when
    it names an intermediary) the separate, unticked choice to share with it (P12)."""

    def __init__(self, *args, survey: Survey, questions: list[Question], **kwargs):
        self.survey = survey
        self.questions = questions
        super().__init__(*args, **kwargs)
        contact = contact_fields()
        for name, asked in survey.asked().items():
            field = contact[name]
            field.required = asked == Asked.REQUIRED
            if not field.required:
                field.label = f"{field.label} (optional)"
            self.fields[name] = field
        for question in questions:
            self.fields[question.field_name] = question_field(question)
        if survey.intermediary_id:
            self.fields["share_with_intermediary"] = forms.BooleanField(
                required=False, label=self.share_label(),
                help_text="Optional. Without it, your entry is kept by Roochi Traders "
                "alone, and it counts just the same.")

    def share_label(self) -> str:
        return (f"Share my entry with {self.survey.intermediary.name}, who "
                f"{'runs this contest' if self.survey.is_contest else 'runs this survey'} "
                "with us. They may use it only for this, for no other purpose.")

    def form_token_scope(self) -> str:
        # The token is bound to this survey's form, not to any survey's.
        return f"{type(self).__name__}:{self.survey.pk}"

    def clean_zip_code(self):
        zip_code = self.cleaned_data["zip_code"]
        if zip_code and not ZIP_CODE.match(zip_code):
            raise forms.ValidationError(
                "Enter a zip or postal code in letters and digits, like 90021.",
                code="zip_code_format")
        return zip_code.upper()

    def answers(self) -> dict[Question, list[str]]:
        """Each answered question with its values as stored (a ticked box each)."""
        found = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.field_name)
            if isinstance(value, list):
                # A box ticked twice in a hand-made post counts once.
                values = list(dict.fromkeys(value))
            else:
                values = [] if value in (None, "") else [str(value)]
            if values:
                found[question] = values
        return found

    def submission(self) -> dict:
        """The service's keyword arguments, from the cleaned data."""
        data = self.cleaned_data
        return {
            "survey": self.survey,
            "name": data.get("name", ""),
            "email": data.get("email", ""),
            "shipping_address": data.get("shipping_address", ""),
            "zip_code": data.get("zip_code", ""),
            "answers": self.answers(),
            "share_with_intermediary": data.get("share_with_intermediary", False),
            "policy_version": self.policy_version,
        }


class DrawForm(forms.Form):
    """Nothing to fill in: the seed is drawn by the service, and recorded."""
