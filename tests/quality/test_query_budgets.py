"""Query budgets: a public page costs at most 2 queries, and none once cached; a form
submission its own budget (SUBMISSION_STATEMENTS), at most 10 when shown again with
errors; an admin list the same number whatever its rows (no N+1).

A public page's budget leaves out the lookup of the policy version in force, which
privacy.policy caches per process (with that cache in place nothing is left out)."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from privacy.policy import current_version
from tests.quality.documents import hidden_fields, public_client, sitemap_paths
from tests.quality.queries import request_queries
from tests.quality.targets import ADMIN_LISTS, FORM_TARGETS
from tests.staff import staff_sign_in

pytestmark = [pytest.mark.urls("tests.roochi_site.urls"), pytest.mark.django_db]


@pytest.mark.usefixtures("deployment_page_cache")
def test_every_public_page_costs_at_most_two_queries_and_none_once_cached():
    client = public_client()
    for target in FORM_TARGETS:
        target.prepare()
    paths = sitemap_paths(client) + [target.path for target in FORM_TARGETS] + ["/no-such-page/"]
    over, cached = {}, []
    for path in paths:
        response, queries = request_queries(lambda path=path: client.get(path))
        assert response.status_code in {200, 404}, path
        if len(queries) > 2:
            over[path] = queries
        if response.status_code == 200 and getattr(resolve(path).func, "public_page_cache",
                                                    False):
            cached.append(path)
            _, queries = request_queries(lambda path=path: client.get(path))
            if queries:
                over[f"{path} (cached)"] = queries
    assert over == {}
    assert "/" in cached
    assert "/about/" in cached


def statements(queries: list[str]) -> list[str]:
    """The queries less transaction control: the test's own transaction turns each
    atomic block into savepoints that a deployment's outermost block does not make."""
    return [sql for sql in queries
            if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))]


# What each accepted submission costs, statement by statement (docs/benchmarks.md,
# 2026-12-01): an inquiry counts the client's hour on its own, then writes both its
# mails in one INSERT, their one delivery task and the inquiry with its link to the
# acknowledgement. The Information Request's fifth is the pages' content generation,
# which the published product categories a posted topic may name are kept for
# (inquiries/forms.py): a deployment reads it every PUBLIC_PAGE_CACHE_RECHECK_SECONDS,
# these tests at every request.
SUBMISSION_STATEMENTS = {"/demo-form/": 0, "/information-request/": 5, "/support-request/": 4,
                         "/privacy/requests/": 9, "/newsletter/": 7,
                         "/surveys/quality-survey/": 8, "/request-status/": 4}


def test_every_form_has_its_submission_budget():
    assert sorted(SUBMISSION_STATEMENTS) == sorted(target.path for target in FORM_TARGETS)


@pytest.mark.parametrize("target", FORM_TARGETS, ids=lambda target: target.path)
def test_a_form_submission_costs_at_most_its_budget(target):
    target.prepare()
    client = public_client()
    shown = client.get(target.path)
    errors, queries = request_queries(lambda: client.post(target.path, hidden_fields(shown.text)))
    assert 'id="error-summary"' in errors.text
    assert len(statements(queries)) <= 10
    fresh = client.get(target.path)
    with override_settings(**target.settings):
        accepted, queries = request_queries(
            lambda: client.post(target.path, {**hidden_fields(fresh.text), **target.valid}))
    assert accepted.status_code in {200, 302, 303}
    assert 'id="error-summary"' not in accepted.content.decode()
    assert len(statements(queries)) <= SUBMISSION_STATEMENTS[target.path], queries


def test_every_admin_list_is_in_the_budget():
    assert sorted(model._meta.label for model in admin.site._registry) == sorted(ADMIN_LISTS)


@pytest.mark.parametrize("label", sorted(ADMIN_LISTS))
def test_an_admin_list_costs_the_same_queries_for_5_rows_as_for_65(client, label):
    staff = get_user_model().objects.create_superuser("budget", "budget@roochi.com", "x" * 16)
    staff_sign_in(client, staff)
    model = next(model for model in admin.site._registry if model._meta.label == label)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    counts = []
    for rows in (5, 60):
        ADMIN_LISTS[label](rows)
        current_version()  # the per-process policy lookup is not the list's to pay
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], f"{label}: {counts[0]} queries for 5 rows, {counts[1]} for 65"
    assert counts[1] <= 12
