"""Function views behind the public page cache, for tests/pages/test_page_cache.py."""

from django import forms
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from privacy.policy import current_version
from roochi_site.forms import PublicFormMixin
from roochi_site.page_cache import public_page_cache

renders = []

PAGE = engines["django"].from_string(
    "<p>Policy {{ current_policy.number }}, render {{ count }}</p>"
    "{% if with_nonce %}<p>{{ csp_nonce }}</p>{% endif %}")


def page(request, with_nonce=False):
    renders.append(request.path)
    return HttpResponse(PAGE.render(
        {"current_policy": current_version(), "count": len(renders), "with_nonce": with_nonce},
        request))


class TokenForm(PublicFormMixin, forms.Form):
    message = forms.CharField()


def form_page(request):
    renders.append(request.path)
    return HttpResponse(f"<form>{TokenForm().as_div()}</form>")


urlpatterns = [
    path("cached-form/", public_page_cache(form_page)),
    path("cached/", public_page_cache(page)),
    path("cached-with-nonce/", public_page_cache(page), {"with_nonce": True}),
    path("", include("roochi_site.urls")),
]

handler500 = "pages.views.server_error"
