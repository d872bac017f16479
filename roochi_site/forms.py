"""The base every public form uses: the signed form token of roochi_site/csrf.py, the
spam rules of every form that takes a submission, and the field for text a visitor
types (control characters removed before anything looks at it)."""

import re
import time
import unicodedata

from django import forms
from django.conf import settings

from roochi_site.company import company
from roochi_site.csrf import FORM_TOKEN_FIELD, form_token_issued_at, form_token_new

HONEYPOT_FIELD = "website"

# C0 and C1 control characters, lone surrogates and the bidirectional overrides that
# can disguise text; line breaks and tabs are kept where a field allows several lines.
UNWANTED_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
)
LINE_BREAKS = re.compile(r"[\t\n\r]+")


def text_cleaned(value: str, *, multiline: bool) -> str:
    value = UNWANTED_CHARACTERS.sub("", value)
    if not multiline:
        value = LINE_BREAKS.sub(" ", value)
    return unicodedata.normalize("NFC", value).strip()


class VisitorTextField(forms.CharField):
    """A CharField that removes control characters before anything else looks at it."""

    def __init__(self, *args, multiline: bool = False, **kwargs):
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = text_cleaned(value, multiline=self.multiline)
        return super().to_python(value)


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
        self.shown_at = form_token_issued_at(cleaned_data.get(FORM_TOKEN_FIELD) or "",
                                             scope=self.form_token_scope())
        if self.shown_at is None:
            raise forms.ValidationError(self.stale_token_message, code="stale_form")
        return cleaned_data

    @classmethod
    def form_token_scope(cls) -> str:
        """What the token is bound to: this form, by its class's name."""
        return cls.__name__

    def seconds_since_shown(self) -> float | None:
        return None if self.shown_at is None else time.time() - self.shown_at

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            # A form shown again (with errors) carries a new token, whatever was posted.
            self.data = self.data.copy()
            self.data[FORM_TOKEN_FIELD] = form_token_new(self.form_token_scope())

    def get_initial_for_field(self, field, field_name):
        if field_name == FORM_TOKEN_FIELD:
            return form_token_new(self.form_token_scope())
        return super().get_initial_for_field(field, field_name)


class SpamGuardMixin(PublicFormMixin):
    """The spam rules of a form that takes a submission, without cookies or third
    parties: a honeypot field people never see or reach (software that fills in every
    field fills it in), and a minimum time between showing the form and sending it
    (FORM_MIN_FILL_SECONDS, read from the signed token). A bot sees what a person who
    tripped a rule sees: the form again with a message, nothing stored. The per-client
    limit is counted by the submission's service (roochi_site/submission_limit.py)."""

    trap_fields = (HONEYPOT_FIELD,)
    spam_messages = {
        "too_fast": "That was quicker than we expected from a person. Please check your "
        "answers and send the form again.",
        "honeypot": "We could not accept this form. If you are a person, please empty the "
        "field labelled \u201cLeave this field empty\u201d and send it again, or write to "
        "{support_email}.",
        "limit": "We have received several requests from your connection in the past hour, "
        "so we cannot accept another one just now. Your answers are kept: please try "
        "again later, or call us on {phone}.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False, label="Leave this field empty",
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    def clean(self):
        cleaned_data = super().clean()
        if self.data.get(HONEYPOT_FIELD):
            raise forms.ValidationError(self.spam_messages["honeypot"].format(
                support_email=company().support_email), code="honeypot")
        seconds = self.seconds_since_shown()
        if seconds is not None and seconds < settings.FORM_MIN_FILL_SECONDS:
            raise forms.ValidationError(self.spam_messages["too_fast"], code="too_fast")
        return cleaned_data

    def refuse_over_limit(self) -> None:
        self.add_error(None, forms.ValidationError(
            self.spam_messages["limit"].format(phone=company().phone), code="limit"))
