"""Fixtures shared by every test. The database is always a real PostgreSQL: the
embedded server (started by the settings) or the one DATABASE_URL names."""

import pytest
from django.test import Client


def pytest_configure(config):
    from django.conf import settings

    # Tests render templates without running collectstatic first; the hashed,
    # compressed files of production are checked by the page-weight tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def browser_client():
    """A client that sends what a current browser sends with a same-site form post."""
    return Client(headers={"Sec-Fetch-Site": "same-origin"})


@pytest.fixture(autouse=True)
def policy_cache_forgotten():
    """The version in force is cached per process (privacy/policy.py); each test's
    database starts afresh, so the cache must too."""
    from privacy.policy import policy_cache_clear

    policy_cache_clear()
    yield
    policy_cache_clear()
