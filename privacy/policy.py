"""The policy version in force, as every page and form sees it.

The version in force is looked up once per process and kept until the earliest of: the
next scheduled version's effective date (so a version scheduled for Monday takes over
by itself), a publication in this process, or POLICY_CACHE_SECONDS (a setting) after
the lookup. The last bound is how a publication made in another process (the admin's)
reaches this one: within POLICY_CACHE_SECONDS, with no query on the pages in between.
A form posted with a newer version than this process knows asks the database at once
(privacy/forms.py).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from privacy.models import PolicyVersion


@dataclass(frozen=True)
class PolicyInForce:
    """What one lookup found, and for which span of time it holds."""

    current: PolicyVersion | None
    # The version the current one replaced, for the comparison link of the notice.
    previous: PolicyVersion | None
    # The soonest version published to take effect later, announced ahead (P9).
    upcoming: PolicyVersion | None
    # The highest published number: a version scheduled after the upcoming one shows in
    # the archive too.
    newest_number: int
    looked_up_at: datetime
    valid_until: datetime

    def holds_at(self, at: datetime) -> bool:
        return self.looked_up_at <= at < self.valid_until


@dataclass(frozen=True)
class PolicyChange:
    """A new version took effect recently: visitors are told (P9)."""

    version: PolicyVersion
    previous: PolicyVersion
    shown_until: datetime

    @property
    def comparison_url(self) -> str:
        return reverse(
            "privacy:compare", kwargs={"old": self.previous.number, "new": self.version.number}
        )


_in_force: PolicyInForce | None = None


def _look_up(at: datetime) -> PolicyInForce:
    # Every published version in one query: there are a handful, and the next
    # scheduled one bounds how long this answer holds.
    published = list(PolicyVersion.objects.published().newest_first())
    in_force = [version for version in published if version.effective_at <= at]
    current = in_force[0] if in_force else None
    previous = None
    if current is not None:
        previous = next(
            (version for version in in_force if version.effective_at < current.effective_at),
            None,
        )
        # The privacy page shows the sections; they are kept with the version.
        prefetch_related_objects([current], "sections")
    soonest = min(
        (version.effective_at for version in published if version.effective_at > at),
        default=None,
    )
    # Of versions sharing the soonest date, the first here has the highest number: it rules.
    upcoming = next((version for version in published if version.effective_at == soonest), None)
    bound = at + timedelta(seconds=settings.POLICY_CACHE_SECONDS)
    return PolicyInForce(
        current=current,
        previous=previous,
        upcoming=upcoming,
        newest_number=max((version.number for version in published), default=0),
        looked_up_at=at,
        valid_until=bound if soonest is None else min(soonest, bound),
    )


def policy_in_force(*, at: datetime | None = None, refresh: bool = False) -> PolicyInForce:
    """The version in force at ``at`` (default now), from this process's cache when it
    still holds then."""
    global _in_force  # noqa: PLW0603 -- the one per-process cache, replaced whole.
    at = at or timezone.now()
    known = _in_force
    if refresh or known is None or not known.holds_at(at):
        known = _in_force = _look_up(at)
    return known


def current_version(*, at: datetime | None = None, refresh: bool = False) -> PolicyVersion | None:
    """The version in force now (P9). Every template and form asks here."""
    return policy_in_force(at=at, refresh=refresh).current


def recent_change(*, at: datetime | None = None) -> PolicyChange | None:
    """The version that replaced another less than POLICY_CHANGE_NOTICE_DAYS ago."""
    at = at or timezone.now()
    known = policy_in_force(at=at)
    if known.current is None or known.previous is None:
        return None
    shown_until = known.current.effective_at + timedelta(days=settings.POLICY_CHANGE_NOTICE_DAYS)
    if at >= shown_until:
        return None
    return PolicyChange(version=known.current, previous=known.previous, shown_until=shown_until)


def policy_page_state(*, at: datetime | None = None) -> str:
    """What public pages show of the policy (the footer, the notices, the policy pages),
    in a few characters: a page cached under one state is right while it holds. From
    the cached lookup, so it costs no query."""
    known = policy_in_force(at=at)
    current = known.current.number if known.current else 0
    upcoming = known.upcoming.number if known.upcoming else 0
    notice = int(recent_change(at=at) is not None)
    return f"{current}.{upcoming}.{known.newest_number}.{notice}"


def policy_cache_clear() -> None:
    """Forget the version in force; the next page looks it up again."""
    global _in_force  # noqa: PLW0603
    _in_force = None
