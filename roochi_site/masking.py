"""How staff lists show personal data (P7): enough to tell rows apart on a shared
screen, never the whole value (django-helpdesk style). The full value is on the row's
own page, whose every view is logged (roochi_site.admin.PersonalDataAdminMixin).

One mask for every list: three bullets where characters are left out."""

MASK = "\u2022\u2022\u2022"


def masked_name(name: str) -> str:
    """"Ana María Pérez" -> "Ana M. P."."""
    first, *others = name.split() or [""]
    return " ".join([first, *(f"{other[0]}." for other in others)])


def masked_email(email: str) -> str:
    """"ana@example.com" -> "a•••@example.com"; "" stays "" (nothing held, or erased)."""
    if not email:
        return ""
    local, _, domain = email.partition("@")
    return f"{local[:1]}{MASK}@{domain}" if domain else MASK


def masked_phone(phone: str) -> str:
    """"+13237225592" -> "••• 92"."""
    return f"{MASK} {phone[-2:]}" if phone else ""
