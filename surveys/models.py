"""Surveys and contests (P12): what staff ask, what visitors answer, and the draw."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from communications.models import OutboundMail
from privacy.models import CollectedSubmission, Disclosure, Recipient
from roochi_site.staff_text import render_staff_markdown

# The policy's own words for what survey answers are for ("Surveys & Contests").
DEFAULT_USE = "Monitoring or improving the use and satisfaction of this site."
RATING_SCALE = range(1, 6)


class Kind(models.TextChoices):
    SURVEY = "survey", "Survey"
    CONTEST = "contest", "Contest"


class Asked(models.TextChoices):
    """Whether a contact field is on the form, and whether it must be filled in."""

    NO = "no", "Not asked"
    OPTIONAL = "optional", "Optional"
    REQUIRED = "required", "Required"


# The contact fields a survey may ask for, in the order the form shows them.
CONTACT_FIELDS = ("name", "email", "shipping_address", "zip_code")


class SurveyQuerySet(models.QuerySet):
    def open_on(self, day):
        """Open all day long from the opening date to the closing date, both included,
        in the site's time zone: a date boundary is the same for every visitor, so the
        public page cache needs no more than the date in its key."""
        return self.filter(opens_on__lte=day, closes_on__gte=day)

    def open_now(self):
        return self.open_on(timezone.localdate())

    def announced(self):
        """Open or closed, never one that has not opened yet: a visitor learns of a
        survey when it opens."""
        return self.filter(opens_on__lte=timezone.localdate())


class Survey(models.Model):
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.SURVEY)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True,
                            help_text="The last part of its address: /surveys/ followed by this.")
    introduction = models.TextField(
        help_text="Shown above the questions. Markdown: paragraphs, lists, links.")
    use_of_answers = models.TextField(
        "what we do with the answers", default=DEFAULT_USE,
        help_text="Shown at the top of the form and in its notice (P12). The policy "
        "allows its own words, or another purpose explained here.")
    opens_on = models.DateField(help_text="Open from the start of this day (site time zone).")
    closes_on = models.DateField(help_text="Open until the end of this day.")
    name = models.CharField("asks for a name", max_length=10, choices=Asked, default=Asked.NO)
    email = models.CharField("asks for an email address", max_length=10, choices=Asked,
                             default=Asked.OPTIONAL)
    shipping_address = models.CharField("asks for a shipping address", max_length=10,
                                        choices=Asked, default=Asked.NO)
    zip_code = models.CharField("asks for a zip code", max_length=10, choices=Asked,
                                default=Asked.NO)
    rules = models.TextField(blank=True, help_text="A contest's rules (Markdown).")
    winners = models.PositiveSmallIntegerField("number of winners", default=0)
    intermediary = models.ForeignKey(
        Recipient, null=True, blank=True, on_delete=models.PROTECT, related_name="surveys",
        help_text="An outside party that runs or receives it. Entries are shared with it "
        "only when the person ticks the box that names it (P12).")

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "title"]
        permissions = [("export_survey", "Can export survey entries to CSV"),
                       ("draw_survey", "Can draw the winners of a contest")]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                   name="survey_closes_after_it_opens"),
            # One entry per person is checked by address, and winners are told by mail.
            models.CheckConstraint(
                condition=Q(kind=Kind.SURVEY, winners=0)
                | Q(kind=Kind.CONTEST, winners__gte=1, email=Asked.REQUIRED),
                name="survey_contest_has_winners_and_email"),
            # A disclosure is recorded for a person, found by their address (P10).
            models.CheckConstraint(
                condition=Q(intermediary__isnull=True) | Q(email=Asked.REQUIRED),
                name="survey_intermediary_needs_email"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:survey", args=[self.slug])

    def introduction_html(self):
        return render_staff_markdown(self.introduction)

    def rules_html(self):
        return render_staff_markdown(self.rules)

    @property
    def is_contest(self) -> bool:
        return self.kind == Kind.CONTEST

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())

    @property
    def has_closed(self) -> bool:
        return timezone.localdate() > self.closes_on

    def asked(self) -> dict[str, str]:
        """The contact fields the form shows, each "optional" or "required"."""
        return {name: getattr(self, name) for name in CONTACT_FIELDS
                if getattr(self, name) != Asked.NO}


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short-text", "Short text"
        LONG_TEXT = "long-text", "Long text"
        ONE_CHOICE = "one-choice", "One choice"
        SEVERAL_CHOICES = "several-choices", "Several choices"
        RATING = "rating", "A rating from 1 to 5"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind)
    text = models.CharField(max_length=300)
    required = models.BooleanField(default=False)
    choices = models.TextField(blank=True, help_text="For a choice question: one per line.")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    @property
    def has_choices(self) -> bool:
        return self.kind in {self.Kind.ONE_CHOICE, self.Kind.SEVERAL_CHOICES}

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def field_name(self) -> str:
        return f"question_{self.pk}"


class EntryQuerySet(models.QuerySet):
    def past_retention(self, today=None):
        """SURVEY_ENTRIES_KEPT_DAYS after their survey closed; a contest's winners
        CONTEST_WINNERS_KEPT_DAYS after it closed (the prize must reach them)."""
        today = today or timezone.localdate()
        entries_cutoff = today - timedelta(days=settings.SURVEY_ENTRIES_KEPT_DAYS)
        winners_cutoff = today - timedelta(days=settings.CONTEST_WINNERS_KEPT_DAYS)
        return self.filter(Q(won=False, survey__closes_on__lt=entries_cutoff)
                           | Q(won=True, survey__closes_on__lt=winners_cutoff))


class Entry(CollectedSubmission):
    """One person's answers to one survey or contest. `purpose` (CollectedSubmission)
    is the kind: a survey's answers are used as it says, a contest's also to draw."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="entries")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True, help_text="Stored in its canonical form.")
    shipping_address = models.TextField(blank=True)
    zip_code = models.CharField(max_length=12, blank=True)
    # P12: the separate, unticked choice that names the intermediary.
    share_with_intermediary = models.BooleanField(
        "agreed to share with the intermediary", default=False, editable=False)
    disclosure = models.OneToOneField(
        Disclosure, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False)
    won = models.BooleanField(default=False, editable=False)
    winner_mail = models.ForeignKey(
        OutboundMail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "entries"
        ordering = ["-collected_at"]
        constraints = [
            # One entry per person, by address: checked by the database, so two posts at
            # the same moment cannot both get in.
            models.UniqueConstraint(fields=["survey", "email"], condition=~Q(email=""),
                                    name="entry_one_per_address"),
            models.CheckConstraint(
                condition=Q(share_with_intermediary=False, disclosure__isnull=True)
                | Q(share_with_intermediary=True),
                name="entry_disclosed_only_with_consent"),
        ]
        indexes = [models.Index(fields=["email"])]

    def __str__(self):
        return f"Entry {self.pk}"


class Answer(models.Model):
    """One answer to one question: a text, a choice as it read when chosen, a rating.
    A question of several choices has one row per choice ticked."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.TextField()

    class Meta:
        ordering = ["question__position", "question", "pk"]

    def __str__(self):
        return f"Answer {self.pk}"


class Draw(models.Model):
    """A contest's draw, repeatable by anyone: `random.Random(seed)` picks `winners` of
    the eligible entries' ids in ascending order (surveys/services.py, winners_drawn).
    The ids stay after the winners' data is erased or purged, so the draw can still be
    checked, and say nothing about anyone."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="draw")
    seed = models.CharField(max_length=64)
    eligible_entry_ids = models.JSONField()
    winner_entry_ids = models.JSONField()
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    drawn_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Draw of {self.survey}"
