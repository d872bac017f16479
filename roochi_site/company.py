"""The company's contact details, written once (settings, from the environment) and
used by the footer, the contact page, error pages, forms, mails and security.txt.
The postal address and opening hours are staff's to edit (pages.ContactDetails)."""

from dataclasses import dataclass
from functools import cache, cached_property

import phonenumbers
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver


@dataclass(frozen=True)
class Company:
    name: str
    support_email: str
    info_email: str
    # E.164, e.g. +13237225592; shown as people dial it in the company's country.
    phone_e164: str
    phone_extension: str

    @cached_property  # parsed once: every mail's footer and every page show it
    def phone(self) -> str:
        """"(323) 722-5592 ext. 118", as the policy gives it."""
        number = phonenumbers.format_number(
            phonenumbers.parse(self.phone_e164), phonenumbers.PhoneNumberFormat.NATIONAL
        )
        return f"{number} ext. {self.phone_extension}" if self.phone_extension else number

    @property
    def phone_uri(self) -> str:
        """RFC 3966 with the extension dialled after a pause: tel:+13237225592,118."""
        extension = f",{self.phone_extension}" if self.phone_extension else ""
        return f"tel:{self.phone_e164}{extension}"


@cache
def company() -> Company:
    return Company(
        name=settings.COMPANY_NAME,
        support_email=settings.COMPANY_SUPPORT_EMAIL,
        info_email=settings.COMPANY_INFO_EMAIL,
        phone_e164=settings.COMPANY_PHONE,
        phone_extension=settings.COMPANY_PHONE_EXTENSION,
    )


@receiver(setting_changed)
def company_forget(*, setting, **kwargs):
    if setting.startswith("COMPANY_"):
        company.cache_clear()


def context(request):
    return {"company": company()}
