"""Public forms are protected from cross-site posting without any cookie (P1)."""

import time

import pytest
from django.core import signing
from django.test import Client

from roochi_site.csrf import FORM_TOKEN_SALT, form_token_new, form_token_read

pytestmark = [pytest.mark.urls("tests.roochi_site.urls"), pytest.mark.django_db]

URL = "/demo-form/"


def post(client: Client, data: dict | None = None, **headers):
    return client.post(URL, data or {"message": "hello", "form_token": form_token_new("DemoForm")},
                       headers=headers)


def test_same_origin_post_by_fetch_metadata_is_accepted():
    response = post(Client(), **{"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 200
    assert "<p>Received: hello</p>" in response.text


@pytest.mark.parametrize("fetch_site", ["cross-site", "same-site", "none"])
def test_post_from_another_site_is_refused_with_a_page_that_says_what_to_do(fetch_site):
    response = post(Client(), **{"Sec-Fetch-Site": fetch_site})
    assert response.status_code == 403
    assert "Please open the form again from our site" in response.text
    assert "Set-Cookie" not in response.headers


def test_post_with_own_origin_and_no_fetch_metadata_is_accepted():
    assert post(Client(), Origin="http://testserver").status_code == 200


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://testserver.evil"])
def test_post_with_foreign_origin_is_refused(origin):
    assert post(Client(), Origin=origin).status_code == 403


def test_post_with_neither_header_but_a_valid_token_is_accepted():
    assert post(Client()).status_code == 200


def test_post_with_neither_header_nor_token_is_refused():
    assert post(Client(), {"message": "hello"}).status_code == 403


def test_post_with_a_forged_token_is_refused():
    forged = signing.TimestampSigner(key="not-our-key", salt=FORM_TOKEN_SALT).sign("1")
    assert post(Client(), {"message": "hello", "form_token": forged}).status_code == 403


def test_post_with_an_expired_token_and_no_header_is_refused(settings):
    token = form_token_new("DemoForm")
    settings.FORM_TOKEN_MAX_AGE = 0
    time.sleep(1.1)
    assert post(Client(), {"message": "hello", "form_token": token}).status_code == 403


def test_expired_token_from_a_browser_keeps_the_input_and_gives_a_new_token(settings):
    token = form_token_new("DemoForm")
    settings.FORM_TOKEN_MAX_AGE = 1
    time.sleep(2.1)
    response = post(Client(), {"message": "kept words", "form_token": token},
                    **{"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 400
    assert "has expired" in response.text
    assert 'value="kept words"' in response.text
    assert token not in response.text


def test_two_forms_shown_at_the_same_moment_get_different_tokens():
    assert len({form_token_new("DemoForm") for _ in range(100)}) == 100


def test_a_token_is_accepted_only_by_the_form_it_was_shown_with():
    """A token taken from one form (say a cached page's) does not make another form's
    post look fresh: each form reads only its own tokens."""
    browser = {"Sec-Fetch-Site": "same-origin"}
    other = post(Client(), {"message": "hello", "form_token": form_token_new("OtherForm")},
                 **browser)
    assert other.status_code == 400
    assert "has expired" in other.text
    own = post(Client(), {"message": "hello", "form_token": form_token_new("DemoForm")},
               **browser)
    assert own.status_code != 400


def test_a_token_is_django_s_own_signature_under_the_key_in_use(settings):
    """The form tokens' signer keeps each key's MAC rather than deriving it per token;
    what it signs is exactly what Django's signer signs, and a change of SECRET_KEY
    takes effect at once: old tokens are refused unless the old key is a fallback."""
    token = form_token_new("DemoForm")
    django_signer = signing.TimestampSigner(salt=FORM_TOKEN_SALT)
    assert django_signer.unsign(token).endswith("|DemoForm")
    assert form_token_read(django_signer.sign("12.5|random|DemoForm")) == (12.5, "DemoForm")
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-key-" + old_key
    assert form_token_read(token) is None
    assert post(Client(), {"message": "hello", "form_token": token}).status_code == 403
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert form_token_read(token) is not None
    assert post(Client(), {"message": "hello", "form_token": token}).status_code == 200
