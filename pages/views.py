import sys
from datetime import timedelta

from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.views.generic import DetailView

from pages.forms import SearchForm
from pages.models import Page
from pages.search import site_search
from roochi_site.company import company
from roochi_site.middleware import DATABASE_UNAVAILABLE_ERRORS, database_unavailable_response


class PageView(DetailView):
    queryset = Page.objects.published()

    def get_template_names(self):
        # A page with its own layout (the contact page) has a template named after it.
        return [f"pages/{self.object.slug}.html", "pages/page.html"]


def site_map(request):
    """The site map for people (the XML one is for search engines): every published
    page, then the forms and the privacy pages, which are views rather than rows."""
    return render(request, "pages/site_map.html", {"pages": Page.objects.published()})


def search(request):
    """Not in the page cache: the answer depends on the query string, which the cache's
    key leaves out on purpose (a key per query would let anyone fill the cache)."""
    form = SearchForm(request.GET)
    words = form.cleaned_data["q"].strip() if form.is_valid() else ""
    return render(
        request,
        "pages/search.html",
        {"form": form, "words": words, "results": site_search(words) if words else None},
        status=200 if form.is_valid() else 400,
    )


def security_txt(request):
    """RFC 9116: who to tell about a vulnerability. Expires is required and must be
    less than a year ahead, so it is computed rather than written by hand."""
    expires = (timezone.now() + timedelta(days=180)).replace(microsecond=0)
    return render(
        request,
        "pages/security.txt",
        {"expires": expires.isoformat().replace("+00:00", "Z")},
        content_type="text/plain; charset=utf-8",
    )


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says (a plain-text response has
    no icon link); send them to the icon under its current hashed name."""
    return redirect(static("site/favicon.svg"))


def server_error(request):
    """Django's own 500 view renders without context; this one adds only the contact
    details, which need no database (it may be the database that failed). When it is
    the database that is away (an error raised outside a view, which
    DatabaseUnavailableMiddleware does not see), it says to try again in a moment."""
    if isinstance(sys.exception(), DATABASE_UNAVAILABLE_ERRORS):
        return database_unavailable_response()
    return HttpResponseServerError(render_to_string("500.html", {"company": company()}))


def csrf_failure(request, reason=""):
    """A cross-site or expired post: say what happened and what to do, set no cookie."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
