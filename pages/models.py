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
