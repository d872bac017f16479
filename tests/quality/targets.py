"""What the quality gates check besides the pages they discover.

Public pages are found by discovery: every address in the sitemap, plus the error
pages (tests/quality/documents.py). Forms cannot be discovered, so each public form is
listed here once; every gate (accessibility, keyboard, valid HTML, page weight, query
budget) then covers it, its error state and its thank-you page.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FormTarget:
    """A public form.

    path: where the form is shown (GET) and sent (POST).
    valid: a submission that is accepted, field name -> value as typed or chosen (the
      value of an option, radio button or ticked checkbox).
    settings: overrides that let a test send it at once (a minimum fill time).
    weigh: whether the page-weight budget applies to the form page.

    The error state is what an empty same-origin POST shows: the form's hidden fields
    (a fresh form_token among them) and nothing else. The thank-you page is where a
    valid submission ends, after redirects, when it is an HTML page.
    """

    path: str
    valid: dict[str, str]
    settings: dict[str, object] = field(default_factory=dict)
    weigh: bool = False


FORM_TARGETS = [
    # The demo form of tests/roochi_site/urls.py (the quality tests use that URLconf).
    FormTarget(path="/demo-form/", valid={
        "message": "Hello from the keyboard", "reply_by": "phone", "topic": "orders",
        "newsletter": "on"}),
]
