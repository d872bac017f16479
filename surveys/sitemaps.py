from roochi_site.sitemaps import CanonicalSitemap, ViewSitemap
from surveys.models import Survey


class SurveyListSitemap(ViewSitemap):
    names = ("surveys:list",)


class SurveySitemap(CanonicalSitemap):
    """The surveys and contests open today."""

    def items(self):
        return Survey.objects.open_now().order_by("pk")
