from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from inquiries.sitemaps import InquirySitemap
from pages.sitemaps import PageSitemap, PagesViewSitemap
from privacy.sitemaps import PrivacySitemap

# Each app ships its own sitemap; the pages' rows first, as search engines read them.
sitemaps = {"pages": PageSitemap, "pages-views": PagesViewSitemap, "privacy": PrivacySitemap,
            "inquiries": InquirySitemap}

# Django's own 500 view renders without context: ours adds the contact details.
handler500 = "pages.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("privacy/", include("privacy.urls")),
    path("newsletter/", include("privacy.newsletter_urls")),
    path("", include("inquiries.urls")),
    # Last: pages answers any other published page by its slug.
    path("", include("pages.urls")),
]
