"""The policy version in force, as every page and form sees it."""

from privacy.models import PolicyVersion


def current_version() -> PolicyVersion | None:
    """The version in force now (P9). Every template and form asks here."""
    return PolicyVersion.objects.current()
