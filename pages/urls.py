from django.urls import path
from django.views.generic import TemplateView

from pages import views
from roochi_site.page_cache import public_page_cache

app_name = "pages"

urlpatterns = [
    path("", public_page_cache(views.page_view), {"slug": "home"}, name="home"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="pages/robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("media/images/<str:name>", views.image_file, name="image_file"),
    path(f"{views.CATEGORIES_PAGE}/", public_page_cache(views.page_view),
         {"slug": views.CATEGORIES_PAGE}, name="categories"),
    path(f"{views.CATEGORIES_PAGE}/<slug:slug>/", public_page_cache(views.category_view),
         name="category"),
    # Last: any other published page, by its slug.
    path("<slug:slug>/", public_page_cache(views.page_view), name="page"),
]
