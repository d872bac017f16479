"""The personal-data registry at work: erasing, deactivating and exporting one
person's data across every app, through the declarations each app makes in its
``personal_data.py`` (roochi_site/personal_data.py). Privacy requests, retention
purges and exports work only through here (P8)."""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst

from privacy.erasure_ledger import erasure_record
from privacy.models import CollectedSubmission, Person
from privacy.models.people import email_hash
from roochi_site.personal_data import (
    OutsideStore,
    PersonalData,
    StoreUnavailableError,
    declaration_for,
    declarations,
    outside_stores,
)

logger = logging.getLogger(__name__)


def declared(model: type[models.Model]) -> PersonalData:
    declaration = declaration_for(model)
    if declaration is None:
        raise LookupError(f"{model._meta.label} is not declared in the personal-data registry.")
    return declaration


def export_rows(declaration: PersonalData, rows: models.QuerySet) -> list[dict[str, object]]:
    """Each row as a record of its declared fields; a visitor's submission also says
    which policy version it was collected under, when and why (P3, P9)."""
    submission = issubclass(declaration.model, CollectedSubmission)
    if submission:
        rows = rows.select_related("policy_version")
    records = []
    for row in rows.order_by("pk"):
        record: dict[str, object] = {"id": row.pk}
        for name in declaration.fields:
            record[name] = declaration.model._meta.get_field(name).value_from_object(row)
        if submission:
            record["collected_at"] = row.collected_at
            record["purpose"] = row.purpose
            record["policy_version"] = row.policy_version.number
            record["policy_version_url"] = row.policy_version.get_absolute_url()
        records.append(record)
    return records


@dataclass(frozen=True)
class CopyItem:
    label: str
    value: str
    url: str = ""


@dataclass(frozen=True)
class CopySection:
    title: str
    records: list[list[CopyItem]]


