"""Counting a request's queries for the query budgets."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from privacy.policy import current_version


def without_times(sql: str) -> str:
    return re.sub(r"'[^']*'::timestamptz", "'?'", sql)


def queries_besides_the_policy_lookup(captured: CaptureQueriesContext) -> list[str]:
    """The queries a request made, less the one privacy.policy.current_version() makes
    while it is not cached per process (once it is, nothing is left out and the
    budgets hold with it)."""
    with CaptureQueriesContext(connection) as lookup:
        current_version()
    policy_sql = {without_times(query["sql"]) for query in lookup.captured_queries}
    return [query["sql"] for query in captured.captured_queries
            if without_times(query["sql"]) not in policy_sql]
