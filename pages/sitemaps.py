from pages.models import Category, Page
from roochi_site.sitemaps import CanonicalSitemap, ViewSitemap


class PageSitemap(CanonicalSitemap):
    def items(self):
        return Page.objects.published()

    def lastmod(self, page):
        return page.updated_at


class CategorySitemap(PageSitemap):
    def items(self):
        return Category.objects.published()


class PagesViewSitemap(ViewSitemap):
    names = ("pages:site_map", "pages:search")
