from pages.models import Page
from roochi_site.sitemaps import CanonicalSitemap, ViewSitemap


class PageSitemap(CanonicalSitemap):
    def items(self):
        return Page.objects.published()

    def lastmod(self, page):
        return page.updated_at


class PagesViewSitemap(ViewSitemap):
    names = ("pages:site_map", "pages:search")
