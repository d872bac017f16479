"""Counting a request's queries for the query budgets."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from privacy.policy import current_version


def request_queries(request) -> tuple[object, list[str]]:
    """A request's response and its queries, as a worker that has served before makes
    them: the policy version in force is already looked up (privacy/policy.py keeps it
    per process, re-reading it at most once a minute), so it is not counted."""
    current_version()
    with CaptureQueriesContext(connection) as captured:
        response = request()
    return response, [query["sql"] for query in captured.captured_queries]
