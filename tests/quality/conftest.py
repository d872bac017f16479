"""Fixtures of the quality gates: the tools from node_modules (installed by `make
test` from package-lock.json) and Debian's Chromium, shared with tests/browser."""

from pathlib import Path

import pytest

from tests.browser.conftest import initial_content_restore, start_visit
from tests.quality.documents import Document, public_documents

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"


def node_tool(relative: str) -> Path:
    path = NODE_MODULES / relative
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make test`, or `npm ci --ignore-scripts`")
    return path


@pytest.fixture
def site_content(transactional_db):
    """The site's initial content, committed, for a live server or another process."""
    initial_content_restore()


@pytest.fixture
def documents(db) -> list[Document]:
    initial_content_restore()
    return public_documents()


@pytest.fixture
def visit(browser, live_server, site_content):
    visit = start_visit(browser, live_server)
    yield visit
    visit.page.context.close()
