from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property

from roochi_site.staff_text import render_staff_markdown


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Page(models.Model):
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
        help_text="Markdown. Scripts, styles and unsafe HTML are removed when shown."
    )
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

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
