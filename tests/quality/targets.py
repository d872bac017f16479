"""What the quality gates check besides the pages they discover.

Public pages are found by discovery: every address in the sitemap, plus the error
pages (tests/quality/documents.py). Forms cannot be discovered, so each public form is
listed here once; every gate (accessibility, keyboard, valid HTML, page weight, query
budget) then covers it, its error state and its thank-you page.
"""

import itertools
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


# The admin's lists, each with a way to add `count` rows of its model, so that the
# query budget can prove a list's queries do not grow with its rows (no N+1). Every
# model registered in the admin must be here; tests/quality/test_query_budgets.py
# fails on one that is not.
_serial = itertools.count()


def pages_add(count: int) -> None:
    from pages.models import Page

    Page.objects.bulk_create(
        Page(slug=f"bulk-{n}", title=f"Page {n}", meta_description="A page.", body="Words.")
        for n in itertools.islice(_serial, count))


def policy_versions_add(count: int) -> None:
    from django.utils import timezone

    from privacy.models import PolicyVersion

    start = 1 + max(PolicyVersion.objects.values_list("number", flat=True), default=0)
    PolicyVersion.objects.bulk_create(
        PolicyVersion(number=start + n, title="Privacy Policy", effective_at=timezone.now(),
                      published_at=timezone.now())
        for n in range(count))


def users_add(count: int) -> None:
    from django.contrib.auth.models import User

    User.objects.bulk_create(User(username=f"bulk-{n}", email=f"bulk-{n}@roochi.com")
                             for n in itertools.islice(_serial, count))


def groups_add(count: int) -> None:
    from django.contrib.auth.models import Group

    Group.objects.bulk_create(Group(name=f"Group {n}") for n in itertools.islice(_serial, count))


def task_results_add(count: int) -> None:
    from tests.quality.tasks import admin_list_probe

    for _ in range(count):
        admin_list_probe.enqueue()


ADMIN_LISTS = {
    "pages.Page": pages_add,
    "privacy.PolicyVersion": policy_versions_add,
    "auth.User": users_add,
    "auth.Group": groups_add,
    "django_tasks_database.DBTaskResult": task_results_add,
}
