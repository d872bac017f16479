"""How an app declares the personal data it holds (P8): the registry's declarations.

Each app declares, in its ``personal_data.py``, every model that holds personal data:
which fields, how a row is found for one person, and how it is erased; and every store
outside the database that holds some (the support inbox): how a person's items there
are listed and erased. A model whose fields merely look personal (a staff-written
text, say) is declared ``not_personal`` with the reason. The declarations live here,
below every app, so an app at any layer (outbound mail included) declares its data
without importing the privacy app; the privacy app reads them to erase, deactivate
and export, and checks that nothing is left undeclared (privacy/checks.py).
"""

from collections.abc import Callable, Mapping
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
    # ORM path from the model to the canonical email address that identifies the
    # person, e.g. "email" or "inquiry__email".
    person_lookup: str
    erasure: Erasure
    # For Erasure.ANONYMISE: the value each personal field takes instead.
    anonymised_values: Mapping[str, object] = field(default_factory=dict)
    # What a deactivation changes in a row (an opt-in switched off, a status), if
    # anything; the rows stay, and lists and exports leave deactivated people out.
    deactivated_values: Mapping[str, object] = field(default_factory=dict)
    # For rows that hold no address of their own (Django's admin log): the person's
    # rows found by a function of the address instead of person_lookup.
    finder: Callable[[str], models.QuerySet] | None = None
    # How the person's own copy shows these rows (P8): a heading in plain words ("Your
    # requests"), the fields shown in order (declared or not: a reference, a topic; an
    # empty tuple leaves the model out, as for rows another part of the copy shows),
    # and labels where a field's own verbose name would not read well.
    title: str = ""
    copy_fields: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows_for(self, email: str) -> models.QuerySet:
        if self.finder is not None:
            return self.finder(email)
        return self.model._default_manager.filter(**{self.person_lookup: email})

    def person_email(self, row: models.Model) -> str:
        """The address of the person this row is about ("" when erased or unknown)."""
        if not self.person_lookup:
            return ""
        value: object = row
        for part in self.person_lookup.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return ""
        return str(value)

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
    # For the staff's own data (staff_data): how long it is kept.
    kept: str = ""

    @property
    def is_staff_data(self) -> bool:
        return bool(self.kept)


class StoreUnavailableError(Exception):
    """A store outside the database could not be reached, or stopped answering (its
    server is down): nothing in it was listed, and an erasure may have been cut off."""


@dataclass(frozen=True)
class OutsideStore:
    """Personal data the site keeps outside its database, where a database restore does
    not reach: the messages people wrote to the support inbox that wait for staff.

    ``items(email)``: the person's items, each a record of plain words (label -> text),
    for their copy and for staff's preview. ``erase(email)``: remove them; how many
    went. Both raise StoreUnavailableError when the store cannot be reached."""

    name: str
    title: str
    items: Callable[[str], list[dict[str, str]]]
    erase: Callable[[str], int]


_declarations: dict[type[models.Model], PersonalData] = {}
_outside_stores: dict[str, OutsideStore] = {}
_exemptions: dict[type[models.Model], NotPersonal] = {}


def declare(
    model: type[models.Model],
    *,
    fields: tuple[str, ...],
    erasure: Erasure,
    title: str,
    copy_fields: tuple[str, ...] | None = None,
    labels: Mapping[str, str] | None = None,
    person_lookup: str = "",
    finder: Callable[[str], models.QuerySet] | None = None,
    anonymised_values: Mapping[str, object] | None = None,
    deactivated_values: Mapping[str, object] | None = None,
) -> PersonalData:
    if bool(person_lookup) == (finder is not None):
        raise ValueError(f"{model._meta.label}: give either person_lookup or finder.")
    declaration = PersonalData(
        model=model,
        fields=tuple(fields),
        person_lookup=person_lookup,
        erasure=erasure,
        anonymised_values=dict(anonymised_values or {}),
        deactivated_values=dict(deactivated_values or {}),
        finder=finder,
        title=title,
        copy_fields=tuple(fields if copy_fields is None else copy_fields),
        labels=dict(labels or {}),
    )
    _declarations[model] = declaration
    return declaration


def declare_outside_store(name: str, *, title: str,
                          items: Callable[[str], list[dict[str, str]]],
                          erase: Callable[[str], int]) -> OutsideStore:
    store = OutsideStore(name=name, title=title, items=items, erase=erase)
    _outside_stores[name] = store
    return store


def not_personal(model: type[models.Model], *, fields: tuple[str, ...], reason: str) -> None:
    _exemptions[model] = NotPersonal(model=model, fields=tuple(fields), reason=reason)


def staff_data(model: type[models.Model], *, fields: tuple[str, ...], about: str,
               kept: str) -> None:
    """The staff's own personal data (their account, second factor, sign-in records):
    not a visitor's or client's, so the privacy requests do not reach it, but declared
    with what it is and how long it is kept."""
    _exemptions[model] = NotPersonal(model=model, fields=tuple(fields),
                                     reason=f"Staff data: {about}", kept=kept)


def declarations() -> list[PersonalData]:
    return list(_declarations.values())


def outside_stores() -> list[OutsideStore]:
    return list(_outside_stores.values())


def exemptions() -> list[NotPersonal]:
    return list(_exemptions.values())


def declaration_for(model: type[models.Model]) -> PersonalData | None:
    """The model's declaration; None when it holds no declared personal data."""
    return _declarations.get(model)


def autodiscover() -> None:
    """Import every installed app's ``personal_data`` module (at start-up)."""
    autodiscover_modules("personal_data")
