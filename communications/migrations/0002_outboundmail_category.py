from django.db import migrations, models

CATEGORIES = [
    ("reply", "Reply to the person's own request"),
    ("privacy_request", "About the person's privacy request"),
    ("staff_notice", "Notice to our staff"),
    ("service", "Service announcement"),
    ("newsletter", "Newsletter or promotion"),
    ("policy_change", "Privacy policy change"),
]


def categories_from_purpose(apps, schema_editor):
    """What the purpose string used to say, now an explicit category."""
    OutboundMail = apps.get_model("communications", "OutboundMail")
    mails = OutboundMail.objects.filter(category="transactional")
    mails.filter(purpose__startswith="privacy-request-").update(category="privacy_request")
    mails.filter(purpose__endswith="-staff-notice").update(category="staff_notice")
    mails.update(category="reply")


def categories_to_kinds(apps, schema_editor):
    OutboundMail = apps.get_model("communications", "OutboundMail")
    OutboundMail.objects.filter(
        category__in=["reply", "privacy_request", "staff_notice"]).update(category="transactional")
    OutboundMail.objects.filter(category="policy_change").update(category="service")


class Migration(migrations.Migration):

    dependencies = [
        ("communications", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("outboundmail", "kind", "category"),
        migrations.RunPython(categories_from_purpose, categories_to_kinds),
        migrations.AlterField(
            model_name="outboundmail",
            name="category",
            field=models.CharField(choices=CATEGORIES, max_length=20),
        ),
        migrations.AddField(
            model_name="outboundmail",
            name="answers_request_of",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
