"""Fast (DESIGN.md): public pages are rendered once and served from the cache until
their content or the policy version in force changes, on every worker."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from pages.models import Page
from privacy.models import PolicyVersion
from privacy.policy import policy_cache_clear
from privacy.services.policy_versions import policy_version_publish
from roochi_site.csrf import form_token_issued_at
from tests.pages import cached_urls
from tests.pages.admin_forms import change_save, draft_publish_post
from tests.privacy.policy.factories import draft_from, published
from tests.quality.queries import request_queries
from tests.staff import staff_sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("deployment_page_cache")
@pytest.mark.parametrize("path", ["/", "/about/", "/contact/"])
def test_a_cached_page_is_served_without_a_query(client, path):
    first = client.get(path)
    again, queries = request_queries(lambda: client.get(path))
    assert again.status_code == 200
    assert again.content == first.content
    assert queries == []


def test_a_staff_edit_published_in_the_admin_shows_on_the_next_request(client):
    staff = get_user_model().objects.create_superuser("editor", "editor@roochi.com", "x" * 16)
    page = Page.objects.get(slug="about")
    assert "We have moved" not in client.get("/about/").text
    staff_sign_in(client, staff)
    change_save(client, page, body="We have moved to a bigger warehouse.")
    assert draft_publish_post(client, page).status_code == 302
    client.logout()
    assert "We have moved to a bigger warehouse." in client.get("/about/").text


@pytest.mark.usefixtures("deployment_page_cache")
def test_an_edit_made_by_another_worker_shows_here_after_the_recheck_delay(client, settings):
    settings.PUBLIC_PAGE_CACHE_RECHECK_SECONDS = 1  # a deployment's delay, shortened
    assert "Edited elsewhere" not in client.get("/about/").text
    # A bulk update, as another process or the shell would make it: no Python code of
    # this process runs, only the database trigger.
    Page.objects.filter(slug="about").update(body="Edited elsewhere.")
    assert "Edited elsewhere" not in client.get("/about/").text
    time.sleep(settings.PUBLIC_PAGE_CACHE_RECHECK_SECONDS)
    assert "Edited elsewhere." in client.get("/about/").text


@pytest.mark.usefixtures("deployment_page_cache")
def test_a_new_policy_version_in_force_changes_the_footer_of_a_cached_page(
    client, admin_user, django_capture_on_commit_callbacks
):
    assert "Version 1, in force since" in client.get("/").text
    with django_capture_on_commit_callbacks(execute=True):
        policy_version_publish(
            version=draft_from(PolicyVersion.objects.get(number=1)),
            effective_at=timezone.now(), published_by=admin_user,
        )
    html = client.get("/").text
    assert "Version 2, in force since" in html
    assert "Version 1, in force since" not in html


@pytest.mark.usefixtures("deployment_page_cache")
def test_an_unpublished_page_is_gone_from_every_worker_after_the_recheck_delay(
    client, settings
):
    settings.PUBLIC_PAGE_CACHE_RECHECK_SECONDS = 1
    assert client.get("/about/").status_code == 200
    Page.objects.filter(slug="about").update(published=False)
    time.sleep(settings.PUBLIC_PAGE_CACHE_RECHECK_SECONDS)
    assert client.get("/about/").status_code == 404


@pytest.mark.urls("tests.pages.cached_urls")
@pytest.mark.usefixtures("deployment_page_cache")
def test_a_function_view_can_opt_in_and_is_rendered_once_per_policy_version(client):
    first = client.get("/cached/").text
    assert client.get("/cached/").text == first
    # Published by another process: this one learns it once its lookup expires.
    published(draft_from(PolicyVersion.objects.get(number=1)), effective_at=timezone.now())
    policy_cache_clear()
    assert "Policy 2" in client.get("/cached/").text


@pytest.mark.urls("tests.pages.cached_urls")
@pytest.mark.usefixtures("deployment_page_cache")
def test_a_page_that_used_the_csp_nonce_is_never_served_to_someone_else(client):
    # Each visitor's page carries the nonce their own header allows: a copy of another
    # visitor's page would carry a nonce the browser refuses.
    nonces = []
    for _ in range(2):
        response = client.get("/cached-with-nonce/")
        [nonce] = re.findall(r"<p>([\w-]{16,})</p>", response.text)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


@pytest.mark.urls("tests.pages.cached_urls")
@pytest.mark.usefixtures("deployment_page_cache")
def test_a_form_page_is_rendered_once_and_each_visitor_gets_a_fresh_token(client):
    renders_before = len(cached_urls.renders)
    pages = [client.get("/cached-form/").text for _ in range(3)]
    assert len(cached_urls.renders) == renders_before + 1
    tokens = [re.search(r'name="form_token" value="([^"]+)"', page).group(1) for page in pages]
    assert len(set(tokens)) == 3
    assert all(form_token_issued_at(token) for token in tokens)
