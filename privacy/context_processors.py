from django.utils.functional import SimpleLazyObject

from privacy.policy import current_version, recent_change


def policy(request):
    # Lazy: a response that never shows the footer (a redirect) costs no lookup, and
    # after the first page neither costs a query (privacy/policy.py caches them).
    return {
        "current_policy": SimpleLazyObject(current_version),
        "policy_change": SimpleLazyObject(recent_change),
    }
