from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Coalesce
import django.db.models.deletion


def moments_and_links(apps, schema_editor):
    """Stops recorded before their moment was kept count from when the row last
    changed, or was made; confirmation mails found once by their subject, as before."""
    Person = apps.get_model("privacy", "Person")
    PrivacyRequest = apps.get_model("privacy", "PrivacyRequest")
    OutboundMail = apps.get_model("communications", "OutboundMail")
    Person.objects.exclude(status="active").filter(status_changed_at=None).update(
        status_changed_at=F("created_at"))
    Person.objects.filter(communication_opt_out=True).update(
        communication_opt_out_at=Coalesce("status_changed_at", "created_at"))
    for privacy_request in PrivacyRequest.objects.filter(status="unverified"):
        mail = OutboundMail.objects.filter(
            purpose="privacy-request-verify",
            subject__endswith=f" {privacy_request.reference}").first()
        if mail is not None:
            PrivacyRequest.objects.filter(pk=privacy_request.pk).update(confirmation_mail=mail)


class Migration(migrations.Migration):

    dependencies = [
        ("communications", "0002_outboundmail_category"),
        ("privacy", "0005_requests_people_disclosures"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="communication_opt_out_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="person",
            name="communication_opt_out",
            field=models.BooleanField(default=False, help_text="No mail of any kind, service announcements included; only replies to requests the person makes afterwards.", verbose_name="no communication at all"),
        ),
        migrations.AddField(
            model_name="privacyrequest",
            name="confirmation_mail",
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="communications.outboundmail"),
        ),
        migrations.RunPython(moments_and_links, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.CheckConstraint(condition=models.Q(("status", "active"), ("status_changed_at__isnull", False), _connector="OR"), name="person_status_change_has_moment"),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.CheckConstraint(condition=models.Q(("communication_opt_out", False), ("communication_opt_out_at__isnull", False), _connector="OR"), name="person_opt_out_has_moment"),
        ),
    ]
