"""The contact details staff edit (postal address, opening hours), which change the
public pages like a page row does; and the initial pages' second words: a home page
that says what the company does and leads on, how ordering works, the contact page.

A page is rewritten only while it still holds the words 0002 gave it: what staff have
edited since is theirs.
"""

import importlib

from django.db import migrations, models


# The trigger of 0003, on this table too: the contact page shows its row.
TRIGGER = """
CREATE TRIGGER pages_contactdetails_content_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pages_contactdetails
    FOR EACH STATEMENT EXECUTE FUNCTION pages_content_generation_bump();
"""
TRIGGER_DROP = "DROP TRIGGER pages_contactdetails_content_changed ON pages_contactdetails;"

PAGES = {
    "home": {
        "title": "Goods sourced, checked and shipped for your business",
        "meta_description": (
            "Roochi Traders Inc. sources goods for business clients, checks every order "
            "and ships it to them. Ask us for a price or for support."
        ),
        "body": """\
Roochi Traders Inc. is a trading company. We find the goods our business clients
need, agree prices and terms with suppliers, check every order and ship it to the
client with an outside shipping company.

## What we trade

Goods for businesses, bought in quantity: from a single pallet to full containers.
Tell us what you need and where it should go; we find it and quote a price.

[See what we trade](/what-we-trade/)

## How ordering and shipping work

Ask for a quote, accept it, and your order gets an order number. We check the goods
and hand them to our shipping company, which delivers them to you. Quote the order
number whenever you ask about it.

[Ordering and shipping](/shipping-and-orders/)

## Why clients can trust us

- **No cookies, no tracking.** This site sets no cookie, loads nothing from other
  companies and shows no advertising.
- **Your data on request.** Ask for a copy of what we hold about you, or have it
  corrected or deleted, at any time.
- **Only who needs it.** Only the staff whose job needs it see what you send us.

[Our privacy policy](/privacy/)
""",
    },
    "about": {
        "body": """\
Roochi Traders Inc. connects suppliers with the businesses that need their goods. We
agree prices and terms, check quality before anything ships, arrange the shipping and
keep our clients informed until their order arrives.

Our clients are businesses. We keep a profile only for the clients we serve: what we
need to quote, deliver and invoice their orders. Visitors to this site can read every
public page without registering, and nothing on this site follows them around.
""",
    },
    "shipping-and-orders": {
        "body": """\
## How ordering works

1. **Ask.** Send an [Information Request](/information-request/) with the product, the
   quantity and where the goods should go.
2. **Quote.** We reply with availability, a price, the shipping cost and an estimated
   delivery date, by email or by telephone, as you prefer.
3. **Order.** When you accept the quote, your order gets an order number. Quote it
   whenever you ask about the order: it lets us find it at once.
4. **Delivery.** We check the goods and hand them to our shipping company, which
   delivers them to the address you gave us.

## Shipping

We use an outside shipping company to ship orders. It receives only what it needs to
deliver the goods (a name, a delivery address and a telephone number) and may not keep,
share or use it for anything else. It is listed among
[those who receive personal data from us](/privacy/recipients/).

## Questions about an order

Send a [Support request](/support-request/) and choose the topic *Order* or
*Delivery*. Our telephone number and opening hours are on our
[contact page](/contact/).
""",
    },
    "contact": {
        "body": """\
Write to us with one of our two forms, send us an email or call us. We reply by email
or by telephone, as you prefer; we never contact you through the website itself.
""",
    },
}


def pages_rewrite(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    first_words = {page["slug"]: page for page in
                   importlib.import_module("pages.migrations.0002_initial_pages").PAGES}
    for slug, words in PAGES.items():
        Page.objects.filter(slug=slug, body=first_words[slug]["body"]).update(**words)
    apps.get_model("pages", "ContactDetails").objects.get_or_create(singleton=True)


def pages_restore(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    for page in importlib.import_module("pages.migrations.0002_initial_pages").PAGES:
        if page["slug"] in PAGES:
            Page.objects.filter(slug=page["slug"], body=PAGES[page["slug"]]["body"]).update(
                title=page["title"], meta_description=page["meta_description"],
                body=page["body"])


class Migration(migrations.Migration):

    dependencies = [
        ('pages', '0004_categories_images_revisions'),
    ]

    operations = [
        migrations.CreateModel(
            name='ContactDetails',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('singleton', models.BooleanField(default=True, editable=False, unique=True)),
                ('postal_address', models.TextField(blank=True, help_text="The company's postal address, one line per line, as it goes on an envelope. Shown on the contact page; nothing is shown while it is empty.")),
                ('opening_hours', models.TextField(blank=True, help_text='When staff answer the telephone and support requests, e.g. "Monday to Friday, 8:00 to 17:00 Pacific time". One line per line. Shown on the contact page; nothing is shown while it is empty.')),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'contact details',
                'verbose_name_plural': 'contact details',
                'constraints': [models.CheckConstraint(condition=models.Q(('singleton', True)), name='one_contact_details_row')],
            },
        ),
        migrations.RunSQL(TRIGGER, TRIGGER_DROP),
        migrations.RunPython(pages_rewrite, pages_restore),
    ]
