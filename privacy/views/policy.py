"""The public policy pages: the version in force, the archive, every version at its
permanent address, and what changed between any two (P9)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from privacy.comparison import policy_versions_compare
from privacy.forms import PolicyCompareForm
from privacy.models import PolicyVersion
from privacy.policy import current_version, policy_in_force
from roochi_site.page_cache import public_page_cache


@public_page_cache
def current_policy(request):
    in_force = policy_in_force()
    version = in_force.current
    if version is None:
        raise Http404("No privacy policy is published yet.")
    return render(
        request,
        "privacy/policy.html",
        {
            "version": version,
            "current": version,
            "upcoming": in_force.upcoming,
            "status": "current",
            "is_policy_page": True,
        },
    )


@public_page_cache
def policy_version(request, number: int):
    current = current_version()
    if current is not None and current.number == number:
        version = current
    else:
        version = get_object_or_404(
            PolicyVersion.objects.published().prefetch_related("sections"), number=number
        )
    return render(
        request,
        "privacy/policy.html",
        {"version": version, "current": current, "status": version.state(current=current)},
    )


def _published_newest_first() -> list[PolicyVersion]:
    return list(PolicyVersion.objects.published().newest_first())


def _archive(request, *, versions: list[PolicyVersion], compare_form, status: int = 200):
    # Newest first; each version is listed with the one it followed (for its comparison)
    # and the one that followed it (whose effective date ended it).
    entries = list(
        zip(versions, [*versions[1:], None], [None, *versions[:-1]], strict=True)
    )
    return render(
        request,
        "privacy/archive.html",
        {
            "entries": entries,
            "versions": versions,
            "current": current_version(),
            "now": timezone.now(),
            "compare_form": compare_form,
        },
        status=status,
    )


@public_page_cache
def archive(request):
    versions = _published_newest_first()
    return _archive(request, versions=versions, compare_form=PolicyCompareForm(versions=versions))


def compare_choose(request):
    """The archive's comparison form, sent by GET: on to the comparison's own address."""
    if not request.GET:
        return redirect("privacy:archive")
    versions = _published_newest_first()
    form = PolicyCompareForm(request.GET, versions=versions)
    if form.is_valid():
        return redirect(
            "privacy:compare", old=form.cleaned_data["old"], new=form.cleaned_data["new"]
        )
    return _archive(request, versions=versions, compare_form=form, status=400)


@public_page_cache
def compare(request, old: int, new: int):
    found = {
        version.number: version
        for version in PolicyVersion.objects.published()
        .filter(number__in=[old, new])
        .prefetch_related("sections")
    }
    if old not in found or new not in found:
        raise Http404("No published privacy policy version has that number.")
    if old == new:
        return render(request, "privacy/compare_same.html", {"version": found[old]})
    return render(
        request,
        "privacy/compare.html",
        {"comparison": policy_versions_compare(old=found[old], new=found[new])},
    )
