# The spam counts move to roochi_site (one limit for every public form).
# They live an hour, so none is carried over.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inquiries', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='submissioncount',
            name='one_count_per_client_hour',
        ),
        migrations.DeleteModel(
            name='SubmissionCount',
        ),
        migrations.AlterField(
            model_name='inquiry',
            name='email',
            field=models.EmailField(help_text='Stored in its canonical form.', max_length=254),
        ),
    ]
