from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

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


sitemaps = {"pages": PageSitemap}
