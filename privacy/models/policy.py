from enum import StrEnum

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from roochi_site.staff_text import render_staff_markdown


class PublishedPolicyError(Exception):
    """A published policy version, or one of its sections, was asked to change (P9).

    The database refuses the same with its triggers (migration 0003); this error says
    it before the query is sent, in words staff can act on.
    """

    message = (
        "Version {number} is published: its text, dates and sections can never change "
        "or be deleted. Draft a new version instead."
    )

    def __init__(self, number: int | None = None):
        super().__init__(self.message.format(number=number if number is not None else "?"))


class PolicyState(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"  # published, to take effect later
    CURRENT = "current"  # in force
    REPLACED = "replaced"  # was in force; a newer version took over


class PolicyVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def drafts(self):
        return self.filter(published_at__isnull=True)

    def newest_first(self):
        """Newest by effective date, then number: a version published to replace one
        still scheduled takes the same effective date and wins by its higher number."""
        return self.order_by("-effective_at", "-number")

    def update(self, **kwargs):
        # Publishing is an update of drafts only; nothing else may touch a published row.
        if published := self.published().first():
            raise PublishedPolicyError(published.number)
        return super().update(**kwargs)

    def delete(self):
        if published := self.published().first():
            raise PublishedPolicyError(published.number)
        return super().delete()


class PolicyVersion(models.Model):
    """One version of the privacy policy. Once published it never changes (P9)."""

    number = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    change_summary = models.TextField(
        blank=True,
        help_text="What changed since the previous version, in plain words. Shown in the "
        "archive; required to publish.",
    )
    staff_notes = models.TextField(
        "notes for staff",
        blank=True,
        help_text="Why each change was made, for the staff who review and publish this "
        "version. Never shown to the public.",
    )
    effective_at = models.DateTimeField(
        "effective date",
        null=True,
        blank=True,
        help_text="When this version takes over. Set when publishing.",
    )
    is_material = models.BooleanField(
        "material change",
        default=False,
        help_text="The change affects how data already collected is used. Shown in the "
        "archive. Publishing it mails everyone who opted to receive communications what "
        "changed, with a choice to accept or decline (P9).",
    )
    is_new_use = models.BooleanField(
        "new use of information",
        default=False,
        help_text="This version uses information in a way the version it was collected "
        "under did not state. Publishing it mails everyone who opted to receive "
        "communications, with a choice to accept or decline; whoever declines stays "
        "governed by the version their data was collected under (P9).",
    )
    # P9: the mail with a choice, started when the version is published (in the same
    # update as published_at, the one change the triggers allow): once per version.
    change_mailing = models.OneToOneField(
        "communications.Mailing",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_version",
        editable=False,
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        # Publishing is final (P9): a role of its own, apart from editing drafts (P7).
        permissions = [("publish_policyversion", "Can publish a privacy policy version")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True)
                | models.Q(effective_at__isnull=False),
                name="published_policy_has_effective_date",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | ~models.Q(change_summary=""),
                name="published_policy_has_change_summary",
            ),
            # A version never takes effect before it was published: nobody can have
            # been shown it earlier (P3, P9).
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True)
                | models.Q(effective_at__gte=models.F("published_at")),
                name="published_policy_effective_after_publication",
            ),
        ]

    def __str__(self):
        state = "" if self.is_published else " (draft)"
        return f"Version {self.number}: {self.title}{state}"

    def save(self, *args, **kwargs):
        # The stored row, not this instance, decides: an instance loaded as a draft may
        # have been published since. The database triggers are the last word.
        if self.pk and PolicyVersion.objects.published().filter(pk=self.pk).exists():
            raise PublishedPolicyError(self.number)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("privacy:version", kwargs={"number": self.number})

    def delete(self, *args, **kwargs):
        if self.pk and PolicyVersion.objects.published().filter(pk=self.pk).exists():
            raise PublishedPolicyError(self.number)
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def asks_a_choice(self) -> bool:
        """P9: publishing it mails those who opted to receive communications a choice."""
        return self.is_material or self.is_new_use

    def state(self, *, current: "PolicyVersion | None", at=None) -> "PolicyState":
        """Where this version stands, given the version in force (privacy.policy)."""
        if not self.is_published:
            return PolicyState.DRAFT
        if current is not None and self.pk == current.pk:
            return PolicyState.CURRENT
        if self.effective_at > (at or timezone.now()):
            return PolicyState.SCHEDULED
        return PolicyState.REPLACED


class PolicySectionQuerySet(models.QuerySet):
    def of_published_versions(self):
        return self.filter(version__published_at__isnull=False)

    def update(self, **kwargs):
        if section := self.of_published_versions().select_related("version").first():
            raise PublishedPolicyError(section.version.number)
        return super().update(**kwargs)

    def delete(self):
        if section := self.of_published_versions().select_related("version").first():
            raise PublishedPolicyError(section.version.number)
        return super().delete()


class PolicySection(models.Model):
    """A heading and its text, in order, within one policy version."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown. Unsafe HTML is removed when shown.")

    objects = PolicySectionQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="one_section_per_position"
            ),
        ]

    def __str__(self):
        return self.heading

    def save(self, *args, **kwargs):
        self._refuse_if_published()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_published()
        return super().delete(*args, **kwargs)

    def _refuse_if_published(self):
        versions = PolicyVersion.objects.published().filter(pk=self.version_id)
        if self.pk:
            # Moving a section out of a published version changes that version too.
            stored = PolicySection.objects.filter(pk=self.pk).values("version_id")
            versions = PolicyVersion.objects.published().filter(
                models.Q(pk=self.version_id) | models.Q(pk__in=stored)
            )
        if published := versions.first():
            raise PublishedPolicyError(published.number)

    @cached_property
    def body_html(self):
        return render_staff_markdown(self.body)

    @property
    def anchor(self) -> str:
        """The fragment the table of contents links to; stable for a published version."""
        return f"section-{self.position}"


class CollectedSubmission(models.Model):
    """P3, P9: what every model storing a visitor's submission records.

    The policy version the person was shown (a version in use can never be deleted),
    when the submission was made, and for which purpose (which form). Each optional
    choice the person made is a field of the concrete model, unticked by default.
    """

    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="+", editable=False
    )
    collected_at = models.DateTimeField(default=timezone.now, editable=False)
    purpose = models.CharField(max_length=40, editable=False)

    class Meta:
        abstract = True
