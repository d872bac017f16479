from django.urls import path
from django.views.generic import TemplateView

from pages import views

app_name = "pages"

urlpatterns = [
    path("", views.PageView.as_view(), {"slug": "home"}, name="home"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="pages/robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Last: any other published page, by its slug.
    path("<slug:slug>/", views.PageView.as_view(), name="page"),
]
