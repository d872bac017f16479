"""Each public form can be filled and sent with the keyboard alone, the focus is always
visible, and after a failed submit the focus is on the error summary, whose links take
the keyboard to the fields."""

import pytest
from django.test import override_settings

from tests.quality.targets import FORM_TARGETS, FormTarget

pytestmark = [pytest.mark.urls("tests.roochi_site.urls"), pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
        || (style.boxShadow && style.boxShadow !== "none");
    return {
        tag: element.tagName.toLowerCase(), type: element.type || "", name: element.name || "",
        id: element.id, value: element.value ?? "", checked: !!element.checked,
        label: (element.innerText || element.getAttribute("aria-label") || "").trim(),
        visible: !!ring, inForm: !!element.form && element.form.matches("main form"),
        options: element.options ? element.options.length : 0,
    };
}"""


# What the form would send, less its hidden fields.
FORM_VALUES = """() => {
    const form = document.querySelector("main form");
    const hidden = new Set([...form.querySelectorAll("input[type=hidden]")].map(i => i.name));
    return Object.fromEntries([...new FormData(form)].filter(
        ([name, value]) => !hidden.has(name) && value !== ""));
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, wanted, limit: int = 80) -> list[dict]:
    """Press Tab until `wanted(element)`; every element on the way shows its focus."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        seen.append(element)
        assert element["visible"], f"no visible focus on {element}"
        if wanted(element):
            return seen
    pytest.fail(f"Tab never reached the element; went through {seen}")


def is_submit(element) -> bool:
    return element["inForm"] and element["type"] == "submit"


def choose(page, element: dict, value: str) -> None:
    """Give the focused field its value as a keyboard user would."""
    if element["type"] in {"checkbox"}:
        if value and not element["checked"]:
            page.keyboard.press("Space")
    elif element["type"] == "radio" or element["tag"] == "select":
        for _ in range(max(element["options"], 20)):
            if focused(page)["value"] == value:
                break
            page.keyboard.press("ArrowDown")
        if element["type"] == "radio":
            page.keyboard.press("Space")
        assert focused(page)["value"] == value, f"could not choose {value} in {element}"
    else:
        page.keyboard.type(value)


def fill_by_keyboard(page, target: FormTarget) -> None:
    remaining = dict(target.valid)
    for _ in range(200):
        page.keyboard.press("Tab")
        element = focused(page)
        assert element["visible"], f"no visible focus on {element}"
        if element["inForm"] and element["name"] in remaining:
            choose(page, element, remaining.pop(element["name"]))
            assert focused(page)["visible"]
        if is_submit(element):
            assert remaining == {}, f"Tab reached the send button before {sorted(remaining)}"
            return
    pytest.fail("Tab never reached the send button")


@pytest.mark.parametrize("target", FORM_TARGETS, ids=lambda target: target.path)
def test_a_form_is_filled_and_sent_with_the_keyboard_alone(visit, target):
    target.prepare()
    visit.open(target.path)
    with override_settings(**target.settings):
        fill_by_keyboard(visit.page, target)
        assert visit.page.evaluate(FORM_VALUES) == target.valid
        with visit.page.expect_navigation():
            visit.page.keyboard.press("Enter")
    assert visit.page.evaluate("document.querySelector('main form')") is None
    assert visit.page.get_by_role("heading", level=1).is_visible()
    assert not visit.page.locator("#error-summary").count()


@pytest.mark.parametrize("target", FORM_TARGETS, ids=lambda target: target.path)
def test_after_a_failed_submit_the_focus_is_on_the_error_summary(visit, target):
    target.prepare()
    visit.open(target.path)
    tab_to(visit.page, is_submit)
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")
    summary = focused(visit.page)
    assert summary["id"] == "error-summary"
    assert summary["visible"]
    assert "There is a problem" in summary["label"]
    # Its first link leads the keyboard to the first field in error.
    visit.page.keyboard.press("Tab")
    link = visit.page.evaluate("document.activeElement.getAttribute('href')")
    assert link.startswith("#id_")
    visit.page.keyboard.press("Enter")
    assert f"#{focused(visit.page)['id']}" == link


def test_the_summary_takes_the_focus_without_javascript(browser, live_server, committed_db):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    target = FORM_TARGETS[0]
    page.goto(live_server.url + target.path)
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    context.close()
