import sys
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_safe

from pages.images import IMAGE_FILE_NAME
from pages.models import CONTENT_TYPES, Category, Page
from roochi_site.company import company
from roochi_site.middleware import DATABASE_UNAVAILABLE_ERRORS, database_unavailable_response

# The page whose own layout lists the product categories under its words.
CATEGORIES_PAGE = "what-we-trade"


def page_context(page: Page) -> dict:
    context = {"page": page, "object": page}
    if page.slug == CATEGORIES_PAGE:
        context["categories"] = Category.objects.published().select_related("image")
    return context


def page_response(request: HttpRequest, page: Page) -> TemplateResponse:
    """A page as the public sees it; the staff preview of a draft renders the same."""
    # A page with its own layout (the contact page) has a template named after it.
    return TemplateResponse(request, [f"pages/{page.slug}.html", "pages/page.html"],
                            page_context(page))


def category_response(request: HttpRequest, category: Category) -> TemplateResponse:
    return TemplateResponse(request, "pages/category.html",
                            {"category": category, "object": category})


@require_safe
def page_view(request: HttpRequest, slug: str) -> TemplateResponse:
    return page_response(request, get_object_or_404(Page.objects.published(), slug=slug))


@require_safe
def category_view(request: HttpRequest, slug: str) -> TemplateResponse:
    return category_response(
        request, get_object_or_404(Category.objects.published().select_related("image"),
                                   slug=slug))


IMAGE_CACHE_CONTROL = "public, max-age=31536000, immutable"


@require_safe
def image_file(request: HttpRequest, name: str) -> FileResponse:
    """An uploaded picture's rendition, from our own origin (P2). Its name is random and
    never reused (pages/images.py), so it may be cached for a year."""
    match = IMAGE_FILE_NAME.fullmatch(name)
    if match is None:
        raise Http404("No such picture.")
    try:
        file = default_storage.open(f"{settings.IMAGES_DIRECTORY}/{name}", "rb")
    except FileNotFoundError:
        raise Http404("No such picture.") from None
    response = FileResponse(file, content_type=CONTENT_TYPES[match["extension"]])
    response["Cache-Control"] = IMAGE_CACHE_CONTROL
    return response


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
