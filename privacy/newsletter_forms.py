"""The public newsletter sign-up form (P3, P6)."""

from django import forms

from privacy.forms import PolicyNoticeMixin
from roochi_site.company import company
from roochi_site.email_address import CanonicalEmailField
from roochi_site.forms import SpamGuardMixin


class NewsletterSignupForm(SpamGuardMixin, PolicyNoticeMixin, forms.Form):
    email = CanonicalEmailField(
        max_length=254, label="Your email address",
        help_text="We send a link to it: the newsletter starts only once you confirm.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Enter an email address like name@example.com."},
    )

    @property
    def wording(self) -> str:
        """The words shown next to the button, stored with the sign-up (P3)."""
        details = company()
        return (
            "Send me the Roochi Traders newsletter and occasional offers by email. I can "
            "stop it at any time: with the link in every issue, by replying "
            "\u201cunsubscribe\u201d, by writing to "
            f"{details.support_email} or by calling {details.phone}."
        )
