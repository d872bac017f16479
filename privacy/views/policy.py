from django.http import Http404
from django.shortcuts import get_object_or_404, render

from privacy.models import PolicyVersion
from privacy.policy import current_version


def current_policy(request):
    version = current_version()
    if version is None:
        raise Http404("No privacy policy is published yet.")
    return render(request, "privacy/policy.html", {"version": version})


def policy_version(request, number: int):
    version = get_object_or_404(PolicyVersion.objects.published(), number=number)
    return render(request, "privacy/policy.html", {"version": version})
