"""The personal-data registry: where personal data lives, and nowhere else.

Each app declares, in its ``personal_data.py`` (found by ``autodiscover`` when the
privacy app is ready), every model that holds personal data: which fields, how a row
is found for one person, and how it is erased. Privacy requests, retention purges and
exports work only through these declarations. A model whose fields merely look
personal (a staff-written text, say) is declared ``not_personal`` with the reason.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import models
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

    def rows_for(self, email: str) -> models.QuerySet:
        return self.model._default_manager.filter(**{self.person_lookup: email})

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
) -> PersonalData:
    declaration = PersonalData(
        model=model,
        fields=tuple(fields),
        person_lookup=person_lookup,
        erasure=erasure,
        anonymised_values=dict(anonymised_values or {}),
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
