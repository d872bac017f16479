"""Publishing a privacy policy version, and drafting the next one from an existing one."""

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from communications.mailings import mailing_start
from privacy.models import PolicySection, PolicyVersion, PublishedPolicyError
from privacy.policy import policy_cache_clear
from privacy.services.policy_choices import POLICY_CHANGE_KIND

# "Publish now" is sent from a form a moment before the service reads the clock.
PUBLISH_CLOCK_TOLERANCE = timedelta(minutes=1)


@transaction.atomic
def policy_version_publish(
    *, version: PolicyVersion, effective_at: datetime, published_by: AbstractBaseUser
) -> PolicyVersion:
    """Publish a draft, to take effect at ``effective_at`` (now or later); a material
    change or a new use of information starts its mail with a choice (P9).

    Refused, with errors keyed by field, when the draft has no change summary or no
    section, when the date is past, or when the version would not come after every
    published one in number and effective date. The database checks the same order
    and refuses any later change (migration 0003).
    """
    now = timezone.now()
    draft = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if draft.is_published:
        raise ValidationError(str(PublishedPolicyError(draft.number)), code="published")

    errors: dict[str, list[ValidationError]] = {}

    def refuse(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if not draft.change_summary.strip():
        refuse(
            "change_summary",
            "Say what changed since the previous version before publishing: the archive "
            "shows it to everyone.",
            "no_change_summary",
        )
    if not draft.sections.exists():
        refuse(NON_FIELD_ERRORS, "A version needs at least one section.", "no_sections")
    if effective_at < now - PUBLISH_CLOCK_TOLERANCE:
        refuse(
            "effective_at",
            "The effective date is in the past. A version takes effect now or later, "
            "never before it is published.",
            "effective_in_past",
        )
    latest = PolicyVersion.objects.published().aggregate(
        number=Max("number"), effective_at=Max("effective_at")
    )
    if latest["number"] is not None and draft.number <= latest["number"]:
        refuse(
            "number",
            f"Version {latest['number']} is already published: give this draft a higher "
            "number.",
            "number_not_newest",
        )
    if latest["effective_at"] is not None and effective_at < latest["effective_at"]:
        refuse(
            "effective_at",
            "A published version already takes effect later, on "
            f"{timezone.localtime(latest['effective_at']):%d %B %Y %H:%M}. Choose that date "
            "or a later one (the same date replaces it).",
            "effective_before_latest",
        )
    if errors:
        raise ValidationError(errors)

    # P9: a version that changes how information is used is mailed with a choice, from
    # its publication: people answer before it takes effect. Set in the publishing
    # update itself, the one change the triggers allow, so it happens once a version.
    change_mailing = (mailing_start(kind=POLICY_CHANGE_KIND) if draft.asks_a_choice
                      else None)
    PolicyVersion.objects.drafts().filter(pk=draft.pk).update(
        effective_at=max(effective_at, now), published_at=now, published_by=published_by,
        change_mailing=change_mailing,
    )
    draft.refresh_from_db()
    # This process shows the new version at once; the others within POLICY_CACHE_SECONDS.
    transaction.on_commit(policy_cache_clear)
    return draft


@transaction.atomic
def policy_version_draft_from(*, version: PolicyVersion) -> PolicyVersion:
    """A new draft, numbered after every version, with a copy of ``version``'s title and
    sections to edit: staff change what changes instead of typing the policy again."""
    latest = PolicyVersion.objects.aggregate(number=Max("number"))["number"] or 0
    draft = PolicyVersion.objects.create(number=latest + 1, title=version.title)
    PolicySection.objects.bulk_create(
        PolicySection(
            version=draft, position=section.position, heading=section.heading, body=section.body
        )
        for section in version.sections.all()
    )
    return draft
