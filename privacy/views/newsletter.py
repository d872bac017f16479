"""Public pages of the newsletter: sign up, confirm, unsubscribe (P3, P6). None sets
a cookie (P1); the confirmation and unsubscribe links work without one."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from privacy.models import OptOut, OptOutChannel
from privacy.newsletter_forms import NewsletterSignupForm
from privacy.services.newsletter import (
    communication_stop,
    newsletter_signup_awaiting,
    newsletter_signup_confirm,
    newsletter_signup_submit,
    newsletter_unsubscribe,
    newsletter_unsubscribe_address,
)
from privacy.views.confirmation import ConfirmationPages, confirmation_answer
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


CONFIRM_PAGES = ConfirmationPages(button="privacy/newsletter/confirm.html",
                                  done="privacy/newsletter/confirmed.html",
                                  invalid="privacy/newsletter/link_invalid.html",
                                  name="subscription")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    return confirmation_answer(request, awaiting=newsletter_signup_awaiting(token=token),
                               confirm=lambda: newsletter_signup_confirm(token=token),
                               pages=CONFIRM_PAGES)


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
    response = unsubscribe_answer(request, email)
    # The page names the address: never kept by a search engine.
    response["X-Robots-Tag"] = "noindex"
    return response


def unsubscribe_answer(request, email: str):
    context = {"email": email, "scopes": OptOut.Scope}
    if request.method != "POST":
        return render(request, "privacy/newsletter/unsubscribe.html", context)
    if request.POST.get(ONE_CLICK_FIELD) == ONE_CLICK_VALUE:
        newsletter_unsubscribe(email=email, channel=OptOutChannel.ONE_CLICK)
        scope = OptOut.Scope.NEWSLETTER
    else:
        scope = request.POST.get("scope")
        if scope == OptOut.Scope.NEWSLETTER:
            newsletter_unsubscribe(email=email, channel=OptOutChannel.LINK)
        elif scope == OptOut.Scope.ALL:
            communication_stop(email=email, channel=OptOutChannel.LINK)
        else:
            return render(request, "privacy/newsletter/unsubscribe.html",
                          {**context, "choose": True}, status=400)
    return render(request, "privacy/newsletter/unsubscribed.html", {**context, "scope": scope})
