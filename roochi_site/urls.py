from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from inquiries.sitemaps import InquirySitemap
from pages.sitemaps import CategorySitemap, PageSitemap, PagesViewSitemap
from privacy.sitemaps import PrivacySitemap
from roochi_site.health import health
from roochi_site.passkeys import PASSKEYS_PATH, passkey_urls
from surveys.sitemaps import SurveyListSitemap, SurveySitemap

# Each app ships its own sitemap; the pages' rows first, as search engines read them.
sitemaps = {"pages": PageSitemap, "categories": CategorySitemap,
            "pages-views": PagesViewSitemap, "privacy": PrivacySitemap,
            "inquiries": InquirySitemap, "survey-list": SurveyListSitemap,
            "surveys": SurveySitemap}

# Django's own 500 view renders without context: ours adds the contact details.
handler500 = "pages.views.server_error"

urlpatterns = [
    # Under the admin path, where the staff session cookie goes (roochi_site/passkeys.py).
    path("admin/" + PASSKEYS_PATH, include(passkey_urls)),
    path("admin/", admin.site.urls),
    # The load balancer's (roochi_site/health.py); before the pages' slugs.
    path("health/", health, name="health"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("privacy/", include("privacy.urls")),
    path("newsletter/", include("privacy.newsletter_urls")),
    path("", include("inquiries.urls")),
    path("surveys/", include("surveys.urls")),
    # Last: pages answers any other published page by its slug.
    path("", include("pages.urls")),
]
