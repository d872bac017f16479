"""Public pages of privacy requests: ask, confirm, get the copy; the recipients list.
None of them sets a cookie (P1); the copy link works without one."""

import csv
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from privacy.models import PrivacyRequest, Recipient
from privacy.request_forms import PrivacyRequestForm
from privacy.services.copies import copy_as_data, copy_as_rows, copy_request_open, person_copy
from privacy.services.requests import (
    privacy_request_awaiting,
    privacy_request_submit,
    privacy_request_verify,
)
from privacy.views.confirmation import ConfirmationPages, confirmation_answer
from roochi_site.page_cache import public_page_cache
from roochi_site.spreadsheet import csv_response, spreadsheet_safe
from roochi_site.submission_limit import SubmissionLimitReachedError, client_address


@require_http_methods(["GET", "HEAD", "POST"])
@public_page_cache  # the empty form, the same for everyone but its token
def request_new(request):
    form = PrivacyRequestForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            privacy_request_submit(
                email=form.cleaned_data["email"],
                kind=form.cleaned_data["kind"],
                wrong=form.cleaned_data["wrong"],
                should_be=form.cleaned_data["should_be"],
                policy_version=form.policy_version,
                client_address=client_address(request),
            )
        except SubmissionLimitReachedError:
            form.refuse_over_limit()
        else:
            # The same answer whether or not we know the address, and whether or not a
            # link was already on its way to it.
            return redirect("privacy:request_sent", permanent=False)
    status = 400 if form.is_bound else 200
    return render(request, "privacy/requests/new.html",
                  {"form": form, "deadline_days": settings.PRIVACY_REQUEST_DEADLINE_DAYS},
                  status=status)


def request_sent(request):
    return render(request, "privacy/requests/sent.html",
                  {"verify_hours": settings.PRIVACY_REQUEST_VERIFY_HOURS})


VERIFY_PAGES = ConfirmationPages(button="privacy/requests/confirm.html",
                                 done="privacy/requests/verified.html",
                                 invalid="privacy/requests/link_invalid.html",
                                 name="privacy_request")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_verify(request, token: str):
    return confirmation_answer(request, awaiting=privacy_request_awaiting(token=token),
                               confirm=lambda: privacy_request_verify(token=token),
                               pages=VERIFY_PAGES)


def copy_response(request, token: str, fmt: str):
    privacy_request = copy_request_open(token=token)
    if privacy_request is None:
        return render(request, "privacy/requests/link_invalid.html", status=404)
    copy = person_copy(email=privacy_request.email)
    if fmt == "json":
        response = HttpResponse(
            json.dumps(copy_as_data(copy), cls=DjangoJSONEncoder, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="roochi-my-data.json"'
    elif fmt == "csv":
        response = csv_response("roochi-my-data.csv")
        csv.writer(response).writerows(
            [[spreadsheet_safe(cell) for cell in row] for row in copy_as_rows(copy)])
    else:
        response = render(request, "privacy/requests/copy.html",
                          {"copy": copy, "privacy_request": privacy_request, "token": token})
    # Personal data: never kept by a cache or a search engine.
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "HEAD"])
def request_copy(request, token: str):
    return copy_response(request, token, "html")


@require_http_methods(["GET", "HEAD"])
def request_copy_json(request, token: str):
    return copy_response(request, token, "json")


@require_http_methods(["GET", "HEAD"])
def request_copy_csv(request, token: str):
    return copy_response(request, token, "csv")


def recipients(request):
    """P10: who receives personal data from us and why, from the register."""
    by_kind = {}
    for recipient in Recipient.objects.listed():
        by_kind.setdefault(recipient.get_kind_display(), []).append(recipient)
    return render(request, "privacy/requests/recipients.html",
                  {"by_kind": by_kind, "kinds": PrivacyRequest.Kind})
