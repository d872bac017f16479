"""Revisions of pages and categories: every save through the admin keeps the values of
the row's content fields, with who saved it and when; staff see what each save changed
and restore an earlier one (which is itself a new save, so nothing is lost)."""

from dataclasses import dataclass

from django.db import models, transaction

from pages.models import Category, Page, Revision

# The fields a revision keeps. Restoring brings back the words and the picture, not
# whether or when the row is public: that stays a decision of its own.
REVISED_FIELDS = {
    Page: ("title", "meta_description", "body", "image"),
    Category: ("name", "summary", "body", "image", "order"),
}
STATE_FIELDS = ("published", "publish_at")


def revision_owner_filter(obj: models.Model) -> dict:
    return {"page": obj} if isinstance(obj, Page) else {"category": obj}


def stored_values(obj: models.Model) -> dict:
    values = {}
    for name in (*REVISED_FIELDS[type(obj)], *STATE_FIELDS):
        field = type(obj)._meta.get_field(name)
        value = getattr(obj, field.attname)
        values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def revision_record(*, obj: Page | Category, saved_by, restored_from: Revision | None = None,
                    ) -> Revision:
    """Keep the row's current values as its next revision (called in the save's
    transaction). The row is locked so two saves cannot take the same number."""
    type(obj).objects.select_for_update().filter(pk=obj.pk).first()
    owner = revision_owner_filter(obj)
    last = Revision.objects.filter(**owner).order_by("-number").values_list(
        "number", flat=True).first()
    return Revision.objects.create(**owner, number=(last or 0) + 1,
                                   values=stored_values(obj), saved_by=saved_by,
                                   restored_from=restored_from)


def revision_restore(*, revision: Revision, restored_by) -> Revision:
    """Put an earlier revision's words back on its row and record that as a new
    revision. Its picture comes back only if it still exists."""
    obj = revision.page or revision.category
    with transaction.atomic():
        for name in REVISED_FIELDS[type(obj)]:
            field = type(obj)._meta.get_field(name)
            value = revision.values.get(name)
            if isinstance(field, models.ForeignKey) and value is not None and not (
                    field.related_model.objects.filter(pk=value).exists()):
                value = None
            setattr(obj, field.attname, value)
        obj.save()
        return revision_record(obj=obj, saved_by=restored_by, restored_from=revision)


@dataclass(frozen=True)
class FieldDifference:
    field: str
    before: object
    after: object


def revision_differences(revision: Revision, previous: Revision | None,
                         ) -> list[FieldDifference]:
    """What this revision changed from the one before it, field by field (all of its
    values for the first one)."""
    obj_type = Page if revision.page_id else Category
    names = (*REVISED_FIELDS[obj_type], *STATE_FIELDS)
    before = previous.values if previous else {}
    return [
        FieldDifference(str(obj_type._meta.get_field(name).verbose_name),
                        before.get(name), revision.values.get(name))
        for name in names
        if previous is None or before.get(name) != revision.values.get(name)
    ]


def revisions_with_differences(obj: Page | Category) -> list[tuple[Revision, list]]:
    revisions = list(Revision.objects.filter(**revision_owner_filter(obj))
                     .select_related("saved_by", "restored_from").order_by("number"))
    shown = [(revision, revision_differences(revision, previous))
             for previous, revision in zip([None, *revisions], revisions, strict=False)]
    return list(reversed(shown))
