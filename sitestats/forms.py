from datetime import UTC, date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError

# A longer range makes a chart nobody can read; the CSV export has the same limit.
LONGEST_RANGE_DAYS = 400
DEFAULT_RANGE_DAYS = 30


def today_utc() -> date:
    return datetime.now(UTC).date()


class DateRangeForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}),
                          help_text="Days are UTC; both days are included.")

    @classmethod
    def from_query(cls, query) -> "DateRangeForm":
        """The range asked for in the address, or the last 30 days."""
        if "start" in query or "end" in query:
            return cls(query)
        end = today_utc()
        return cls({"start": end - timedelta(days=DEFAULT_RANGE_DAYS - 1), "end": end})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                raise ValidationError("The first day must not be after the last.",
                                      code="reversed")
            if (end - start).days >= LONGEST_RANGE_DAYS:
                raise ValidationError(f"Choose at most {LONGEST_RANGE_DAYS} days.",
                                      code="too_long")
        return cleaned
