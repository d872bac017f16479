"""Policy versions for tests, made the way the database allows: drafted, then published."""

from datetime import datetime

import factory
from django.db.models import Max
from factory.django import DjangoModelFactory

from privacy.models import PolicySection, PolicyVersion


def next_number() -> int:
    return (PolicyVersion.objects.aggregate(number=Max("number"))["number"] or 0) + 1


class PolicyVersionFactory(DjangoModelFactory):
    """A draft."""

    class Meta:
        model = PolicyVersion

    number = factory.LazyFunction(next_number)
    title = "Roochi Traders Inc. Privacy Policy"
    change_summary = "We now say how long we keep an inquiry."


class PolicySectionFactory(DjangoModelFactory):
    class Meta:
        model = PolicySection

    version = factory.SubFactory(PolicyVersionFactory)
    position = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"Section {n + 1}")
    body = "We keep an inquiry for two years."


def draft_from(
    version: PolicyVersion, *, replace: dict[str, str] | None = None, **fields
) -> PolicyVersion:
    """A draft copying ``version``'s sections, with the bodies of the headings in
    ``replace`` rewritten."""
    replace = replace or {}
    draft = PolicyVersionFactory(title=version.title, **fields)
    PolicySection.objects.bulk_create(
        PolicySection(
            version=draft,
            position=section.position,
            heading=section.heading,
            body=replace.get(section.heading, section.body),
        )
        for section in version.sections.all()
    )
    return draft


def published(draft: PolicyVersion, *, effective_at: datetime) -> PolicyVersion:
    """Publish a draft as of ``effective_at`` (past dates included), as another process
    or an old publication would have: straight in the database, no service, no cache
    cleared. Tests of the service itself call policy_version_publish."""
    PolicyVersion.objects.filter(pk=draft.pk).update(
        effective_at=effective_at, published_at=effective_at
    )
    draft.refresh_from_db()
    return draft
