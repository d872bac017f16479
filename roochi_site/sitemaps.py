from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class CanonicalSitemap(Sitemap):
    """Addresses under SITE_URL, whatever Host the request came with."""

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ViewSitemap(CanonicalSitemap):
    """An app's public pages that are views, not rows: their URL names in `names`."""

    names: tuple[str, ...] = ()

    def items(self):
        return list(self.names)

    def location(self, item):
        return reverse(item)
