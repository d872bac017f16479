from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.models import PolicyVersion
from tests.privacy.policy.factories import draft_from, published

# A new text for one section of version 1, so a comparison has something to show.
COOKIES_V2 = (
    "A cookie is a piece of data stored on a user's computer. We set no cookie on "
    "our public pages at all; only staff signing in to our admin get one."
)


@pytest.fixture
def version_1() -> PolicyVersion:
    return PolicyVersion.objects.get(number=1)


@pytest.fixture
def draft_2(version_1) -> PolicyVersion:
    return draft_from(
        version_1,
        replace={"Cookies": COOKIES_V2},
        change_summary="The cookies section now says the public site sets no cookie.",
    )


@pytest.fixture
def version_2_since(draft_2):
    """Version 2, taken effect ``days`` ago."""

    def make(days: float) -> PolicyVersion:
        return published(draft_2, effective_at=timezone.now() - timedelta(days=days))

    return make

