"""Who changed which field of a record, and when: for the records staff handle (an
inquiry, a privacy request, a person). Apps name the fields to follow at ``ready()``
with ``history_track``; every save of such a row then writes one ``FieldChange`` per
field whose value changed, in the save's transaction, with the staff member whose
request made it (None: the site itself, a task or a command).

The values are the person's data: the privacy app declares FieldChange in the
personal-data registry, so an erasure blanks them and keeps the fact of the change.
A change made with ``QuerySet.update()`` bypasses this: the tracked models' services
save their rows instead (the registry's erasure updates, so erasing records no change).
A deleted row takes its history with it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from roochi_site.models import FieldChange

_tracked: dict[type[models.Model], tuple[str, ...]] = {}
_author: ContextVar = ContextVar("change_author", default=None)
_OLD_VALUES = "_history_old_values"


def history_track(model: type[models.Model], *, fields: tuple[str, ...]) -> None:
    _tracked[model] = fields
    pre_save.connect(old_values_remember, sender=model, dispatch_uid=f"history-{model}")
    post_save.connect(changes_record, sender=model, dispatch_uid=f"history-{model}")
    post_delete.connect(changes_forget, sender=model, dispatch_uid=f"history-{model}")


def tracked_fields(model: type[models.Model]) -> tuple[str, ...]:
    return _tracked.get(model, ())


@contextmanager
def changes_by(user):
    """Attribute the changes saved meanwhile to this staff member (the staff site's
    middleware wraps each staff request in it)."""
    token = _author.set(user if user is not None and user.is_authenticated else None)
    try:
        yield
    finally:
        _author.reset(token)


def stored(value) -> str:
    return "" if value is None else str(value)


def old_values_remember(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    fields = [field for field in _tracked[sender]
              if update_fields is None or field in update_fields
              or sender._meta.get_field(field).attname in update_fields]
    if not fields:
        return
    attnames = [sender._meta.get_field(field).attname for field in fields]
    old = sender._base_manager.filter(pk=instance.pk).values(*attnames).first()
    setattr(instance, _OLD_VALUES, dict(zip(fields, old.values(), strict=True)) if old else {})


def field_changes_of(instance: models.Model):
    return FieldChange.objects.filter(content_type=ContentType.objects.get_for_model(instance),
                                      object_id=str(instance.pk))


def changes_forget(sender, instance, **kwargs):
    """A deleted row (erased, or past its retention) takes its history with it."""
    field_changes_of(instance).delete()


def changes_record(sender, instance, created, raw=False, **kwargs):
    old = instance.__dict__.pop(_OLD_VALUES, None)
    if raw or created or not old:
        return
    content_type = ContentType.objects.get_for_model(sender)
    FieldChange.objects.bulk_create(
        FieldChange(content_type=content_type, object_id=str(instance.pk), field=field,
                    old_value=stored(before), new_value=stored(after), changed_by=_author.get())
        for field, before in old.items()
        if (after := getattr(instance, sender._meta.get_field(field).attname)) != before
    )
