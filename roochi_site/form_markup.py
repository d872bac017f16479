"""A public form's field drawn in Bootstrap 5's markup, in Python: its label, its
control, its help text and its errors (templates/includes/form_fields.html).

Why not a template per field, as crispy-forms or Django's own ``as_field_group`` draw
it: a form drawn again with what the visitor typed (a mistake, or a refusal: too
fast, the honeypot, the hourly limit, an expired form) went through the template
engine some thirty times a field, 0.46 ms a field and two thirds of a refused post's
cost. Drawn here a field costs a few dozen microseconds. The markup is what
crispy-bootstrap5 drew, so the stylesheet and the accessibility checks are unchanged;
the attributes of each control are Django's own (``BoundField.build_widget_attrs``
and the widget's ``get_context``: required, maxlength, aria-invalid,
aria-describedby), only the few lines of HTML around them are written here
(docs/decisions.md).
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.widgets import Input
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

REQUIRED_MARK = '<span class="asteriskField">*</span>'
# Input widgets that are not one <input> holding one value: drawn here, a file input
# would lose its "currently" link and a list of hidden values would be one mangled value.
NOT_ONE_INPUT = (forms.FileInput, forms.MultipleHiddenInput)


def field_markup(field: BoundField) -> SafeString:
    """The whole field: a hidden one alone, a checkbox beside its label, a choice of
    radio buttons or checkboxes in a fieldset, any other control under its label."""
    widget = field.field.widget
    if not field.auto_id:
        # Labels, errors and help texts are tied to their control by ids.
        raise ValueError(f"{field.name}: a public form keeps Django's auto_id")
    if field.is_hidden:
        markup = control(field)
    elif isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple is one too
        markup = choices_markup(field)
    elif isinstance(widget, forms.CheckboxInput):
        markup = checkbox_markup(field)
    else:
        markup = labelled_markup(field)
    if field.field.show_hidden_initial:
        markup += str(field.as_hidden(only_initial=True))
    # Every value, label, help text, error and id is escaped where it is written in.
    return mark_safe(markup)  # noqa: S308


def labelled_markup(field: BoundField) -> str:
    css_class = "form-select" if isinstance(field.field.widget, forms.Select) else "form-control"
    label = ""
    if field.label:
        label = (f'<label for="{escape(field.id_for_label)}" class="form-label'
                 f'{required_class(field)}">{label_text(field)}</label>\n')
    return (f'<div id="div_{field_id(field)}" class="mb-3">\n{label}'
            f"{control(field, css_class=invalid(field, css_class))}\n"
            f"{errors_markup(field)}{help_markup(field)}</div>\n")


def checkbox_markup(field: BoundField) -> str:
    return (f'<div class="mb-3"><div id="div_{field_id(field)}" class="form-check">\n'
            f'{control(field, css_class=invalid(field, "form-check-input"))}\n'
            f'<label for="{escape(field.id_for_label)}" class="form-check-label'
            f'{required_class(field)}">{label_text(field)}</label>\n'
            f"{errors_markup(field)}{help_markup(field)}</div></div>\n")


def choices_markup(field: BoundField) -> str:
    """Each choice a checkbox or radio button with its label, the errors after the
    last (Bootstrap shows them after an ``is-invalid`` control), in a fieldset named by
    its legend and described by the help text and errors (Django's aria_describedby)."""
    context = widget_context(field)
    css_class = invalid(field, "form-check-input")
    options = []
    groups = context["optgroups"]
    for group_number, (group_name, choices, _index) in enumerate(groups, start=1):
        if group_name:
            options.append(f"<strong>{conditional_escape(group_name)}</strong>\n")
        for choice_number, option in enumerate(choices, start=1):
            last = group_number == len(groups) and choice_number == len(choices)
            options.append(
                f'<div class="form-check">\n<input type="{escape(option["type"])}" '
                f'class="{css_class}" name="{escape(field.html_name)}" '
                f'value="{escape(option["value"])}"{attributes(option["attrs"])}>\n'
                f'<label for="{escape(option["attrs"].get("id", ""))}" class="form-check-label">'
                f'{conditional_escape(option["label"])}</label>\n'
                f'{errors_markup(field) if last else ""}</div>\n')
    choices_html = f'<div>\n{"".join(options)}</div>\n{help_markup(field)}'
    if not field.label:
        return f'<div id="div_{field_id(field)}" class="mb-3">\n{choices_html}</div>\n'
    described_by = field.aria_describedby
    described = f' aria-describedby="{escape(described_by)}"' if described_by else ""
    return (f'<div id="div_{field_id(field)}" class="mb-3">\n<fieldset{described}>\n'
            f'<legend class="form-label{required_class(field)} fs-6">{label_text(field)}'
            f"</legend>\n{choices_html}</fieldset>\n</div>\n")


def control(field: BoundField, *, css_class: str = "") -> str:
    """The field's input, textarea or select element, as Django's widget templates
    write it."""
    widget = field.field.widget
    context = widget_context(field, css_class=css_class)
    name, value, attrs = escape(context["name"]), context["value"], attributes(context["attrs"])
    if isinstance(widget, forms.Textarea):
        return f'<textarea name="{name}"{attrs}>\n{escape(value) if value else ""}</textarea>'
    if isinstance(widget, forms.Select):
        return f'<select name="{name}"{attrs}>{select_options(context["optgroups"])}\n</select>'
    if isinstance(widget, Input) and not isinstance(widget, NOT_ONE_INPUT):
        shown = "" if value is None else f' value="{escape(value)}"'
        return f'<input type="{escape(context["type"])}" name="{name}"{shown}{attrs}>'
    raise TypeError(f"No markup for a {type(widget).__name__} in a public form")


def select_options(optgroups: list) -> str:
    parts = []
    for group_name, choices, _index in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        parts.extend(f'\n  <option value="{escape(option["value"])}"{attributes(option["attrs"])}>'
                     f'{conditional_escape(option["label"])}</option>' for option in choices)
        if group_name:
            parts.append("\n  </optgroup>")
    return "".join(parts)


def widget_context(field: BoundField, *, css_class: str = "") -> dict:
    """What Django's widget template would be given (BoundField.as_widget): the
    attributes the field and form add, the id, the value as the widget shows it."""
    widget = field.field.widget
    if field.field.localize:
        widget.is_localized = True
    extra = {"class": " ".join(filter(None, [widget.attrs.get("class"), css_class]))} \
        if css_class else {}
    attrs = field.build_widget_attrs(extra, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return widget.get_context(field.html_name, field.value(), attrs)["widget"]


def attributes(attrs: dict) -> str:
    """HTML attributes as Django's attrs.html writes them: True alone, False left out."""
    return "".join(f" {name}" if value is True else f' {name}="{escape(value)}"'
                   for name, value in attrs.items() if value is not False)


def field_id(field: BoundField) -> str:
    return escape(field.auto_id)


def invalid(field: BoundField, css_class: str) -> str:
    return f"{css_class} is-invalid" if field.errors else css_class


def required_class(field: BoundField) -> str:
    return " requiredField" if field.field.required else ""


def label_text(field: BoundField) -> str:
    return conditional_escape(field.label) + (REQUIRED_MARK if field.field.required else "")


def errors_markup(field: BoundField) -> str:
    if not field.errors:
        return ""
    errors = "".join(f'<p id="error_{number}_{field_id(field)}"><strong>'
                     f"{conditional_escape(error)}</strong></p>\n"
                     for number, error in enumerate(field.errors, start=1))
    return f'<div id="{field_id(field)}_error" class="invalid-feedback">\n{errors}</div>\n'


def help_markup(field: BoundField) -> str:
    if not field.help_text:
        return ""
    return (f'<div id="{field_id(field)}_helptext" class="form-text">'
            f"{conditional_escape(field.help_text)}</div>\n")
