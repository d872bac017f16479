from django.utils.functional import SimpleLazyObject

from privacy.policy import current_version


def policy(request):
    # Lazy: a response that never shows the footer (a redirect) costs no lookup.
    return {"current_policy": SimpleLazyObject(current_version)}
