"""Revisions and drafts of pages and categories.

Every save through the admin keeps the values of the row's content fields as a
revision, with who saved it and when. The row itself is what the public reads, so a
change to a row the public sees (a live row) is not put on it: it is kept as the row's
draft, a revision of status DRAFT, until staff publish it (now, or at a chosen time
that ``publish_scheduled_drafts`` keeps) or discard it. Staff see the draft in the
change form and in the preview, never the public, the search, the sitemap or the page
cache, which all read the row. A row nobody sees yet (a draft, a scheduled row) is
saved as before, straight onto the row.

Restoring an earlier revision is a save like any other: on a live row it makes a
draft. Two members of staff editing one row: a form carries the revision it was based
on, and a save based on an older one is refused (``revision_conflict``).
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from pages.content_generation import content_generation_forget
from pages.models import Category, Image, Page, Revision

logger = logging.getLogger(__name__)

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


def row_lock(obj: Page | Category) -> Page | Category:
    """The row as stored (what the public reads), locked until the transaction ends, so
    that two saves, a publication and a save, or two revision numbers cannot cross."""
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def pending_draft(obj: Page | Category) -> Revision | None:
    return (Revision.objects.filter(**revision_owner_filter(obj), status=Revision.Status.DRAFT)
            .select_related("saved_by", "decided_by").first())


def values_apply(obj: Page | Category, values: dict, *, picture_gone_is_error: bool) -> None:
    """Put a revision's content values on the row in memory. A picture deleted since is
    left out, or refused when the values are about to go public."""
    for name in REVISED_FIELDS[type(obj)]:
        field = type(obj)._meta.get_field(name)
        value = values.get(name)
        if isinstance(field, models.ForeignKey) and value is not None and not (
                field.related_model.objects.filter(pk=value).exists()):
            if picture_gone_is_error:
                raise ValidationError(
                    "The draft's picture has been deleted since it was saved. Choose "
                    "another picture (or none) in the form, save, then publish.",
                    code="picture_gone")
            value = None
        setattr(obj, field.attname, value)


def draft_applied(obj: Page | Category) -> Revision | None:
    """Show a row as its pending draft (in memory, for the change form and the preview,
    never saved so): staff edit and preview the draft, the public keeps the row."""
    draft = pending_draft(obj)
    if draft is not None:
        values_apply(obj, draft.values, picture_gone_is_error=False)
    return draft


def revision_token(obj: Page | Category) -> str:
    """What a change form was based on: the latest revision and where it stood (a draft
    published or discarded since counts as a change too)."""
    latest = Revision.objects.filter(**revision_owner_filter(obj)).order_by("-number").first()
    if latest is None:
        return "0"
    scheduled = latest.go_live_at.isoformat() if latest.go_live_at else ""
    return f"{latest.number}:{latest.status}:{scheduled}"


def revision_event(revision: Revision) -> str:
    """What was last done to a revision, as "<who> <did> revision <n>" says it."""
    if revision.status == Revision.Status.PUBLISHED:
        return "published"
    if revision.status == Revision.Status.DISCARDED:
        return "discarded"
    if revision.go_live_at is not None:
        return "scheduled the publication of"
    return "saved"


def revision_conflict(*, obj: Page | Category, based_on: str) -> Revision | None:
    """The revision saved (or decided) since a form was shown, if any. The row stays
    locked to the end of the admin's transaction, so nothing can come between this
    check and the save."""
    row_lock(obj)
    if revision_token(obj) == based_on:
        return None
    return (Revision.objects.filter(**revision_owner_filter(obj)).order_by("-number")
            .select_related("saved_by", "decided_by").first())


def revision_record(*, obj: Page | Category, saved_by, status: str = Revision.Status.SAVED,
                    restored_from: Revision | None = None) -> Revision:
    """Keep the row's values (as they are in memory) as its next revision, in the
    caller's transaction, the row locked so that two saves cannot take one number."""
    row_lock(obj)
    owner = revision_owner_filter(obj)
    last = Revision.objects.filter(**owner).order_by("-number").values_list(
        "number", flat=True).first()
    return Revision.objects.create(**owner, number=(last or 0) + 1, status=status,
                                   values=stored_values(obj), saved_by=saved_by,
                                   restored_from=restored_from)


def content_save(*, obj: Page | Category, saved_by,
                 restored_from: Revision | None = None) -> Revision:
    """Save what staff typed (held by ``obj`` in memory). A row that is live and stays
    live keeps its published values and gets the typed ones as its draft, replacing any
    earlier draft (and its schedule); any other row takes them at once."""
    with transaction.atomic():
        stored = row_lock(obj) if obj.pk else None
        stays_live = stored is not None and stored.is_public and obj.is_public
        if stored is not None:
            Revision.objects.filter(**revision_owner_filter(obj),
                                    status=Revision.Status.DRAFT).update(
                status=Revision.Status.REPLACED)
        if not stays_live:
            obj.save()
            return revision_record(obj=obj, saved_by=saved_by, restored_from=restored_from)
        state = {name: getattr(obj, name) for name in STATE_FIELDS}
        if state != {name: getattr(stored, name) for name in STATE_FIELDS}:
            # Still live at another past time: whether and when it is public is the
            # row's own, not a draft's.
            type(obj).objects.filter(pk=obj.pk).update(**state)
        return revision_record(obj=obj, saved_by=saved_by, status=Revision.Status.DRAFT,
                               restored_from=restored_from)


def revision_restore(*, revision: Revision, restored_by) -> Revision:
    """Bring an earlier revision's words and picture back, as a new save: on a live
    row, a draft to preview and publish; its picture comes back only if it still
    exists."""
    owner = revision.page or revision.category
    obj = type(owner).objects.get(pk=owner.pk)
    values_apply(obj, revision.values, picture_gone_is_error=False)
    return content_save(obj=obj, saved_by=restored_by, restored_from=revision)


