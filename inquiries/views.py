"""The public side: the two forms and the thank-you page. No cookie, no session (P1)."""

import functools

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from inquiries.forms import FORMS
from inquiries.models import Form, Inquiry, ReplyChannel, Topic
from inquiries.services import inquiry_submit
from roochi_site.page_cache import public_page_cache
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


def topic_chosen(request: HttpRequest) -> str:
    """A topic preselected by the link that led here (a product category's page links
    to ``?topic=products``); anything else in the query string is ignored."""
    topic = request.GET.get("topic", "")
    return topic if topic in Topic.values else ""


# The empty form, the same for everyone with the same topic but its token.
@functools.partial(public_page_cache, query_key=topic_chosen)
def inquiry_form(request: HttpRequest, purpose: str) -> HttpResponse:
    form_class = FORMS[purpose]
    form = (form_class(request.POST) if request.method == "POST"
            else form_class(topic=topic_chosen(request)))
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
