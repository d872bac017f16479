from pages.models import Category, Page
from roochi_site.sitemaps import CanonicalSitemap


class PageSitemap(CanonicalSitemap):
    def items(self):
        return Page.objects.published()

    def lastmod(self, page):
        return page.updated_at


class CategorySitemap(PageSitemap):
    def items(self):
        return Category.objects.published()
