"""A new, empty browser context for each test, which records every request and console
error, in the one Chromium of the session (tests/conftest.py)."""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page


@dataclass
class Visit:
    """A browser tab on the live site, and what it saw."""

    page: Page
    origin: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def open(self, path: str):
        return self.page.goto(self.origin + path)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests
                if not url.startswith(("data:", "about:"))
                and f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" != self.origin]

    def cookies(self) -> list:
        return self.page.context.cookies()


def start_visit(browser: Browser, live_server, **context_options) -> Visit:
    context = browser.new_context(**context_options)
    context.set_default_timeout(10_000)
    visit = Visit(page=context.new_page(), origin=live_server.url)
    visit.page.on("request", lambda request: visit.requests.append(request.url))
    visit.page.on("console", lambda message: message.type == "error"
                  and visit.console_errors.append(message.text))
    visit.page.on("pageerror", lambda error: visit.console_errors.append(str(error)))
    return visit


@pytest.fixture(autouse=True)
def _content(committed_db):
    """Every browser test commits for real (the live server runs in another thread)."""


@pytest.fixture
def visit(browser, live_server) -> Visit:
    visit = start_visit(browser, live_server)
    yield visit
    visit.page.context.close()


@pytest.fixture
def visit_without_javascript(browser, live_server) -> Visit:
    visit = start_visit(browser, live_server, java_script_enabled=False)
    yield visit
    visit.page.context.close()


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    # The live server runs in this process; a person takes longer than the test.
    settings.FORM_MIN_FILL_SECONDS = 0
