"""The benchmark's database: as full as a few years of use would make it.

Each dataset names the model it fills and how many rows it wants. A dataset whose
model is not on this branch yet is reported and left out; when the model lands, give
the dataset a `fill` function (bulk_create in batches) and the benchmark uses it.
Filling is idempotent: a second run only tops up.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils import timezone

BATCH = 5_000


@dataclass(frozen=True)
class Dataset:
    label: str
    wanted: int
    fill: Callable[[int, int], None] | None  # (rows present, rows wanted)
    note: str = ""


def policy_versions_fill(present: int, wanted: int) -> None:
    """Versions after the first, spread between it and now, each with version 1's
    sections (so the policy page is its real size), the last one in force."""
    PolicyVersion = apps.get_model("privacy", "PolicyVersion")
    PolicySection = apps.get_model("privacy", "PolicySection")
    first = PolicyVersion.objects.get(number=1)
    sections = list(first.sections.all())
    span = timezone.now() - first.effective_at
    for number in range(present + 1, wanted + 1):
        effective = first.effective_at + span * number / (wanted + 1)
        with transaction.atomic():
            version = PolicyVersion.objects.create(
                number=number, title=first.title, change_summary=f"Changes of version {number}.",
                effective_at=effective, published_at=effective)
            PolicySection.objects.bulk_create(
                PolicySection(version=version, position=section.position,
                              heading=section.heading, body=section.body)
                for section in sections)


def datasets(scale: float) -> list[Dataset]:
    def rows(full: int) -> int:
        return max(1, round(full * scale))

    return [
        Dataset("privacy.PolicyVersion", max(2, rows(20)), policy_versions_fill),
        Dataset("inquiries.Inquiry", rows(100_000), None,
                "Information and Support requests, from 10,000 people"),
        Dataset("privacy.Person", rows(10_000), None, "data subjects and their choices"),
        Dataset("sitestats.DailyVisits", rows(365), None, "a year of aggregate visit statistics"),
    ]


def data_prepare(*, scale: float) -> list[str]:
    """Fill what exists; return one line per dataset saying what was done."""
    report = []
    for dataset in datasets(scale):
        try:
            model = apps.get_model(dataset.label)
        except LookupError:
            report.append(f"{dataset.label}: not on this branch, left out ({dataset.note})")
            continue
        present = model.objects.count()
        if dataset.fill is None:
            report.append(f"{dataset.label}: {present} rows; NO FILLER yet, wanted "
                          f"{dataset.wanted} (add one in bench/prepare.py)")
            continue
        if present < dataset.wanted:
            dataset.fill(present, dataset.wanted)
        report.append(f"{dataset.label}: {model.objects.count()} rows (wanted {dataset.wanted})")
    return report
