"""The fields of every public form as roochi_site/form_markup.py draws them, in
Bootstrap's markup: what a visitor typed comes back escaped in every kind of control,
each control is named by its label, and each error and help text is announced with
the control it belongs to."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.utils.html import escape

from roochi_site.form_markup import field_markup
from tests.quality.documents import form_documents, hidden_fields, public_client
from tests.quality.targets import FORM_TARGETS

pytestmark = [pytest.mark.urls("tests.roochi_site.urls"), pytest.mark.django_db]

HOSTILE = '"><script>alert(1)</script>'


class Controls(HTMLParser):
    """The ids, labels, controls and descriptions of a page."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.labelled: set[str] = set()
        self.controls: dict[str, dict] = {}
        self.described_by: set[str] = set()
        self.feedback: list[str] = []
        self.help_texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if element_id := attributes.get("id"):
            self.ids.add(element_id)
        if tag == "label" and attributes.get("for"):
            self.labelled.add(attributes["for"])
        if tag in {"input", "select", "textarea"} and attributes.get("type") != "hidden":
            self.controls[attributes.get("id") or attributes.get("name")] = attributes
        self.described_by.update((attributes.get("aria-describedby") or "").split())
        classes = (attributes.get("class") or "").split()
        if "invalid-feedback" in classes:
            self.feedback.append(attributes.get("id"))
        if "form-text" in classes:
            self.help_texts.append(attributes.get("id"))


def controls_of(html: str) -> Controls:
    parser = Controls()
    parser.feed(html)
    return parser


def test_what_a_visitor_typed_comes_back_escaped_in_every_kind_of_control():
    """A text box, an address, a message, a choice of radio buttons and a select: the
    form drawn again with an error shows each as typed, and runs none of it."""
    client = public_client()
    shown = client.get("/information-request/")
    response = client.post("/information-request/", {
        **hidden_fields(shown.text), "name": HOSTILE, "email": HOSTILE,
        "company": HOSTILE, "message": f"</textarea>{HOSTILE}", "reply_by": HOSTILE,
        "topic": HOSTILE})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>" not in html
    assert f'name="name" value="{escape(HOSTILE)}"' in html
    assert f'name="company" value="{escape(HOSTILE)}"' in html
    assert f">\n{escape('</textarea>' + HOSTILE)}</textarea>" in html
    # The refused choice is named in its error, as typed.
    [choice_error] = response.context["form"].errors["reply_by"]
    assert HOSTILE in choice_error
    assert escape(choice_error) in html


@pytest.mark.parametrize("target", FORM_TARGETS, ids=lambda target: target.path)
def test_every_control_is_labelled_and_its_errors_and_help_are_announced_with_it(target):
    """On the form as shown and with every error it can show at once: each control has
    a label of its own, and every error and help text is named by the aria-describedby
    of its control (or of its fieldset), so a screen reader reads it with the field."""
    target.prepare()
    shown, with_errors = form_documents(public_client(), target)[:2]
    for document in (shown, with_errors):
        page = controls_of(document.html)
        assert page.controls, document.name
        unlabelled = [name for name in page.controls if name not in page.labelled]
        assert not unlabelled, (document.name, unlabelled)
        unannounced = [element_id for element_id in page.feedback + page.help_texts
                       if element_id not in page.described_by]
        assert not unannounced, (document.name, unannounced)
        assert page.described_by <= page.ids, document.name
    assert controls_of(with_errors.html).feedback, with_errors.name


class EveryKind(forms.Form):
    several = forms.MultipleChoiceField(
        label="Several <kinds>", choices=[("a", "A & B"), ("b", "C")],
        widget=forms.CheckboxSelectMultiple, help_text="Tick <any>")
    grouped = forms.ChoiceField(choices=[("Group <1>", [("x", "X")]), ("y", "Y")],
                                widget=forms.RadioSelect)
    number = forms.TypedChoiceField(choices=[(1, "One"), (2, "Two")], coerce=int)
    agree = forms.BooleanField(label="I agree")
    note = forms.CharField(widget=forms.HiddenInput, required=False)


def test_each_kind_of_widget_is_drawn_with_its_value_its_choices_and_its_errors():
    form = EveryKind({"several": ["a"], "grouped": "y", "number": "3", "note": HOSTILE})
    assert not form.is_valid()
    several, grouped, number, agree, note = (str(field_markup(field)) for field in form)
    assert '<legend class="form-label requiredField fs-6">Several &lt;kinds&gt;' in several
    assert 'value="a" id="id_several_0" checked>' in several
    assert "A &amp; B" in several
    assert "Tick &lt;any&gt;" in several
    assert '<fieldset aria-describedby="id_several_helptext">' in several
    assert "<strong>Group &lt;1&gt;</strong>" in grouped
    assert 'value="y" required id="id_grouped_1" checked>' in grouped
    assert '<option value="1">One</option>' in number
    assert 'class="form-select is-invalid"' in number
    assert 'aria-describedby="id_number_error"' in number
    assert 'id="error_1_id_number"' in number
    assert '<input type="checkbox" name="agree" class="form-check-input is-invalid"' in agree
    assert '<label for="id_agree" class="form-check-label requiredField">I agree' in agree
    assert note == f'<input type="hidden" name="note" value="{escape(HOSTILE)}" id="id_note">'


@pytest.mark.parametrize("widget", [forms.ClearableFileInput, forms.MultipleHiddenInput])
def test_a_widget_that_is_not_one_value_in_one_input_is_refused_not_mangled(widget):
    """A file input would lose its "currently" link, a list of hidden values would
    become one value: neither is drawn until the markup knows it."""

    class Unusual(forms.Form):
        thing = forms.Field(widget=widget, required=False)

    with pytest.raises(TypeError, match="No markup for a"):
        field_markup(Unusual()["thing"])


def test_a_field_that_shows_its_initial_value_carries_it_hidden_as_django_draws_it():
    class Changing(forms.Form):
        amount = forms.CharField(initial="10", show_hidden_initial=True)

    markup = str(field_markup(Changing()["amount"]))
    assert '<input type="hidden" name="initial-amount" value="10" id="initial-id_amount">' \
        in markup
