"""The privacy-request and newsletter forms count their hourly limit as the inquiry
forms do, before the submission's transaction (roochi_site/submission_limit.py): a
post over the limit writes its count and nothing else, in one statement, and the limit
still holds when a client's posts arrive at once."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from privacy.models import NewsletterSubscription, PrivacyRequest
from roochi_site.models import SubmissionCount
from tests.quality.documents import hidden_fields
from tests.quality.queries import request_queries

FORMS = {
    "privacy-request": ("/privacy/requests/", "PRIVACY_REQUEST_LIMIT_PER_HOUR",
                        {"kind": "copy"}, PrivacyRequest),
    "newsletter": ("/newsletter/", "NEWSLETTER_SIGNUP_LIMIT_PER_HOUR", {}, NewsletterSubscription),
}
CLIENT = "198.51.100.7"


def form_post(path: str, fields: dict[str, str], email: str):
    client = Client(headers={"Sec-Fetch-Site": "same-origin"})
    shown = client.get(path)
    return client.post(path, {**hidden_fields(shown.text), **fields, "email": email},
                       REMOTE_ADDR=CLIENT)


def form_post_in_thread(path: str, fields: dict[str, str], email: str):
    try:
        return form_post(path, fields, email)
    finally:
        connection.close()  # each thread's own connection


def rows_of_every_table() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS)
def test_a_refused_post_writes_its_count_and_nothing_else(form, settings):
    path, limit, fields, _model = FORMS[form]
    settings.FORM_MIN_FILL_SECONDS = 0
    setattr(settings, limit, 1)
    assert form_post(path, fields, "ana@example.com").status_code == 302
    before = rows_of_every_table()
    client = Client(headers={"Sec-Fetch-Site": "same-origin"})
    shown = client.get(path)
    refused, queries = request_queries(lambda: client.post(
        path, {**hidden_fields(shown.text), **fields, "email": "bo@example.com"},
        REMOTE_ADDR=CLIENT))
    assert refused.status_code == 400
    assert "several requests from your connection" in refused.text
    assert rows_of_every_table() == before
    assert [count.count for count in SubmissionCount.objects.all()] == [2]
    # The count is the only statement that writes, and the last: no transaction of
    # the submission's is begun (form validation may read before it).
    writes = [sql for sql in queries if sql.split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == [queries[-1]], queries
    assert writes[0].startswith(f"INSERT INTO {SubmissionCount._meta.db_table} ")


@pytest.mark.usefixtures("committed_db")
@pytest.mark.parametrize("form", FORMS)
def test_the_limit_holds_under_concurrent_posts(form, settings):
    path, limit, fields, model = FORMS[form]
    settings.FORM_MIN_FILL_SECONDS = 0
    setattr(settings, limit, 3)
    emails = [f"person{n}@example.com" for n in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda email: form_post_in_thread(path, fields, email), emails))
    assert sorted(response.status_code for response in responses) == [302] * 3 + [400] * 5
    assert model.objects.count() == 3
    assert [count.count for count in SubmissionCount.objects.all()] == [8]
