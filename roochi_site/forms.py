"""The base every public form uses: the signed form token of roochi_site/csrf.py."""

import time

from django import forms

from roochi_site.csrf import FORM_TOKEN_FIELD, form_token_issued_at, form_token_new


class PublicFormMixin:
    """Adds the hidden, signed form token and checks it is fresh.

    The token lets clients without Fetch Metadata or Origin headers post (see csrf.py)
    and records when the form was shown, for the spam rules of the forms that need it.
    A stale token is a form error, not a 403: the person keeps what they typed and
    gets a fresh token with the re-rendered form.
    """

    stale_token_message = (
        "This form was open for too long and has expired. Your answers are kept: "
        "please check them and send the form again."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FORM_TOKEN_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False
        )
        self.shown_at: float | None = None

    def clean(self):
        cleaned_data = super().clean()
        self.shown_at = form_token_issued_at(cleaned_data.get(FORM_TOKEN_FIELD) or "")
        if self.shown_at is None:
            raise forms.ValidationError(self.stale_token_message, code="stale_form")
        return cleaned_data

    def seconds_since_shown(self) -> float | None:
        return None if self.shown_at is None else time.time() - self.shown_at

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            # A form shown again (with errors) carries a new token, whatever was posted.
            self.data = self.data.copy()
            self.data[FORM_TOKEN_FIELD] = form_token_new()

    def get_initial_for_field(self, field, field_name):
        if field_name == FORM_TOKEN_FIELD:
            return form_token_new()
        return super().get_initial_for_field(field, field_name)