def readable_value(row: models.Model, field: models.Field) -> str:
    """A value as the person reads it: choices by their label, yes or no, dates in the
    site's time zone without seconds; "" for nothing."""
    # A row pointed to (a policy version) shows by its name, never its id.
    value = getattr(row, field.name) if field.many_to_one else field.value_from_object(row)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(getattr(row, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    return str(value)


def readable_copy(email: str) -> list[CopySection]:
    """The person's own copy (P8): each app's rows under the title its declaration
    gives, with field labels, in the site's time zone, empty fields and internal ids
    left out; a submission says when and under which policy version it was made."""
    sections = []
    for declaration in declarations():
        if not declaration.copy_fields:
            continue
        meta = declaration.model._meta
        records = []
        rows = declaration.rows_for(email).order_by("pk")
        submission = issubclass(declaration.model, CollectedSubmission)
        if submission:
            rows = rows.select_related("policy_version")
        for row in rows:
            items = []
            for name in declaration.copy_fields:
                field = meta.get_field(name)
                if value := readable_value(row, field):
                    label = declaration.labels.get(name) or capfirst(field.verbose_name)
                    items.append(CopyItem(label, value))
            if submission:
                items += [
                    CopyItem("Sent", readable_value(row, meta.get_field("collected_at"))),
                    CopyItem("Collected under", f"Privacy policy, version "
                             f"{row.policy_version.number}",
                             url=row.policy_version.get_absolute_url()),
                ]
            records.append(items)
        if records:
            sections.append(CopySection(title=declaration.title, records=records))
    for store, items in outside_items(email):
        records = ([[CopyItem(label, value) for label, value in item.items() if value]
                    for item in items] if items is not None
                   else [[CopyItem(NOT_LISTED, UNREACHABLE_STORE)]])
        if records:
            sections.append(CopySection(title=store.title, records=records))
    return sections


def outside_items(email: str) -> list[tuple[OutsideStore, list[dict[str, str]] | None]]:
    """Each store outside the database with the person's items there; None for a
    store that could not be read just now, which the copy and the preview say."""
    found = []
    for store in outside_stores():
        try:
            found.append((store, store.items(email)))
        except StoreUnavailableError as error:
            logger.warning("Could not list %s for a copy or a preview: %s", store.name, error)
            found.append((store, None))
    return found


# What the copy and staff's preview say of a store they could not read this time.
NOT_LISTED = "Not listed"
UNREACHABLE_STORE = ("We could not read this part of your information just now. Please "
                     "open the link again later; it is not lost.")


def records_for(email: str, *, outside_stores_too: bool = True,
                ) -> dict[str, dict[str, list[dict[str, object]]]]:
    """Everything the registry finds for one person: {app: {model: [record, ...]}}.
    Models with no row for them are left out. A store outside the database (the
    support inbox) is listed under its name; one that cannot be read, as one record
    saying so (NOT_LISTED). Without ``outside_stores_too``, only the database's rows
    (what a correction can change)."""
    found: dict[str, dict[str, list[dict[str, object]]]] = defaultdict(dict)
    for declaration in declarations():
        if records := export_rows(declaration, declaration.rows_for(email)):
            found[declaration.app_label][declaration.label] = records
    for store, items in (outside_items(email) if outside_stores_too else []):
        listed = [{NOT_LISTED: "could not be read just now"}] if items is None else items
        if listed:
            app_label = store.name.partition(".")[0]
            found[app_label][store.name] = [{"id": number, **item}
                                            for number, item in enumerate(listed, start=1)]
    return dict(sorted(found.items()))


def _rows_by_declaration(email: str) -> list[tuple[PersonalData, models.QuerySet]]:
    """Each declaration's rows for the person, pinned by primary key first: erasing one
    model (the person's own row) must not hide another's rows that are found through it."""
    pinned = []
    for declaration in declarations():
        keys = list(declaration.rows_for(email).values_list("pk", flat=True))
        pinned.append((declaration, declaration.model._default_manager.filter(pk__in=keys)))
    return pinned


def erase_person(email: str, *, outside_stores_too: bool = True) -> dict[str, int]:
    """Erase every row of every app that holds this person's data, as each app
    declared, in one transaction: all or nothing (P8). Rows erased, by model. The
    erasure ledger records it, so that restoring an older backup cannot undo it.

    The stores outside the database (the support inbox) are erased last, inside the
    transaction: a row that cannot be erased stops the erasure before they are
    touched, and one that cannot be reached raises StoreUnavailableError, which takes
    the rows back. What is removed from a store cannot be taken back, so an erasure
    that fails after it (at the commit, or in the caller's transaction) leaves less
    data than before, never more, and the next attempt finishes it.
    ``outside_stores_too=False`` when erasing again what a database restore brought
    back, or once the erasure's notice went: those stores were never rolled back, and
    what the person wrote since is a new message of theirs."""
    erased = {}
    with transaction.atomic():
        for declaration, rows in _rows_by_declaration(email):
            erased[declaration.label] = declaration.erase_rows(rows)
        if outside_stores_too:
            for store in outside_stores():
                erased[store.name] = store.erase(email)
        erasure_record(email_hash(email))
    return erased


def deactivate_person(email: str) -> dict[str, int]:
    """Apply each app's deactivation to this person's rows, in one transaction (P6,
    P8). Rows changed, by model."""
    changed = {}
    with transaction.atomic():
        for declaration, rows in _rows_by_declaration(email):
            if declaration.deactivated_values:
                changed[declaration.label] = rows.update(**declaration.deactivated_values)
    return changed


def erase_rows(rows: models.QuerySet) -> int:
    """Erase any app's rows as its declaration says (delete or anonymise)."""
    return declared(rows.model).erase_rows(rows)


def excluding_inactive(rows: models.QuerySet) -> models.QuerySet:
    """Any app's rows without those of deactivated people, for a list, an export or a
    mailing (P6, P8). The model must be declared; erased people have no address left
    to match. A submission made after the deactivation stays: the person asked us
    again, about that request (see the mail rule in docs/decisions.md)."""
    lookup = declared(rows.model).person_lookup
    deactivated = Person.objects.deactivated().filter(email=OuterRef(lookup))
    if issubclass(rows.model, CollectedSubmission):
        deactivated = deactivated.filter(status_changed_at__gte=OuterRef("collected_at"))
    return rows.exclude(Exists(deactivated))
