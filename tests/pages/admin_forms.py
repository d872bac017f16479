"""What a page's or a category's change form posts, as a browser would: the values the
admin's form shows (a live row's draft, the revision it was shown at), with changes."""

from datetime import datetime

from django.utils import timezone


def change_url(obj) -> str:
    return f"/admin/pages/{type(obj)._meta.model_name}/{obj.pk}/change/"


def change_form_data(client, obj, **changes) -> dict:
    form = client.get(change_url(obj)).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, datetime):
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"
        elif value is True:
            data[name] = "on"
        elif value not in (None, False, ""):
            data[name] = str(value)
    for name, value in changes.items():
        if value in (None, False, ""):
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return data


def change_save(client, obj, **changes):
    response = client.post(change_url(obj), change_form_data(client, obj, **changes))
    assert response.status_code == 302, response.text
    return response


def action_url(obj, name: str) -> str:
    return f"/admin/pages/{type(obj)._meta.model_name}/{obj.pk}/act/{name}/"


def draft_of(obj):
    from pages.models import Revision

    return Revision.objects.get(**{type(obj)._meta.model_name: obj}, status="draft")


def draft_publish_post(client, obj, **fields):
    """Staff's "Yes: Publish" on the confirmation page of the row's draft."""
    return client.post(action_url(obj, "publish_draft"),
                       {"draft": draft_of(obj).pk, "confirm": "yes", **fields})
