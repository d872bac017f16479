"""A staff password must not be guessable from who we are. Django's validators refuse
one like the username, each part of the person's name or a common one; this one refuses
one built on the company's name ("roochitraders", "Roochi-Traders-2026") or on the
person's whole name ("maria.okafor.1")."""

import re
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError

from roochi_site.company import company

# As Django's UserAttributeSimilarityValidator: a password this similar is too close.
MAX_SIMILARITY = 0.7


def letters_and_digits(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def too_similar(password: str, name: str) -> bool:
    """The password holds the name, or is close to it, ignoring case and punctuation;
    also to each long word of the name ("roochi" of "Roochi Traders Inc.")."""
    squashed = letters_and_digits(password)
    parts = {letters_and_digits(name)} | {
        letters_and_digits(word) for word in name.split() if len(word) >= 5}
    return any(
        part in squashed or SequenceMatcher(a=squashed, b=part).ratio() >= MAX_SIMILARITY
        for part in parts - {""}
    )


class NameSimilarityValidator:
    def validate(self, password: str, user=None) -> None:
        if too_similar(password, company().name):
            raise ValidationError("The password is too similar to the company's name.",
                                  code="password_too_similar_to_company")
        full_name = user.get_full_name() if user is not None else ""
        if full_name and too_similar(password, full_name):
            raise ValidationError("The password is too similar to your name.",
                                  code="password_too_similar_to_name")

    def get_help_text(self) -> str:
        return "Your password can't be built on the company's name or on your name."
