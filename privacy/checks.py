"""A system check: no model, ours, Django's or an installed package's, holds a field
that looks personal without saying so in the registry (roochi_site/personal_data.py).
`manage.py check` and CI fail on it, so a new form or a new package cannot forget
privacy (P8)."""

from collections.abc import Iterable, Mapping

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from roochi_site import personal_data

# Words in a field's name that say it holds something about a person, and phrases of
# several words that do.
PERSONAL_WORDS = frozenset({
    "email", "mail", "phone", "mobile", "name", "address", "ip", "street", "city", "zip",
    "postcode", "company", "username", "agent",
})
PERSONAL_PHRASES = ("postal_code", "account_number", "order_number", "user_agent")
# Field types that hold an address, or free text a visitor may have typed.
PERSONAL_TYPES = (models.EmailField, models.GenericIPAddressField, models.TextField)


def looks_personal(field: models.Field) -> bool:
    if field.is_relation:
        return False  # an id; the model it points at is checked for itself
    name = field.name.lower()
    words = name.split("_")
    return (
        isinstance(field, PERSONAL_TYPES)
        or any(phrase in name for phrase in PERSONAL_PHRASES)
        or any(word in PERSONAL_WORDS or word.endswith(("name", "email", "phone", "address"))
               for word in words)
    )


def undeclared_fields(
    model_list: Iterable[type[models.Model]],
    declared: Mapping[type[models.Model], Iterable[str]],
) -> list[checks.CheckMessage]:
    """An error for each field of these models that looks personal and is not named by
    a declaration (personal or not_personal), and for each declared name that is not
    a field."""
    errors: list[checks.CheckMessage] = []
    for model in model_list:
        names = set(declared.get(model, ()))
        for field in model._meta.concrete_fields:
            if looks_personal(field) and field.name not in names:
                errors.append(checks.Error(
                    f"{model._meta.label}.{field.name} looks like personal data and is not "
                    "declared in the personal-data registry.",
                    hint=f"In {model._meta.app_label}/personal_data.py, name it in "
                    "declare(...) or not_personal(..., reason=...) (roochi_site.personal_data).",
                    obj=model,
                    id="privacy.E001",
                ))
        for name in sorted(names):
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                errors.append(checks.Error(
                    f"The personal-data registry names {model._meta.label}.{name}, "
                    "which is not a field.",
                    obj=model,
                    id="privacy.E002",
                ))
    return errors


def bad_person_lookups(
    declarations: Iterable[personal_data.PersonalData],
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for declaration in declarations:
        if declaration.finder is not None:
            continue  # found by its own function, not by a path to an address
        model = declaration.model
        for part in declaration.person_lookup.split("__"):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                errors.append(checks.Error(
                    f"{declaration.label}: person_lookup {declaration.person_lookup!r} "
                    "does not lead to a field.",
                    obj=declaration.model,
                    id="privacy.E003",
                ))
                break
            model = field.related_model or model
    return errors


def declared_fields() -> dict[type[models.Model], set[str]]:
    declared: dict[type[models.Model], set[str]] = {}
    for entry in [*personal_data.declarations(), *personal_data.exemptions()]:
        declared.setdefault(entry.model, set()).update(entry.fields)
    return declared


@checks.register(checks.Tags.models)
def personal_data_declared(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    app_configs = app_configs or apps.get_app_configs()
    model_list = [
        model
        for app_config in app_configs
        for model in app_config.get_models()
        if model._meta.managed and not model._meta.proxy
    ]
    return [
        *undeclared_fields(model_list, declared_fields()),
        *bad_person_lookups(personal_data.declarations()),
    ]


@checks.register(checks.Tags.compatibility, deploy=True)
def erasure_ledger_outside_the_checkout(app_configs, **kwargs):
    """P8: the erasure ledger must outlive a database restore and a new release; in
    the checkout (the local default) a redeployment would take it away."""
    from django.conf import settings

    if not settings.ERASURE_LEDGER_PATH.resolve().is_relative_to(settings.BASE_DIR):
        return []
    return [checks.Warning(
        f"The erasure ledger is inside the checkout ({settings.ERASURE_LEDGER_PATH}): a new "
        "release or a lost machine takes it away, and a restored backup would bring "
        "erased people back (P8).",
        hint="Set BACKUP_DIR (or ERASURE_LEDGER_PATH) to a lasting place outside the "
        "checkout, backed up apart from the database (README.md, Backups).",
        id="privacy.W001",
    )]
