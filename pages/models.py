from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from roochi_site.staff_text import render_staff_markdown


class PublishableQuerySet(models.QuerySet):
    def published(self, at=None):
        """What the public sees now: published, and its publication time reached (a
        time in the future is a scheduled publication, like a policy version's
        effective date: nothing has to run for it to take effect)."""
        return self.filter(Q(publish_at__isnull=True) | Q(publish_at__lte=at or timezone.now()),
                           published=True)


class Publishable(models.Model):
    """A row staff write as a draft, preview, and publish now or at a chosen time."""

    published = models.BooleanField(
        default=True,
        help_text="Untick to keep it a draft: only staff see it, through its preview.",
    )
    publish_at = models.DateTimeField(
        null=True, blank=True, verbose_name="publish at",
        help_text="Empty: public as soon as it is published. A later date and time (the "
        "site's time zone): public from then on, by itself.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.published and (self.publish_at is None or self.publish_at <= timezone.now())

    @property
    def state(self) -> str:
        if not self.published:
            return "Draft"
        if not self.is_public:
            return f"Scheduled for {timezone.localtime(self.publish_at):%d %B %Y, %H:%M}"
        return "Published"


EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
CONTENT_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpg": "image/jpeg",
                 "png": "image/png"}


class Image(models.Model):
    """A picture uploaded in the admin. Only re-encoded copies are stored, at a few
    widths and formats (pages/images.py): the file as uploaded, with its EXIF, GPS and
    camera serial, never reaches storage."""

    alt_text = models.CharField(
        max_length=250, blank=True, verbose_name="alternative text",
        help_text="What the picture shows, for people who cannot see it. Required unless "
        "the picture is decorative.",
    )
    decorative = models.BooleanField(
        default=False,
        help_text="Tick only if the picture adds nothing a reader would miss: screen "
        "readers then skip it.",
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    # [{"format": "avif" | "webp" | "jpeg" | "png", "width": int, "height": int,
    #   "name": storage name}, ...], smallest first within each format.
    renditions = models.JSONField(editable=False, default=list)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, editable=False,
                                    related_name="+")

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(decorative=True) | ~Q(alt_text=""),
                                   name="image_alt_text_or_decorative"),
        ]

    def __str__(self):
        return self.alt_text or f"Decorative picture {self.pk}"

    def clean(self):
        if not self.decorative and not self.alt_text.strip():
            raise ValidationError({"alt_text": ValidationError(
                "Describe what the picture shows, or tick “decorative” if it adds nothing "
                "a reader would miss.", code="alt_text_required")})

    @cached_property
    def picture(self) -> dict:
        """What templates/pages/includes/picture.html draws: a srcset per modern format,
        the fallback's as the <img>, whose width and height reserve its place."""
        by_format: dict[str, list[dict]] = {}
        for rendition in self.renditions:
            by_format.setdefault(rendition["format"], []).append(rendition)

        def srcset(renditions):
            return ", ".join(f"{default_storage.url(rendition['name'])} {rendition['width']}w"
                             for rendition in renditions)

        fallback = by_format.get("png") or by_format["jpeg"]
        return {
            "sources": [{"type": CONTENT_TYPES[EXTENSIONS[name]], "srcset": srcset(by_format[name])}
                        for name in ("avif", "webp") if name in by_format],
            "srcset": srcset(fallback),
            "src": default_storage.url(fallback[0]["name"]),
            "width": fallback[-1]["width"],
            "height": fallback[-1]["height"],
        }


