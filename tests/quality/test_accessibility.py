"""WCAG 2.2 A and AA, checked by axe-core in Chromium on every public page, every
error page, each form with its error summary showing and each thank-you page."""

import json
from dataclasses import replace

import pytest

from tests.quality.conftest import node_tool

# Transactional because the live server is (pytest-django then runs these tests after
# the others, whose content the flush would empty).
pytestmark = [pytest.mark.urls("tests.roochi_site.urls"), pytest.mark.django_db(transaction=True)]

WINDOW = {"width": 1280, "height": 720}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page, axe_source: str) -> list[str]:
    """What axe finds in the page."""
    # page.evaluate runs through the DevTools protocol, which the page's CSP does not
    # govern: the audit sees the page under its real policy, nothing loosened.
    page.evaluate(axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    assert result["passes"], "axe checked nothing"
    # "incomplete" is what axe could not decide (text over an image, colours it cannot
    # compute): a person would have to look, so the pages must not have any.
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(json.dumps(node["target"]) for node in violation["nodes"])
        for violation in result["violations"] + result["incomplete"]
    ]


def serve(document):
    def fulfill(route, request):
        route.fulfill(status=document.status, headers=document.headers, body=document.html)
    return fulfill


def show(page, live_server, document) -> None:
    """The document as the server sent it (a POST's answer included), shown at its own
    address so that its stylesheets load from the live server."""
    url = live_server.url + document.path
    page.route(url, serve(document))
    page.set_viewport_size(WINDOW)
    page.goto(url)
    page.unroute(url)
    # axe cannot judge the contrast of text the window's edge cuts through: the
    # window is made as tall as the page.
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({**WINDOW, "height": max(WINDOW["height"], height)})


def test_every_page_form_state_and_error_page_meets_wcag_2_2_aa(browser, live_server,
                                                                documents):
    axe_source = node_tool("axe-core/axe.min.js").read_text()
    context = browser.new_context()
    page = context.new_page()
    found = {}
    for document in documents:
        show(page, live_server, document)
        if violations := axe_violations(page, axe_source):
            found[document.name] = violations
    context.close()
    assert found == {}


def test_the_audit_reports_what_it_should(browser, live_server, home_document):
    """The gate can fail: the home page without its language and with yellow text on
    white is reported."""
    html = home_document.html.replace('<html lang="en">', "<html>")
    broken = replace(home_document, html=html.replace(
        "</h1>", '</h1><p class="text-warning">Yellow on white</p>'))
    context = browser.new_context()
    page = context.new_page()
    show(page, live_server, broken)
    violations = axe_violations(page, node_tool("axe-core/axe.min.js").read_text())
    context.close()
    assert [violation.split(" ")[0] for violation in violations] == [
        "color-contrast", "html-has-lang"]
