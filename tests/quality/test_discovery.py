"""The gates check what discovery finds; if discovery found nothing, they would pass
on nothing. This proves it finds every kind of document."""

import pytest

from tests.quality.targets import ADMIN_LISTS

pytestmark = [pytest.mark.urls("tests.roochi_site.urls")]


def test_discovery_finds_the_public_pages_the_forms_and_every_error_page(documents):
    found = {document.name: document.status for document in documents}
    for path in ["/", "/about/", "/what-we-trade/", "/shipping-and-orders/", "/contact/",
                 "/security/", "/accessibility/", "/privacy/"]:
        assert found[f"page {path}"] == 200, path
    assert found["form /demo-form/"] == 200
    assert found["form /demo-form/ with errors"] == 400
    for name, status in [("404 page", 404), ("500 page", 500), ("400 page", 400),
                         ("403 page", 403), ("403 cross-site form page", 403),
                         ("413 page", 413), ("503 page (database unavailable)", 503)]:
        assert found[name] == status, name
    assert found["staff page /admin/sitestats/count/"] == 200
    assert found["page /demo-links/"] == 200
    # Every admin list, and the page of one of its rows, as the gates check them.
    staff = {name: status for name, status in found.items() if name.startswith("staff ")}
    assert len([name for name in staff if name.startswith("staff list ")]) == len(ADMIN_LISTS)
    assert {name: status for name, status in staff.items() if status != 200} == {}


def test_the_error_state_of_each_form_shows_the_error_summary(form_states):
    states = [document for document in form_states if document.name.endswith("with errors")]
    assert states
    for state in states:
        assert 'id="error-summary"' in state.html, state.name
