"""The site's first words. Staff edit them in the admin from here on."""

from django.db import migrations

PAGES = [
    {
        "slug": "home",
        "title": "Roochi Traders",
        "meta_description": (
            "Roochi Traders Inc. buys, sells and ships goods for business clients. "
            "Ask us for information or support."
        ),
        "body": """\
Roochi Traders Inc. is a trading company. We source goods for our business clients,
handle the paperwork and ship their orders to them.

## How we can help

- **Looking for a product or a price?** Send us an Information Request and a member of
  our team answers by email or by phone, as you prefer.
- **Already a client?** Send a Support request about an order, a delivery, your account
  or an invoice.

## Your privacy

This site sets no cookies, loads nothing from other companies and shows no
advertising. Read our privacy policy to see what we collect through our forms, why,
and how you can see, correct or delete it.
""",
    },
    {
        "slug": "about",
        "title": "About us",
        "meta_description": "Who Roochi Traders Inc. is and how we work with our clients.",
        "body": """\
Roochi Traders Inc. connects suppliers with the businesses that need their goods. We
agree prices, check quality, arrange shipping and keep our clients informed until their
order arrives.

We keep a profile only for the clients we serve. Visitors to this site can read every
public page without registering.
""",
    },
    {
        "slug": "what-we-trade",
        "title": "What we trade",
        "meta_description": "The kinds of goods Roochi Traders Inc. sources and ships.",
        "body": """\
We trade goods for business clients, in quantities from a single pallet to full
containers. Tell us what you are looking for in an Information Request: the product,
the quantity and where it should go. We reply with availability and a price.
""",
    },
    {
        "slug": "shipping-and-orders",
        "title": "Shipping and orders",
        "meta_description": "How Roochi Traders Inc. takes, ships and tracks orders.",
        "body": """\
## Orders

Every order gets an order number. Quote it when you ask about the order: it lets us
find it at once.

## Shipping

We use an outside shipping company to ship orders. It receives only what it needs to
deliver the goods (a name, a delivery address and a telephone number) and may not keep
or use it for anything else.

## Questions about an order

Send a Support request and choose the topic *Order* or *Delivery*.
""",
    },
    {
        "slug": "contact",
        "title": "Contact us",
        "meta_description": "How to reach Roochi Traders Inc. by email, telephone or form.",
        "body": """\
We reply by email or by telephone, as you prefer. We never contact you through the
website itself.
""",
    },
    {
        "slug": "security",
        "title": "Security",
        "meta_description": "How Roochi Traders Inc. protects the information you send us.",
        "body": """\
- Every page and every form is served over an encrypted connection (HTTPS only).
- The site sets no cookies for visitors and loads nothing from other sites.
- Only the members of staff whose job needs it can see what you send us, each with
  their own account.
- Our servers are kept in a locked, restricted-access facility.

## Reporting a security problem

If you think you have found a security problem on this site, please email
[info@roochi.com](mailto:info@roochi.com). Our machine-readable contact details are in
[/.well-known/security.txt](/.well-known/security.txt).
""",
    },
    {
        "slug": "accessibility",
        "title": "Accessibility",
        "meta_description": "How we make this site usable by everyone, and how to tell us when it is not.",
        "body": """\
We aim for this site to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at
level AA:

- every page and every form works with a keyboard alone and with a screen reader;
- every page works without JavaScript, and at any width from 320 pixels;
- form errors are listed at the top of the form and next to each field.

If something is hard to use, please tell us at
[support@roochi.com](mailto:support@roochi.com) or (323) 722-5592 ext. 118, and we
will give you the information another way.
""",
    },
]


def create_pages(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    Page.objects.bulk_create(Page(**page) for page in PAGES)


def delete_pages(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    Page.objects.filter(slug__in=[page["slug"] for page in PAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]

    operations = [migrations.RunPython(create_pages, delete_pages)]
