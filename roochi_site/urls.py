from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from pages.sitemaps import sitemaps

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("privacy/", include("privacy.urls")),
    path("", include("inquiries.urls")),
    # Last: pages answers any other published page by its slug.
    path("", include("pages.urls")),
]
