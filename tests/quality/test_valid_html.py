"""Every public page, error page, form state and thank-you page is valid HTML, by the
Nu Html Checker (vnu.jar from the npm registry, run once with Java over all of them)."""

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.quality.conftest import node_tool
from tests.quality.documents import Document

pytestmark = [pytest.mark.urls("tests.roochi_site.urls"), pytest.mark.django_db]


def html_errors(documents: list[Document], folder: Path) -> dict[str, list[str]]:
    files = {}
    for number, document in enumerate(documents):
        path = folder / f"{number:03}-{re.sub(r'[^a-z0-9]+', '-', document.name.lower())}.html"
        path.write_text(document.html, encoding="utf-8")
        files[path.name] = document.name
    result = subprocess.run(
        # The Java on PATH, as `make test` checks.
        ["java", "-jar", str(node_tool("vnu-jar/build/dist/vnu.jar")), "--errors-only",  # noqa: S607
         "--format", "json", "--exit-zero-always", *sorted(str(folder / name) for name in files)],
        capture_output=True, text=True, check=True, timeout=300,
    )
    found: dict[str, list[str]] = {}
    for message in json.loads(result.stderr)["messages"]:
        name = files.get(Path(message.get("url", "")).name, message.get("url", "?"))
        found.setdefault(name, []).append(
            f"line {message.get('lastLine', '?')}: {message['message']}"
            f" [{message.get('extract', '').strip()}]")
    return found


def test_every_document_is_valid_html(documents, tmp_path):
    assert html_errors(documents, tmp_path) == {}


def test_the_checker_reports_invalid_html(home_document, tmp_path):
    """The gate can fail: a duplicate id and an unclosed element are reported."""
    broken = Document(name="broken home", path="/", status=200, headers={},
                      html=home_document.html.replace("</h1>", '</h1><p id="main"><span>'))
    errors = html_errors([broken], tmp_path)["broken home"]
    assert any("Duplicate ID" in error for error in errors), errors
    assert any("Unclosed element" in error for error in errors), errors
