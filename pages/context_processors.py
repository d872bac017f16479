from django.conf import settings

# The main navigation: the site's fixed public pages, by slug, in reading order.
# Other apps add their public entry points here as they land.
MAIN_NAV = [
    ("about", "About us"),
    ("what-we-trade", "What we trade"),
    ("shipping-and-orders", "Shipping and orders"),
    ("contact", "Contact"),
]


def site(request):
    return {"site_url": settings.SITE_URL, "main_nav": MAIN_NAV}
