from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from pages.rendering import render_staff_markdown


class PolicyVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def in_force(self, at=None):
        """Published versions whose effective date has passed, newest first."""
        return self.published().filter(effective_at__lte=at or timezone.now()).order_by(
            "-effective_at", "-number"
        )

    def current(self, at=None):
        """The version in force now: the newest published one already effective."""
        return self.in_force(at).first()


class PolicyVersion(models.Model):
    """One version of the privacy policy. Once published it never changes (P9)."""

    number = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    change_summary = models.TextField(
        blank=True, help_text="What changed since the previous version, in plain words."
    )
    effective_at = models.DateTimeField(
        null=True, blank=True, help_text="When this version takes over. Now or later."
    )
    is_material = models.BooleanField(
        default=False,
        help_text="The change affects how data already collected is used (P9: those "
        "who opted in to communications are emailed, with a choice).",
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True)
                | models.Q(effective_at__isnull=False),
                name="published_policy_has_effective_date",
            ),
        ]

    def __str__(self):
        return f"Version {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("privacy:version", kwargs={"number": self.number})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class PolicySection(models.Model):
    """A heading and its text, in order, within one policy version."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown. Unsafe HTML is removed when shown.")

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="one_section_per_position"
            ),
        ]

    def __str__(self):
        return self.heading

    @cached_property
    def body_html(self):
        return render_staff_markdown(self.body)


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
