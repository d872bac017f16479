"""The page behind a confirmation link in a mail (a privacy request, a newsletter
sign-up): a button, because mail scanners fetch links and must confirm nothing."""

from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import render

from privacy.request_forms import ConfirmForm


@dataclass(frozen=True)
class ConfirmationPages:
    button: str  # the page with the button
    done: str  # what a confirmation answers
    invalid: str  # an unknown, used or expired link (404)
    # The name the templates know the confirmed thing by.
    name: str


def confirmation_answer(request, *, awaiting: object | None, confirm: Callable[[], object | None],
                        pages: ConfirmationPages):
    """``awaiting``: what the link would confirm, None when it works no more;
    ``confirm``: the service that confirms it, None when another post used it first."""
    if awaiting is None:
        return render(request, pages.invalid, status=404)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        confirmed = confirm()
        if confirmed is None:
            return render(request, pages.invalid, status=404)
        return render(request, pages.done, {pages.name: confirmed})
    return render(request, pages.button, {pages.name: awaiting, "form": form},
                  status=400 if form.is_bound else 200)
