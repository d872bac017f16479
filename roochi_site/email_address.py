"""One canonical form of an email address (P6, P8), used to store, find, hash, opt
out, erase and mail: however a person spells their address, it is the same person.

The form: Unicode NFKC; invisible and default-ignorable characters (a soft hyphen, a
zero-width space, a variation selector) removed, as the domain's own IDNA mapping would
remove them on the way to the mail server; a quoted local part unquoted when the quotes
change nothing; the domain in its IDNA (ASCII) form; everything lower-cased, as the
site has always compared addresses. An address that cannot be put in that form is
refused with a clear message rather than stored in a form we would not recognise.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# Unicode's Default_Ignorable_Code_Point ranges that are not of category Cf (format
# characters, all removed): combining grapheme joiner, Hangul fillers, Mongolian and
# other variation selectors, and the tag and reserved ranges of plane 14.
IGNORABLE_RANGES = (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
    (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xE0000, 0xE0FFF),
)
# A local part that needs no quotes (RFC 5322 dot-atom).
DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
QUOTED_PAIR = re.compile(r"\\(.)")

MESSAGE = ("We cannot use this email address: please type it as you would give it to "
           "someone, without quotation marks or special characters.")


def invisible(character: str) -> bool:
    code = ord(character)
    return unicodedata.category(character) == "Cf" or any(
        low <= code <= high for low, high in IGNORABLE_RANGES
    )


def email_canonical(address: str) -> str:
    """The canonical form of an address; ValidationError (code "email_not_canonical")
    when there is none."""
    if address.isascii():
        # NFKC leaves ASCII as it is, and no ASCII character is invisible: the common
        # case skips the per-character pass.
        text = address.strip()
    else:
        text = "".join(c for c in unicodedata.normalize("NFKC", address).strip()
                       if not invisible(c))
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        raise ValidationError(MESSAGE, code="email_not_canonical")
    if len(local) >= 2 and local[0] == local[-1] == '"':
        unquoted = QUOTED_PAIR.sub(r"\1", local[1:-1])
        if DOT_ATOM.fullmatch(unquoted):
            local = unquoted
    if any(unicodedata.category(c).startswith(("C", "Z")) for c in local + domain):
        raise ValidationError(MESSAGE, code="email_not_canonical")
    try:
        domain = domain.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError as error:
        raise ValidationError(MESSAGE, code="email_not_canonical") from error
    canonical = f"{local}@{domain}".lower()
    try:
        validate_email(canonical)
    except ValidationError as error:
        raise ValidationError(MESSAGE, code="email_not_canonical") from error
    return canonical


def email_canonical_or_lower(address: str) -> str:
    """For comparing a stored address that may predate the canonical form."""
    try:
        return email_canonical(address)
    except ValidationError:
        return address.strip().lower()


class CanonicalEmailField(forms.EmailField):
    """An email field whose cleaned value is the canonical form."""

    def clean(self, value):
        value = super().clean(value)
        return email_canonical(value) if value else value
