"""Notes for staff on a policy version; a draft of version 2 that corrects what is
plainly wrong in version 1; and the recipients the policy names (P10).

Version 2 is version 1's text with the corrections below, each explained in the
draft's notes for staff. It stays a draft: publishing it is staff's decision (P9). It
is written only where no version 2 exists. The postal address is not invented: the
draft points to the contact page, which shows the address once staff enter it.

The recipients are the two the policy names, in general words ("Third Party
Intermediaries", "Service Providers"): staff add the shipping company's name.
"""

from django.db import migrations, models

# (section heading in version 1, text as written, corrected text, why).
CORRECTIONS = [
    ("Cookies",
     "[Usage of a cookie is in no way linked to any personally identifiable information "
     "while on our site.]",
     "Usage of a cookie is in no way linked to any personally identifiable information "
     "while on our site.",
     "Cookies: the square brackets of the template the text came from are removed; the "
     "sentence stays."),
    ("Cookies", "once users/clients/clients close", "once users/clients close",
     "Cookies: \"users/clients/clients\" said \"clients\" twice."),
    ("Cookies", "We currently have to such partnerships in effect.",
     "We currently have no such partnerships in effect.",
     "Cookies: \"have to such partnerships\" was a typing error for \"have no such "
     "partnerships\": the site has no advertising partner and sets no cookie."),
    ("Clear Gifs (Web Beacons/Web Bugs)",
     "We employ [or our third party advertising company employs] a software technology "
     "called clear gifs (a.k.a. Web Beacons/Web Bugs), that help us better manage content "
     "on our site by informing us what content is effective.",
     "Some Web sites employ a software technology called clear gifs (a.k.a. Web "
     "Beacons/Web Bugs), that helps them better manage their content by informing them "
     "what content is effective.",
     "Clear Gifs: the section began \"We employ [or our third party advertising company "
     "employs]\", template brackets, and contradicted its own last sentence (\"We "
     "currently do not use any clear gifs\"): it now describes what clear gifs are."),
    ("Clear Gifs (Web Beacons/Web Bugs)", "www.companyX.com”,", "www.companyX.com,",
     "Clear Gifs: a stray closing quotation mark after the example address is removed."),
    ("Clear Gifs (Web Beacons/Web Bugs)", "the Web site [or advertising company] would",
     "the Web site or advertising company would",
     "Clear Gifs: the template brackets around \"or advertising company\" are removed."),
    ("Service Announcements", "Generally, users/clients/clients may not",
     "Generally, users/clients may not",
     "Service Announcements: \"users/clients/clients\" said \"clients\" twice."),
    ("Surveys [& Contests]", None, "Surveys & Contests",
     "Surveys & Contests: the heading's template brackets are removed."),
    ("Correcting/Updating/Deleting/Deactivating Personal Information",
     "support@eservicesforyou.com", "support@roochi.com",
     "Correcting/Updating/Deleting/Deactivating: the address was another company's "
     "(eservicesforyou.com); requests come to our own support address, as everywhere "
     "else in the policy."),
    ("Contact Information", "support@roochi.com",
     "support@roochi.com\n\nTelephone: (323) 722-5592 ext. 118\n\n"
     "Postal mail: the address on our [contact page](/contact/)",
     "Contact Information: the policy promises contact \"by telephone or postal mail at "
     "the contact information listed below\" but listed only an email address. It now "
     "gives the telephone number of the Choice/Opt-out section and points to the contact "
     "page for the postal address, which the site shows once staff enter it (Public "
     "pages › Contact details). Enter the address there before publishing this version."),
]

SUMMARY = (
    "Corrections only, no change in what we do: template brackets and typing errors "
    "removed (Cookies, Clear Gifs, Service Announcements, Surveys & Contests), our own "
    "support address in place of another company's (Correcting/Updating/Deleting/"
    "Deactivating), and the telephone number and postal address the policy promised "
    "under Contact Information."
)

RECIPIENTS = [
    {
        "name": "Our outside shipping company",
        "kind": "shipping",
        "receives": "The name, delivery address and telephone number of an order.",
        "purpose": "To deliver the orders we ship. It may not keep, share, store or use "
                   "them for any other purpose.",
    },
    {
        "name": "Providers of services you sign up for",
        "kind": "service_provider",
        "receives": "Your name and the other contact details a service needs.",
        "purpose": "To provide a particular service you signed up for. You are told "
                   "before you sign up, and they may use the information only to provide "
                   "that service.",
    },
]


def version_2_draft(apps, schema_editor):
    PolicyVersion = apps.get_model("privacy", "PolicyVersion")
    PolicySection = apps.get_model("privacy", "PolicySection")
    version_1 = PolicyVersion.objects.filter(number=1).first()
    if version_1 is None or PolicyVersion.objects.filter(number=2).exists():
        return
    sections = {section.heading: section for section in version_1.sections.all()}
    headings = {heading: heading for heading in sections}
    bodies = {heading: section.body for heading, section in sections.items()}
    for heading, written, corrected, _ in CORRECTIONS:
        if written is None:
            headings[heading] = corrected
            continue
        if written not in bodies[heading]:
            raise RuntimeError(f"Version 1's {heading!r} no longer reads {written!r}.")
        bodies[heading] = bodies[heading].replace(written, corrected, 1)
    draft = PolicyVersion.objects.create(
        number=2,
        title=version_1.title,
        change_summary=SUMMARY,
        staff_notes="Each change from version 1, and why:\n\n" + "\n".join(
            f"- {why}" for *_, why in CORRECTIONS),
    )
    PolicySection.objects.bulk_create(
        PolicySection(version=draft, position=section.position,
                      heading=headings[heading], body=bodies[heading])
        for heading, section in sections.items()
    )


def version_2_draft_delete(apps, schema_editor):
    apps.get_model("privacy", "PolicyVersion").objects.filter(
        number=2, published_at__isnull=True, change_summary=SUMMARY).delete()


def recipients_add(apps, schema_editor):
    Recipient = apps.get_model("privacy", "Recipient")
    for recipient in RECIPIENTS:
        if not Recipient.objects.filter(kind=recipient["kind"]).exists():
            Recipient.objects.create(**recipient)


def recipients_delete(apps, schema_editor):
    Recipient = apps.get_model("privacy", "Recipient")
    for recipient in RECIPIENTS:
        Recipient.objects.filter(**recipient, disclosures__isnull=True,
                                 obtained__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('privacy', '0012_deadline_reminder'),
    ]

    operations = [
        migrations.AddField(
            model_name='policyversion',
            name='staff_notes',
            field=models.TextField(blank=True, help_text='Why each change was made, for the staff who review and publish this version. Never shown to the public.', verbose_name='notes for staff'),
        ),
        migrations.RunPython(version_2_draft, version_2_draft_delete),
        migrations.RunPython(recipients_add, recipients_delete),
    ]
