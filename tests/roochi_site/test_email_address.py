"""One address, however it is spelled (P6, P8): every spelling of the same mailbox has
one canonical form; what has none is refused."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from roochi_site.email_address import email_canonical

SAME_MAILBOX = [
    "name@example.com",
    "Name@Example.COM",
    "  name@example.com ",
    '"name"@example.com',
    "name@exam\u00adple.com",  # a soft hyphen inside the domain
    "na\u200bme@example.com",  # a zero-width space
    "name@example.com.",
    "\uff4e\uff41\uff4d\uff45@example.com",  # full-width letters (NFKC)
    "name\ufe0f@example.com",  # a variation selector
]


@pytest.mark.parametrize("spelling", SAME_MAILBOX)
def test_every_spelling_of_one_mailbox_has_the_same_canonical_form(spelling):
    assert email_canonical(spelling) == "name@example.com"


def test_an_international_domain_is_kept_in_its_idna_form():
    assert email_canonical("ana@Bücher.example") == "ana@xn--bcher-kva.example"


@pytest.mark.parametrize("address", [
    '"two words"@example.com',  # the quotes change what the local part means
    "name@",
    "@example.com",
    "name",
    "na\nme@example.com",
    "name@exa mple.com",
    "name@" + "x" * 64 + ".com",  # a domain label longer than IDNA allows
])
def test_an_address_without_a_canonical_form_is_refused_with_a_clear_message(address):
    with pytest.raises(ValidationError) as refused:
        email_canonical(address)
    assert refused.value.code == "email_not_canonical"
    assert "We cannot use this email address" in refused.value.messages[0]


@given(st.text(max_size=80))
def test_no_input_breaks_it_and_the_form_is_stable(text):
    try:
        canonical = email_canonical(text)
    except ValidationError:
        return
    assert email_canonical(canonical) == canonical
