"""Fixtures shared by every test. The database is always a real PostgreSQL: the
embedded server (started by the settings) or the one DATABASE_URL names."""

import os
from pathlib import Path

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
    # A test that edits a page then reads it sees the edit at once; the delay a
    # deployment allows between workers is tested in tests/pages/test_page_cache.py.
    settings.PUBLIC_PAGE_CACHE_RECHECK_SECONDS = 0


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test's rollback takes the pages' content generation back with it, so a page
    an earlier test cached under that generation must not be served to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def browser_client():
    """A client that sends what a current browser sends with a same-site form post."""
    return Client(headers={"Sec-Fetch-Site": "same-origin"})


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session (Debian's, never Playwright's download), for
    tests/browser and the quality gates alike: Playwright's sync API allows one."""
    from playwright.sync_api import sync_playwright

    executable = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    if not executable.exists():
        pytest.fail(f"Chromium not found at {executable}: run `make test`, or set CHROMIUM_PATH")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
