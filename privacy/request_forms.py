"""The public privacy-request form and the confirmation button (P1, P3)."""

from django import forms

from privacy.forms import PolicyNoticeMixin
from privacy.models import PrivacyRequest
from roochi_site.email_address import CanonicalEmailField
from roochi_site.forms import PublicFormMixin, SpamGuardMixin


class PrivacyRequestForm(SpamGuardMixin, PolicyNoticeMixin, forms.ModelForm):
    class Meta:
        model = PrivacyRequest
        fields = ["email", "kind", "wrong", "should_be"]
        field_classes = {"email": CanonicalEmailField}
        labels = {
            "email": "Your email address",
            "kind": "What would you like us to do?",
            "wrong": "What is wrong or out of date",
            "should_be": "What it should be",
        }
        help_texts = {
            "email": "The address we know you by. We send a link to it to confirm the "
                     "request is yours.",
            "wrong": "Only for a correction, e.g. “my phone number”.",
            "should_be": "Only for a correction, e.g. “(323) 555-0100”.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "wrong": forms.Textarea(attrs={"rows": 3}),
            "should_be": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["kind"].choices = PrivacyRequest.Kind.choices
        for name in ("wrong", "should_be"):
            self.fields[name].max_length = 2000
            self.fields[name].widget.attrs["maxlength"] = 2000

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("kind") == PrivacyRequest.Kind.CORRECT and not (
            cleaned_data.get("wrong") or ""
        ).strip():
            self.add_error("wrong", forms.ValidationError(
                "Tell us what is wrong, so we can correct it.", code="required"))
        return cleaned_data


class ConfirmForm(PublicFormMixin, forms.Form):
    """A button: the link alone confirms nothing, so a mail scanner that follows it
    does not use it up."""


class PolicyChoiceForm(PublicFormMixin, forms.Form):
    """P9: accept or decline a new version's use of one's information. Nothing is
    chosen beforehand: the person decides."""

    ACCEPT, DECLINE = "accept", "decline"

    choice = forms.ChoiceField(
        label="Your choice",
        choices=[(ACCEPT, "I accept that my information is used as the new version says"),
                 (DECLINE, "I decline: my information stays governed by the version it was "
                           "collected under")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you accept or decline."},
    )

    def accepted(self) -> bool:
        return self.cleaned_data["choice"] == self.ACCEPT
