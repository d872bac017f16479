"""The site's URLs plus a small form that collects personal data, the way every real
form does: PublicFormMixin, PolicyNoticeMixin and the one collection notice."""

from django import forms
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from privacy.forms import PolicyNoticeMixin
from roochi_site.forms import PublicFormMixin


class CallbackForm(PublicFormMixin, PolicyNoticeMixin, forms.Form):
    email = forms.EmailField()
    message = forms.CharField(widget=forms.Textarea)


PAGE = engines["django"].from_string(
    """{% extends "base.html" %}
    {% block title %}Ask for a call back{% endblock title %}
    {% block content %}<h1>Ask for a call back</h1>
    {% include "includes/form_errors.html" with form=form %}
    {% include "privacy/includes/collection_notice.html" with version=form.policy_version """
    """collects="Your email address and your message" purpose="To answer you" """
    """recipients="Our customer service staff" %}
    <form method="post" action="{{ request.path }}" novalidate>
    {% include "includes/form_fields.html" with form=form %}
    <button type="submit" class="btn btn-primary">Send</button></form>{% endblock content %}"""
)


def callback_form(request):
    form = CallbackForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        return HttpResponse(
            f"Recorded under version {form.policy_version.number}: {form.cleaned_data['email']}"
        )
    return HttpResponse(PAGE.render({"form": form}, request), status=400 if form.is_bound else 200)


urlpatterns = [
    path("callback/", callback_form),
    path("", include("roochi_site.urls")),
]

handler500 = "pages.views.server_error"
