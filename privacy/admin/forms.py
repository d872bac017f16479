"""The forms staff act on a privacy request with (privacy/admin/requests.py)."""

from django import forms

from privacy.models import OptOut, OptOutChannel
from privacy.models.newsletter import STAFF_RECORDED_CHANNELS
from roochi_site.personal_data import declarations


class NoteForm(forms.Form):
    note = forms.CharField(label="Note (staff only)", max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))


def correction_choices(records: dict) -> list[tuple[str, str]]:
    """(value, label) of every declared field of every record the registry found for
    the person ({app: {model: [record, ...]}}, as registry.records_for gives it)."""
    fields = {declaration.label: declaration.fields for declaration in declarations()}
    return [
        (f"{label}|{record['id']}|{name}", f"{label} {record['id']}: {name} = {record[name]!s:.60}")
        for found in records.values()
        for label, model_records in found.items()
        for record in model_records
        for name in fields.get(label, ())
        if name in record
    ]


class CorrectionForm(forms.Form):
    """One declared field of one of the person's records, and its new value. Only what
    the registry found for this person can be chosen; the service checks it again."""

    record = forms.ChoiceField(
        label="Record and field",
        error_messages={"invalid_choice": "Choose one of this person's records and one of "
                        "its declared fields."},
    )
    value = forms.CharField(label="New value", max_length=5000, required=False)

    def __init__(self, *args, records: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [("", "Choose the record and field"),
                                         *correction_choices(records)]

    def clean_record(self) -> tuple[str, int, str]:
        label, pk, field = self.cleaned_data["record"].split("|")
        return label, int(pk), field


class CompletionForm(forms.Form):
    message = forms.CharField(label="Message to the person (optional)", required=False,
                              max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label="Reason (sent to the person)", max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the request is refused: the person is told."},
    )


class OptOutForm(forms.Form):
    """P6: a stop the person asked for by email to support or by phone (ext. 118)."""

    scope = forms.ChoiceField(label="What the person stopped", choices=OptOut.Scope.choices,
                              widget=forms.RadioSelect)
    channel = forms.ChoiceField(
        label="How they asked", widget=forms.RadioSelect,
        choices=[(channel.value, channel.label) for channel in OptOutChannel
                 if channel in STAFF_RECORDED_CHANNELS],
    )
    asked_at = forms.DateTimeField(
        label="When they asked", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Part of the copy of their data they may ask for: write only what you "
        "would show them.")