def draft_still_pending(draft: Revision) -> Revision:
    current = Revision.objects.select_for_update().get(pk=draft.pk)
    if current.status != Revision.Status.DRAFT:
        where = current.get_status_display().lower()
        raise ValidationError(
            f"Revision {current.number} is no longer the draft ({where}): go back to the "
            "page to see where it stands.", code="not_pending")
    return current


def draft_go_live(*, draft: Revision, at: datetime) -> Page | Category:
    """Put the draft's values on the row: from now on the public sees them. The content
    generation moves with the row (a trigger), so no cached page keeps the old ones."""
    owner = draft.page or draft.category
    obj = row_lock(owner)
    values_apply(obj, draft.values, picture_gone_is_error=True)
    obj.save()
    draft.status, draft.go_live_at = Revision.Status.PUBLISHED, at
    draft.save(update_fields=["status", "go_live_at"])
    # This process sees its own publication at once; others within
    # PUBLIC_PAGE_CACHE_RECHECK_SECONDS (pages/content_generation.py).
    transaction.on_commit(content_generation_forget)
    return obj


def draft_publish(*, draft: Revision, published_by, go_live_at: datetime | None = None,
                  ) -> Revision:
    """Publish a draft now, or schedule it for a time to come (publish_scheduled_drafts
    puts it live then). Only the draft staff reviewed: one replaced since is refused."""
    now = timezone.now()
    if go_live_at is not None and go_live_at <= now:
        raise ValidationError({"go_live_at": ValidationError(
            "Choose a time still to come, or leave it empty to publish now.",
            code="past")})
    with transaction.atomic():
        draft = draft_still_pending(draft)
        draft.decided_by, draft.decided_at = published_by, now
        if go_live_at is None:
            draft_go_live(draft=draft, at=now)
        else:
            draft.go_live_at = go_live_at
        draft.save(update_fields=["decided_by", "decided_at", "go_live_at"])
    return draft


def draft_discard(*, draft: Revision, discarded_by) -> Revision:
    """Drop a draft: the row keeps its published values; the draft stays in the
    history, and can be restored from there."""
    with transaction.atomic():
        draft = draft_still_pending(draft)
        draft.status = Revision.Status.DISCARDED
        draft.decided_by, draft.decided_at = discarded_by, timezone.now()
        draft.save(update_fields=["status", "decided_by", "decided_at"])
    return draft


def scheduled_drafts_publish(*, now: datetime | None = None) -> int:
    """Put live every draft whose time has come, each in its own transaction. One that
    cannot go (its picture was deleted) is unscheduled and logged, and stays a draft
    for staff to fix, rather than failing again every minute."""
    now = now or timezone.now()
    published = 0
    due = Revision.objects.filter(status=Revision.Status.DRAFT, go_live_at__lte=now)
    for draft in due.order_by("go_live_at"):
        try:
            with transaction.atomic():
                draft_go_live(draft=draft_still_pending(draft), at=draft.go_live_at)
        except ValidationError as error:
            Revision.objects.filter(pk=draft.pk).update(go_live_at=None)
            logger.warning("Scheduled draft %s not published: %s", draft.pk, error.messages[0])
        else:
            published += 1
    return published


@dataclass(frozen=True)
class FieldDifference:
    field: str
    before: object
    after: object


def value_shown(obj_type: type[models.Model], name: str, value: object,
                pictures: dict[int, Image]) -> object:
    field = obj_type._meta.get_field(name)
    if isinstance(field, models.ForeignKey) and value is not None:
        image = pictures.get(int(value))
        return str(image) if image else f"a deleted picture ({value})"
    return value


def pictures_named(*values: dict | None) -> dict[int, Image]:
    """The pictures these sets of values name, in one query (a history shows many)."""
    return Image.objects.in_bulk({value["image"] for value in values
                                  if value and value.get("image") is not None})


def values_differences(obj_type: type[models.Model], before: dict | None, after: dict,
                       names: tuple[str, ...], pictures: dict[int, Image],
                       ) -> list[FieldDifference]:
    return [
        FieldDifference(str(obj_type._meta.get_field(name).verbose_name),
                        value_shown(obj_type, name, (before or {}).get(name), pictures),
                        value_shown(obj_type, name, after.get(name), pictures))
        for name in names
        if before is None or before.get(name) != after.get(name)
    ]


def revision_differences(revision: Revision, previous: Revision | None,
                         pictures: dict[int, Image]) -> list[FieldDifference]:
    """What this revision changed from the one before it, field by field (all of its
    values for the first one)."""
    obj_type = Page if revision.page_id else Category
    return values_differences(obj_type, previous.values if previous else None,
                              revision.values, (*REVISED_FIELDS[obj_type], *STATE_FIELDS),
                              pictures)


def draft_differences(obj: Page | Category, draft: Revision) -> list[FieldDifference]:
    """How the draft differs from what the public sees now (the stored row)."""
    stored = stored_values(type(obj).objects.get(pk=obj.pk))
    return values_differences(type(obj), stored, draft.values, REVISED_FIELDS[type(obj)],
                              pictures_named(stored, draft.values))


def revisions_with_differences(obj: Page | Category) -> list[tuple[Revision, list]]:
    revisions = list(Revision.objects.filter(**revision_owner_filter(obj))
                     .select_related("saved_by", "decided_by", "restored_from")
                     .order_by("number"))
    pictures = pictures_named(*(revision.values for revision in revisions))
    shown = [(revision, revision_differences(revision, previous, pictures))
             for previous, revision in zip([None, *revisions], revisions, strict=False)]
    return list(reversed(shown))
