"""The piece every form that collects personal data uses (P3, P9)."""

from django import forms

from privacy.models import PolicyVersion
from privacy.policy import current_version

# Not "policy_version": templates read form.policy_version (the version shown), and a
# template looks a form's fields up before its attributes.
POLICY_VERSION_FIELD = "policy_version_shown"


class PolicyNoticeMixin:
    """Records which policy version the person was shown with the form.

    The form carries the number of the version its notice showed. When a new version
    took effect between showing and sending, the form is not accepted: it is shown
    again, with the new notice, a short explanation and everything typed kept, so the
    version stored with a submission is always the one the person saw.
    """

    policy_changed_message = (
        "Our privacy policy changed while you were filling in this form. Please read "
        "the new notice below; your answers are kept, and you can send the form again."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy_version: PolicyVersion = current_version()
        self.fields[POLICY_VERSION_FIELD] = forms.IntegerField(
            widget=forms.HiddenInput, required=False
        )

    def get_initial_for_field(self, field, field_name):
        if field_name == POLICY_VERSION_FIELD:
            return self.policy_version.number
        return super().get_initial_for_field(field, field_name)

    def clean(self):
        cleaned_data = super().clean()
        shown = cleaned_data.get(POLICY_VERSION_FIELD)
        if isinstance(shown, int) and shown > self.policy_version.number:
            # Another process showed a version this one has not looked up yet
            # (privacy/policy.py keeps it for a bounded time): ask the database.
            self.policy_version = current_version(refresh=True)
        if shown != self.policy_version.number:
            raise forms.ValidationError(self.policy_changed_message, code="policy_changed")
        return cleaned_data

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            # Shown again, the form names the version its notice now shows.
            self.data = self.data.copy()
            self.data[POLICY_VERSION_FIELD] = self.policy_version.number


class PolicyCompareForm(forms.Form):
    """Which two published versions to compare: a GET form on the archive page."""

    old = forms.TypedChoiceField(label="Compare version", coerce=int)
    new = forms.TypedChoiceField(label="with version", coerce=int)

    def __init__(self, *args, versions: list[PolicyVersion], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(version.number, f"Version {version.number}") for version in versions]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices
        if len(versions) >= 2:
            self.fields["old"].initial = versions[1].number
            self.fields["new"].initial = versions[0].number

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("old") is not None and cleaned_data.get("old") == cleaned_data.get(
            "new"
        ):
            raise forms.ValidationError(
                "Choose two different versions: a version is the same as itself.",
                code="same_version",
            )
        return cleaned_data
