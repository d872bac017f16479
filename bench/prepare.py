"""The benchmark's database: as full as a few years of use would make it.

Each dataset names the model it fills and how many rows it wants. A dataset whose
model is not on this branch yet is reported and left out; when the model lands, give
the dataset a `fill` function (bulk_create in batches) and the benchmark uses it.
Filling is idempotent: a second run only tops up.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

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
            # Drafted, given its sections, then published: the only order the database
            # accepts (privacy/0003).
            version = PolicyVersion.objects.create(
                number=number, title=first.title, change_summary=f"Changes of version {number}.",
                effective_at=effective)
            PolicySection.objects.bulk_create(
                PolicySection(version=version, position=section.position,
                              heading=section.heading, body=section.body)
                for section in sections)
            PolicyVersion.objects.filter(pk=version.pk).update(published_at=effective)


def inquiries_fill(present: int, wanted: int) -> None:
    """Requests from 10,000 people over the last two years, in both forms."""
    from inquiries.models import Inquiry, ReplyChannel, Status
    from privacy.policy import current_version
    from roochi_site.working_days import working_days_after

    version = current_version(refresh=True)
    now = timezone.now()
    forms = [("information", "products"), ("information", "prices"), ("support", "order"),
             ("support", "delivery")]
    for start in range(present, wanted, BATCH):
        rows = []
        for n in range(start, min(start + BATCH, wanted)):
            purpose, topic = forms[n % len(forms)]
            received = now - timedelta(minutes=7 * n)
            rows.append(Inquiry(
                purpose=purpose, policy_version=version, collected_at=received,
                reference=f"RT-B{n:05X}"[:9], submission_key=f"bench-{n:058d}",
                name=f"Person {n % 10_000}", email=f"person{n % 10_000}@example.com",
                phone="+13237225592", reply_by=ReplyChannel.EMAIL, topic=topic,
                message="What would 40 tonnes cost, delivered to Long Beach?",
                status=Status.CLOSED if n % 3 else Status.NEW,
                closed_at=received if n % 3 else None,
                first_response_due=working_days_after(received, 2)))
        Inquiry.objects.bulk_create(rows)


def people_fill(present: int, wanted: int) -> None:
    from privacy.models import Person
    from privacy.models.people import email_hash

    for start in range(present, wanted, BATCH):
        Person.objects.bulk_create(
            Person(email=f"person{n}@example.com", email_hash=email_hash(f"person{n}@example.com"))
            for n in range(start, min(start + BATCH, wanted)))


def statistics_fill(present: int, wanted: int) -> None:
    """A year of counts as a busy day makes them, one day after another going back
    from yesterday: hourly views for the last 30 days, then one count a day, and the
    day's pages, referrers, browsers, platforms, devices, bots, clicks and exits."""
    from itertools import islice

    from sitestats.models import Count

    Kind = Count.Kind  # noqa: N806 (the model's own name)
    per_day = [(Kind.VISITORS, ""), *((Kind.PAGE, f"/page-{n}/") for n in range(30)),
               *((Kind.REFERRER, f"site{n}.example") for n in range(15)),
               *((Kind.BROWSER, name) for name in ["Chrome", "Firefox", "Safari", "Edge"]),
               *((Kind.PLATFORM, name) for name in ["Windows", "Mac OS X", "iOS", "Android"]),
               *((Kind.DEVICE, name) for name in ["Desktop", "Mobile", "Tablet"]),
               *((Kind.BOT, name) for name in ["Googlebot", "bingbot"]),
               *((Kind.CLICKS, label) for label in ["1", "2", "3", "4", "5", "6-10"]),
               *((Kind.EXIT, f"/page-{n}/") for n in range(20))]
    yesterday = timezone.now().date() - timedelta(days=1)

    def rows():
        for day_number in range(10_000):
            day = yesterday - timedelta(days=day_number)
            hours = range(24) if day_number < 30 else [None]
            yield from (Count(day=day, hour=hour, kind=Kind.VIEWS, value="", count=40)
                        for hour in hours)
            yield from (Count(day=day, kind=kind, value=value, count=7)
                        for kind, value in per_day)

    # Topping up starts over from yesterday: rows already there are left as they are.
    Count.objects.bulk_create(islice(rows(), present, wanted), batch_size=BATCH,
                              ignore_conflicts=True)


def subscriptions_fill(present: int, wanted: int) -> None:
    """Confirmed newsletter subscriptions of the first people (people_fill)."""
    from privacy.models import NewsletterSource, NewsletterSubscription, Person
    from privacy.policy import current_version

    version, now = current_version(refresh=True), timezone.now()
    for start in range(present, wanted, BATCH):
        people = Person.objects.filter(
            email__in=[f"person{n}@example.com" for n in range(start, min(start + BATCH, wanted))])
        NewsletterSubscription.objects.bulk_create(
            NewsletterSubscription(
                email=person.email, source=NewsletterSource.NEWSLETTER_SIGNUP,
                wording="Send me the Roochi Traders newsletter.",
                status=NewsletterSubscription.Status.CONFIRMED, confirm_by=now,
                policy_version=version, collected_at=now, purpose="newsletter",
                person=person, confirmed_at=now)
            for person in people)


def datasets(scale: float) -> list[Dataset]:
    def rows(full: int) -> int:
        return max(1, round(full * scale))

    return [
        Dataset("privacy.PolicyVersion", max(2, rows(20)), policy_versions_fill),
        Dataset("inquiries.Inquiry", rows(100_000), inquiries_fill,
                "Information and Support requests, from 10,000 people"),
        Dataset("privacy.Person", rows(10_000), people_fill, "data subjects and their choices"),
        Dataset("sitestats.Count", rows(40_000), statistics_fill,
                "a year of aggregate visit statistics"),
        Dataset("privacy.NewsletterSubscription", rows(10_000), subscriptions_fill,
                "every person a confirmed newsletter subscriber"),
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
