"""The public side: the two forms, the thank-you page and the status page. No cookie,
no session (P1)."""

import functools

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from inquiries.forms import CATEGORY_SEPARATOR, FORMS, StatusLinkForm, topic_with_category
from inquiries.models import Form, Inquiry, ReplyChannel, Topic
from inquiries.services import (
    STATUS_FOR_CUSTOMER,
    StatusLinkExpiredError,
    inquiry_for_status_link,
    inquiry_replies_sent,
    inquiry_status_link_send,
    inquiry_submit,
)
from roochi_site.page_cache import public_page_cache
from roochi_site.product_categories import product_categories_published
from roochi_site.submission_limit import SubmissionLimitReachedError, client_address

THANKS_SALT = "inquiries.thanks"


def thanks_url(inquiry: Inquiry) -> str:
    """The thank-you page carries the reference in a signed URL: no cookie or session
    is needed to show it, and nobody can make the site show a reference it never gave."""
    signed = signing.dumps(
        {"reference": inquiry.reference, "form": inquiry.purpose, "reply_by": inquiry.reply_by},
        salt=THANKS_SALT, compress=True,
    )
    return reverse("inquiries:thanks", kwargs={"signed": signed})


def topic_requested(request: HttpRequest) -> str:
    """The topic the link that led here names: ``?topic=products``, or with a product
    category's slug (``&category=<slug>``, from that category's page). The form
    preselects it if it offers it, else the topic alone, else nothing."""
    topic, slug = request.GET.get("topic", ""), request.GET.get("category", "")
    return topic_with_category(slug) if topic == Topic.PRODUCTS and slug else topic


def topic_chosen(request: HttpRequest) -> str:
    """The cache's key for what the form preselects: one of a few known values, so an
    invented query string never fills the cache. A category the public cannot see now
    is no choice (its name never shows); anything else in the query string is ignored."""
    requested = topic_requested(request)
    if requested in Topic.values:
        return requested
    topic, _separator, slug = requested.partition(CATEGORY_SEPARATOR)
    if topic == Topic.PRODUCTS and any(
            category.slug == slug for category in product_categories_published()):
        return requested
    return topic if topic in Topic.values else ""


# The empty form, the same for everyone with the same topic but its token.
@functools.partial(public_page_cache, query_key=topic_chosen)
def inquiry_form(request: HttpRequest, purpose: str) -> HttpResponse:
    form_class = FORMS[purpose]
    form = (form_class(request.POST) if request.method == "POST"
            else form_class(topic=topic_requested(request)))
    if form.is_bound and form.is_valid():
        try:
            inquiry = inquiry_submit(
                **form.submission(), client_address=client_address(request)
            )
        except SubmissionLimitReachedError:
            form.refuse_over_limit()
        else:
            return redirect(thanks_url(inquiry))
    # A bot that filled the honeypot sees the same page as a person who tripped a rule:
    # the form again, with a message, nothing stored (see docs/decisions.md). Shown
    # again with errors, every public form answers 400 (docs/decisions.md).
    return render(request, f"inquiries/{purpose}_form.html", {
        "form": form,
        "form_kind": Form(purpose),
    }, status=400 if form.is_bound else 200)


def thanks(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        payload = signing.loads(signed, salt=THANKS_SALT)
    except signing.BadSignature:
        raise Http404("No such request") from None
    return render(request, "inquiries/thanks.html", {
        "reference": payload["reference"],
        "form_kind": Form(payload["form"]),
        "reply_by": ReplyChannel(payload["reply_by"]),
        "form_url": reverse(f"inquiries:{payload['form']}"),
        "working_days": settings.INQUIRY_FIRST_RESPONSE_WORKING_DAYS_BY_FORM[payload["form"]],
    })


@require_http_methods(["GET", "HEAD", "POST"])
@public_page_cache  # the empty form, the same for everyone but its token
def status_ask(request: HttpRequest) -> HttpResponse:
    form = StatusLinkForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            inquiry_status_link_send(reference=form.cleaned_data["reference"],
                                     email=form.cleaned_data["email"],
                                     client_address=client_address(request))
        except SubmissionLimitReachedError:
            form.refuse_over_limit()
        else:
            # The same answer whether or not the pair exists: the page is no way to
            # learn whether someone wrote to us.
            return redirect("inquiries:status_sent")
    return render(request, "inquiries/status_ask.html", {"form": form},
                  status=400 if form.is_bound else 200)


@require_http_methods(["GET", "HEAD"])
def status_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "inquiries/status_sent.html", {
        "hours": settings.INQUIRY_STATUS_LINK_HOURS,
        "window_hours": settings.INQUIRY_STATUS_LINK_WINDOW_HOURS,
    })


@require_http_methods(["GET", "HEAD"])
def status(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        inquiry = inquiry_for_status_link(signed)
    except StatusLinkExpiredError:
        response = render(request, "inquiries/status_link_invalid.html", {"expired": True},
                          status=400)
    else:
        if inquiry is None:
            response = render(request, "inquiries/status_link_invalid.html",
                              {"expired": False}, status=400)
        else:
            label, explanation = STATUS_FOR_CUSTOMER[inquiry.status]
            response = render(request, "inquiries/status.html", {
                "inquiry": inquiry, "status_label": label, "status_explanation": explanation,
                "replies": inquiry_replies_sent(inquiry),
            })
    # One person's request: never kept by a cache (ours included: no public_page_cache),
    # nor its address passed on to a site a reply links to, nor indexed.
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
