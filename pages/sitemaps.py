from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from pages.models import Page


class CanonicalSitemap(Sitemap):
    """Addresses under SITE_URL, whatever Host the request came with."""

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PageSitemap(CanonicalSitemap):
    def items(self):
        return Page.objects.published()

    def lastmod(self, page):
        return page.updated_at


class StaticViewSitemap(CanonicalSitemap):
    """Public pages that are views, not rows. Apps add their URL names here."""

    def items(self):
        return [
            "privacy:policy",
            "privacy:archive",
            "privacy:request_new",
            "privacy:recipients",
            "inquiries:information",
            "inquiries:support",
        ]

    def location(self, item):
        return reverse(item)


sitemaps = {"pages": PageSitemap, "views": StaticViewSitemap}
