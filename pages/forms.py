from django import forms


class SearchForm(forms.Form):
    """Sent by GET, stores nothing: no form token or spam guard is needed."""

    q = forms.CharField(label="Search the site", max_length=200, required=False,
                        widget=forms.TextInput(attrs={"type": "search"}))
