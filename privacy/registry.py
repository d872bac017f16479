"""The personal-data registry: where personal data lives, and nowhere else.

Each app declares, in its ``personal_data.py`` (found by ``autodiscover`` when the
privacy app is ready), every model that holds personal data: which fields, how a row
is found for one person, and how it is erased. Privacy requests, retention purges and
exports work only through these declarations. A model whose fields merely look
personal (a staff-written text, say) is declared ``not_personal`` with the reason.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import models, transaction
from django.utils.module_loading import autodiscover_modules


class Erasure(StrEnum):
    DELETE = "delete"  # the whole row goes
    ANONYMISE = "anonymise"  # the row stays (a count, a reference), the person leaves it


@dataclass(frozen=True)
class PersonalData:
    model: type[models.Model]
    fields: tuple[str, ...]
    # ORM path from the model to the normalised email address that identifies the
    # person, e.g. "email" or "inquiry__email".
    person_lookup: str
    erasure: Erasure
    # For Erasure.ANONYMISE: the value each personal field takes instead.
    anonymised_values: Mapping[str, object] = field(default_factory=dict)
    # What a deactivation changes in a row (an opt-in switched off, a status), if
    # anything; the rows stay, and `excluding_inactive` keeps them out of every list.
    deactivated_values: Mapping[str, object] = field(default_factory=dict)

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows_for(self, email: str) -> models.QuerySet:
        return self.model._default_manager.filter(**{self.person_lookup: email})

    def excluding_inactive(self, rows: models.QuerySet) -> models.QuerySet:
        """These rows without those of deactivated people: for every list, export and
        mailing (P6, P8). Erased people have no address left to match."""
        from privacy.models import Person

        inactive = Person.objects.deactivated().values("email")
        return rows.exclude(**{f"{self.person_lookup}__in": inactive})

    def export_rows(self, rows: models.QuerySet) -> list[dict[str, object]]:
        """Each row as a record of its declared fields; a visitor's submission also
        says which policy version it was collected under, when and why (P3, P9)."""
        from privacy.models import CollectedSubmission

        submission = issubclass(self.model, CollectedSubmission)
        if submission:
            rows = rows.select_related("policy_version")
        records = []
        for row in rows.order_by("pk"):
            record: dict[str, object] = {"id": row.pk}
            for name in self.fields:
                record[name] = self.model._meta.get_field(name).value_from_object(row)
            if submission:
                record["collected_at"] = row.collected_at
                record["purpose"] = row.purpose
                record["policy_version"] = row.policy_version.number
                record["policy_version_url"] = row.policy_version.get_absolute_url()
            records.append(record)
        return records

    def erase_rows(self, rows: models.QuerySet) -> int:
        """Erase these rows as declared; the number of rows erased. Callers hold the
        transaction, so an erasure over several models is all or nothing (P8)."""
        if self.erasure == Erasure.DELETE:
            return rows.delete()[1].get(self.model._meta.label, 0)
        return rows.update(**self.anonymised_values)


@dataclass(frozen=True)
class NotPersonal:
    model: type[models.Model]
    fields: tuple[str, ...]
    reason: str


_declarations: dict[type[models.Model], PersonalData] = {}
_exemptions: dict[type[models.Model], NotPersonal] = {}


def declare(
    model: type[models.Model],
    *,
    fields: tuple[str, ...],
    person_lookup: str,
    erasure: Erasure,
    anonymised_values: Mapping[str, object] | None = None,
    deactivated_values: Mapping[str, object] | None = None,
) -> PersonalData:
    declaration = PersonalData(
        model=model,
        fields=tuple(fields),
        person_lookup=person_lookup,
        erasure=erasure,
        anonymised_values=dict(anonymised_values or {}),
        deactivated_values=dict(deactivated_values or {}),
    )
    _declarations[model] = declaration
    return declaration


def not_personal(model: type[models.Model], *, fields: tuple[str, ...], reason: str) -> None:
    _exemptions[model] = NotPersonal(model=model, fields=tuple(fields), reason=reason)


def declarations() -> list[PersonalData]:
    return list(_declarations.values())


def exemptions() -> list[NotPersonal]:
    return list(_exemptions.values())


def autodiscover() -> None:
    autodiscover_modules("personal_data")


def records_for(email: str) -> dict[str, dict[str, list[dict[str, object]]]]:
    """Everything the registry finds for one person: {app: {model: [record, ...]}}.
    Models with no row for them are left out."""
    found: dict[str, dict[str, list[dict[str, object]]]] = defaultdict(dict)
    for declaration in declarations():
        if records := declaration.export_rows(declaration.rows_for(email)):
            found[declaration.app_label][declaration.label] = records
    return dict(sorted(found.items()))


def _rows_by_declaration(email: str) -> list[tuple[PersonalData, models.QuerySet]]:
    """Each declaration's rows for the person, pinned by primary key first: erasing one
    model (the person's own row) must not hide another's rows that are found through it."""
    pinned = []
    for declaration in declarations():
        keys = list(declaration.rows_for(email).values_list("pk", flat=True))
        pinned.append((declaration, declaration.model._default_manager.filter(pk__in=keys)))
    return pinned


def erase_person(email: str) -> dict[str, int]:
    """Erase every row of every app that holds this person's data, as each app
    declared, in one transaction: all or nothing (P8). Rows erased, by model."""
    erased = {}
    with transaction.atomic():
        for declaration, rows in _rows_by_declaration(email):
            erased[declaration.label] = declaration.erase_rows(rows)
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
    return _declarations[rows.model].erase_rows(rows)


def excluding_inactive(rows: models.QuerySet) -> models.QuerySet:
    """Any app's rows without those of deactivated people, for a list, an export or a
    mailing (P6, P8). The model must be declared."""
    return _declarations[rows.model].excluding_inactive(rows)
