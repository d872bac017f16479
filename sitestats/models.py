"""P4, "Log Files": visit statistics in aggregate, never linked to a person.

`Count` holds everything that lasts: one number per day (per hour for page views) for
one value of one dimension. `VisitorDay` and `DaySalt` are the day's working state,
needed to count unique visitors, clicks per visit and exit pages without a cookie;
both are deleted when the day is closed (sitestats/services.py), so nothing can
recognise yesterday's visitor today.
"""

from django.db import models


class Count(models.Model):
    class Kind(models.TextChoices):
        VIEWS = "views", "Page views"
        PAGE = "page", "Pages"
        NOT_FOUND = "not_found", "Pages not found (404)"
        STATUS = "status", "Answers by status"
        REFERRER = "referrer", "Referring sites"
        BROWSER = "browser", "Browsers"
        PLATFORM = "platform", "Platforms"
        DEVICE = "device", "Devices"
        BOT = "bot", "Bots and crawlers"
        VISITORS = "visitors", "Unique visitors"
        CLICKS = "clicks", "Page views per visit"
        EXIT = "exit", "Exit pages"

    day = models.DateField(help_text="UTC.")
    # Only page views keep their hour (until rolled up, SITESTATS_HOURLY_DAYS); every
    # other dimension is counted per day.
    hour = models.PositiveSmallIntegerField(null=True, blank=True, help_text="UTC; empty: the day.")
    kind = models.CharField(max_length=20, choices=Kind)
    value = models.CharField(max_length=300, blank=True)
    count = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = "visit statistic"
        verbose_name_plural = "visit statistics"
        constraints = [
            models.UniqueConstraint(fields=["day", "hour", "kind", "value"],
                                    nulls_distinct=False, name="sitestats_count_unique"),
            models.CheckConstraint(condition=models.Q(hour__isnull=True) | models.Q(hour__lte=23),
                                   name="sitestats_count_hour_of_day"),
        ]
        indexes = [models.Index(fields=["kind", "day"])]

    def __str__(self):
        return f"{self.day} {self.get_kind_display()}"


class DaySalt(models.Model):
    """The random key of one UTC day's visitor hashes, shared by every process. Deleted
    with that day's visitor rows when the day is closed: after that, nobody, not even
    with the database and the site's secret key, can compute a visitor's hash again."""

    day = models.DateField(unique=True)
    key = models.BinaryField()

    def __str__(self):
        return str(self.day)


class VisitorDay(models.Model):
    """One visitor of one day, known only by a keyed hash of address and browser string
    under the day's salt: how many pages they saw, and the last one (the exit page).
    No trail, no address, no browser string; gone when the day is closed."""

    day = models.DateField()
    visitor = models.CharField(max_length=64)
    views = models.PositiveIntegerField()
    last_path = models.CharField(max_length=300)
    last_seen = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "visitor"],
                                               name="sitestats_visitorday_unique")]

    def __str__(self):
        return str(self.day)
