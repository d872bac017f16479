from pages.models import Page
from roochi_site.sitemaps import CanonicalSitemap


class PageSitemap(CanonicalSitemap):
    def items(self):
        return Page.objects.published()

    def lastmod(self, page):
        return page.updated_at
