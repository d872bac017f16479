"""P9: the page of the policy-change mail's signed link, where a person accepts or
declines a new version's use of their information. No cookie, no sign-in (P1)."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from privacy.models import PolicyChoice
from privacy.request_forms import PolicyChoiceForm
from privacy.services.policy_choices import policy_choice_asked, policy_choice_record


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def policy_choice(request, token: str):
    asked = policy_choice_asked(token=token)
    if asked is None:
        return render(request, "privacy/choice_link_invalid.html", status=404)
    form = PolicyChoiceForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        choice = policy_choice_record(person=asked.person, version=asked.version,
                                      accepted=form.accepted())
        return render(request, "privacy/choice_recorded.html",
                      {"asked": asked, "choice": choice})
    earlier = PolicyChoice.objects.filter(person=asked.person, version=asked.version).first()
    return render(request, "privacy/choice.html",
                  {"asked": asked, "form": form, "earlier": earlier},
                  status=400 if form.is_bound else 200)