class Page(Publishable):
    """A public page whose words staff edit in the admin; its layout is a template."""

    slug = models.SlugField(
        unique=True,
        help_text="The page's address: /slug/. The home page is 'home'.",
    )
    title = models.CharField(max_length=120)
    meta_description = models.CharField(
        max_length=160, help_text="Shown by search engines under the title; 160 characters."
    )
    body = models.TextField(
        help_text="Markdown. Scripts, styles and unsafe HTML are removed when shown; a link "
        "to another site says so, with the links notice."
    )
    image = models.ForeignKey(Image, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", help_text="Shown under the title.")

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.slug == "home":
            return reverse("pages:home")
        return reverse("pages:page", kwargs={"slug": self.slug})

    @cached_property
    def body_html(self):
        return render_staff_markdown(self.body)


class Category(Publishable):
    """A kind of goods we trade: listed on "What we trade", with a page of its own."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(unique=True, help_text="Its address: /what-we-trade/slug/.")
    summary = models.CharField(
        max_length=300, help_text="One or two sentences for the list of categories.")
    body = models.TextField(
        blank=True, help_text="Markdown, shown on the category's own page. A link to "
        "another site says so, with the links notice.")
    image = models.ForeignKey(Image, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first in the list.")

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("pages:category", kwargs={"slug": self.slug})

    @cached_property
    def body_html(self):
        return render_staff_markdown(self.body)


class Revision(models.Model):
    """One saved state of a page or a category: who saved it, when, and the values of
    its content fields, so staff see what changed and can go back (pages/revisions.py)."""

    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="revisions")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="revisions")
    class Status(models.TextChoices):
        # Put on the row itself: a row the public did not see (a draft, a scheduled
        # row), or any save made before live rows had drafts.
        SAVED = "saved", "Saved"
        # A change to a live row, kept apart until staff publish it: the row, which is
        # what the public reads, keeps its published values. At most one per row.
        DRAFT = "draft", "Draft"
        REPLACED = "replaced", "Draft, replaced by a later save"
        PUBLISHED = "published", "Draft, published"
        DISCARDED = "discarded", "Draft, discarded"

    number = models.PositiveIntegerField()
    values = models.JSONField()
    status = models.CharField(max_length=10, choices=Status, default=Status.SAVED)
    # A draft's publication: the time it goes (or went) live, who decided it and when.
    go_live_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    restored_from = models.ForeignKey("self", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(page__isnull=False, category__isnull=True)
                | Q(page__isnull=True, category__isnull=False),
                name="revision_of_one_page_or_category"),
            models.UniqueConstraint(fields=["page", "number"], name="revision_number_per_page"),
            models.UniqueConstraint(fields=["category", "number"],
                                    name="revision_number_per_category"),
            # Two pending drafts of one row would leave "the draft" undefined.
            models.UniqueConstraint(fields=["page"], condition=Q(status="draft"),
                                    name="one_draft_per_page"),
            models.UniqueConstraint(fields=["category"], condition=Q(status="draft"),
                                    name="one_draft_per_category"),
        ]

    def __str__(self):
        return f"Revision {self.number}"


class ContactDetails(models.Model):
    """The postal address and opening hours on the contact page: one row, edited by
    staff. Empty until staff fill them in: the site never invents an address, and an
    empty field is simply not shown (the policy offers contact "by telephone or postal
    mail", so staff should fill the address in before the policy points to it)."""

    # The table holds one row at most: this column is always true and unique.
    singleton = models.BooleanField(default=True, unique=True, editable=False)
    postal_address = models.TextField(
        blank=True,
        help_text="The company's postal address, one line per line, as it goes on an "
        "envelope. Shown on the contact page; nothing is shown while it is empty.",
    )
    opening_hours = models.TextField(
        blank=True,
        help_text="When staff answer the telephone and support requests, e.g. "
        "\"Monday to Friday, 8:00 to 17:00 Pacific time\". One line per line. Shown on "
        "the contact page; nothing is shown while it is empty.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "contact details"
        verbose_name_plural = "contact details"
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=True),
                                   name="one_contact_details_row"),
        ]

    def __str__(self):
        return "Contact details"

    @property
    def postal_address_lines(self) -> list[str]:
        return [line.strip() for line in self.postal_address.splitlines() if line.strip()]

    @property
    def opening_hours_lines(self) -> list[str]:
        return [line.strip() for line in self.opening_hours.splitlines() if line.strip()]
