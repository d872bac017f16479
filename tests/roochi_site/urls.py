"""The site's URLs plus a small public form, to prove the cookieless form protection
until the real forms exist, a view that fails, for the 500 page, one whose database
is away, for the 503 page, and a page with links to other sites, staff-written and in
a template, for the quality gates."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from roochi_site.forms import PublicFormMixin
from roochi_site.staff_text import render_staff_markdown


class DemoForm(PublicFormMixin, forms.Form):
    message = forms.CharField(max_length=200)
    # Optional controls of each kind, for the keyboard test of tests/quality.
    reply_by = forms.ChoiceField(
        choices=[("email", "Email"), ("phone", "Phone")], widget=forms.RadioSelect,
        required=False)
    topic = forms.ChoiceField(
        choices=[("", "Choose a topic"), ("products", "Products"), ("orders", "Orders")],
        required=False)
    newsletter = forms.BooleanField(required=False, label="Send me the newsletter")


PAGE = engines["django"].from_string(
    """{% extends "base.html" %}
    {% block title %}Demo form{% endblock title %}
    {% block content %}{% include "includes/form_errors.html" with form=form %}
    <h1>Demo form</h1>
    <form method="post" action="{{ request.path }}" novalidate>
    {% include "includes/form_fields.html" with form=form %}
    <button type="submit" class="btn btn-primary">Send</button></form>{% endblock content %}"""
)


THANKS = engines["django"].from_string(
    """{% extends "base.html" %}{% block title %}Thank you{% endblock title %}
    {% block content %}<h1>Thank you</h1><p>Received: {{ message }}</p>{% endblock content %}"""
)


LINKS = engines["django"].from_string(
    """{% extends "base.html" %}{% block title %}Links{% endblock title %}
    {% block content %}<h1>Links</h1>{{ staff_text }}
    <p>Our shipper: {% include "includes/external_link.html" with href="https://shipper.example/"
    text="Shipper Inc." %}</p>{% endblock content %}"""
)
LINKS_TEXT = ("We trade with [Acme Olive Oil](https://acme.example/) and "
              "[our own shipping page](/shipping-and-orders/).\n\nMore text.")


def demo_links(request):
    return HttpResponse(LINKS.render({"staff_text": render_staff_markdown(LINKS_TEXT)}, request))


def demo_form(request):
    form = DemoForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        return HttpResponse(THANKS.render({"message": form.cleaned_data["message"]}, request))
    return HttpResponse(PAGE.render({"form": form}, request), status=400 if form.is_bound else 200)


def broken(request):
    raise RuntimeError("a failure the visitor must not see")


def database_away(request):
    raise OperationalError('connection to server on socket "/nowhere/.s.PGSQL.5432" failed')


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("demo-form/", demo_form, name="demo_form"),
    path("demo-links/", demo_links),
    path("broken/", broken),
    path("forbidden/", forbidden),
    path("database-away/", database_away),
    path("", include("roochi_site.urls")),
]

handler500 = "pages.views.server_error"
