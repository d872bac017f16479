from django.conf import settings
from django.urls import reverse

# The main navigation, in reading order: (URL name, its arguments, label). Pages are
# rows reached by slug; other apps add their public entry points by URL name.
MAIN_NAV = [
    ("pages:page", ("about",), "About us"),
    ("pages:categories", (), "What we trade"),
    ("pages:page", ("shipping-and-orders",), "Shipping and orders"),
    ("inquiries:information", (), "Information request"),
    ("inquiries:support", (), "Support"),
    ("pages:page", ("contact",), "Contact"),
]


def site(request):
    return {
        "site_url": settings.SITE_URL,
        "main_nav": [(reverse(name, args=args), label) for name, args, label in MAIN_NAV],
    }
