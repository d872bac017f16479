"""Public pages of the newsletter: sign up, confirm, unsubscribe (P3, P6). None sets
a cookie (P1); the confirmation and unsubscribe links work without one."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from privacy.models import OptOut, OptOutChannel
from privacy.newsletter_forms import NewsletterSignupForm
from privacy.request_forms import ConfirmForm
from privacy.services.newsletter import (
    communication_stop,
    newsletter_signup_awaiting,
    newsletter_signup_confirm,
    newsletter_signup_submit,
    newsletter_unsubscribe,
    newsletter_unsubscribe_address,
)
from roochi_site.page_cache import public_page_cache
from roochi_site.submission_limit import SubmissionLimitReachedError, client_address

# RFC 8058: what a mail program posts for its one-click unsubscribe button.
ONE_CLICK_FIELD, ONE_CLICK_VALUE = "List-Unsubscribe", "One-Click"


@require_http_methods(["GET", "HEAD", "POST"])
@public_page_cache  # the empty form, the same for everyone but its token
def signup(request):
    form = NewsletterSignupForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            newsletter_signup_submit(email=form.cleaned_data["email"], wording=form.wording,
                                     policy_version=form.policy_version,
                                     client_address=client_address(request))
        except SubmissionLimitReachedError:
            form.refuse_over_limit()
        else:
            # The same answer whether or not we know the address, whether it is
            # subscribed, and whether a link was already on its way to it.
            return redirect("newsletter:signup_sent", permanent=False)
    return render(request, "privacy/newsletter/signup.html", {"form": form},
                  status=400 if form.is_bound else 200)


def signup_sent(request):
    return render(request, "privacy/newsletter/sent.html",
                  {"hours": settings.NEWSLETTER_CONFIRMATION_WINDOW_HOURS})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    """The link shows a button; only the button confirms, so a mail scanner that
    follows the link subscribes nobody."""
    if newsletter_signup_awaiting(token=token) is None:
        return render(request, "privacy/newsletter/link_invalid.html", status=404)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        if newsletter_signup_confirm(token=token) is None:
            return render(request, "privacy/newsletter/link_invalid.html", status=404)
        return render(request, "privacy/newsletter/confirmed.html")
    return render(request, "privacy/newsletter/confirm.html", {"form": form},
                  status=400 if form.is_bound else 200)


# RFC 8058: a mail program's one-click POST carries no cookie, no Origin, no Fetch
# Metadata and no form token; the signed link is the proof, and it can stop nothing
# but mail to its own address.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    email = newsletter_unsubscribe_address(token)
    if email is None:
        return render(request, "privacy/newsletter/link_invalid.html", status=404)
    context = {"email": email}
    if request.method == "POST":
        if request.POST.get(ONE_CLICK_FIELD) == ONE_CLICK_VALUE:
            newsletter_unsubscribe(email=email, channel=OptOutChannel.ONE_CLICK)
            return render(request, "privacy/newsletter/unsubscribed.html",
                          {**context, "scope": OptOut.Scope.NEWSLETTER})
        scope = request.POST.get("scope")
        if scope == OptOut.Scope.NEWSLETTER:
            newsletter_unsubscribe(email=email, channel=OptOutChannel.LINK)
        elif scope == OptOut.Scope.ALL:
            communication_stop(email=email, channel=OptOutChannel.LINK)
        else:
            return render(request, "privacy/newsletter/unsubscribe.html",
                          {**context, "scopes": OptOut.Scope, "choose": True}, status=400)
        return render(request, "privacy/newsletter/unsubscribed.html",
                      {**context, "scope": scope})
    return render(request, "privacy/newsletter/unsubscribe.html",
                  {**context, "scopes": OptOut.Scope})
