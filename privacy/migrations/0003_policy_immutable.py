"""P9: a published policy version never changes, whoever asks.

The model refuses in Python; these triggers make PostgreSQL refuse too, so a raw SQL
statement, another program or a forgotten code path cannot rewrite the legal text
people agreed to. Drafts stay free to edit and delete; publishing (a draft's
published_at set) is allowed once, in number and effective-date order. TRUNCATE is
not covered: it is a table owner's operation (the test suite empties tables with it),
so a production database role should not be granted it.
"""

from django.conf import settings
from django.db import migrations, models


VERSION_FUNCTION = """
CREATE FUNCTION privacy_policyversion_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.published_at IS NOT NULL THEN
        RAISE EXCEPTION 'privacy policy version % is published and cannot be changed or deleted',
            OLD.number USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.published_at IS NOT NULL THEN
        -- One publication at a time, so two cannot both pass the order check.
        PERFORM pg_advisory_xact_lock(hashtext('privacy_policyversion_publish'));
        IF EXISTS (
            SELECT 1 FROM privacy_policyversion
            WHERE published_at IS NOT NULL AND id <> NEW.id
              AND (number > NEW.number OR effective_at > NEW.effective_at)
        ) THEN
            RAISE EXCEPTION 'privacy policy version % must come after every published version, '
                'in number and effective date', NEW.number USING ERRCODE = 'restrict_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
"""

VERSION_TRIGGER = """
CREATE TRIGGER privacy_policyversion_refuse_change
    BEFORE INSERT OR UPDATE OR DELETE ON privacy_policyversion
    FOR EACH ROW EXECUTE FUNCTION privacy_policyversion_refuse_change();
"""

SECTION_FUNCTION = """
CREATE FUNCTION privacy_policysection_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF EXISTS (SELECT 1 FROM privacy_policyversion
                   WHERE id = OLD.version_id AND published_at IS NOT NULL) THEN
            RAISE EXCEPTION 'sections of a published privacy policy version cannot be changed'
                USING ERRCODE = 'restrict_violation';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF EXISTS (SELECT 1 FROM privacy_policyversion
                   WHERE id = NEW.version_id AND published_at IS NOT NULL) THEN
            RAISE EXCEPTION 'sections cannot be added to a published privacy policy version'
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$;
"""

SECTION_TRIGGER = """
CREATE TRIGGER privacy_policysection_refuse_change
    BEFORE INSERT OR UPDATE OR DELETE ON privacy_policysection
    FOR EACH ROW EXECUTE FUNCTION privacy_policysection_refuse_change();
"""

DROP = [
    "DROP TRIGGER privacy_policysection_refuse_change ON privacy_policysection",
    "DROP FUNCTION privacy_policysection_refuse_change()",
    "DROP TRIGGER privacy_policyversion_refuse_change ON privacy_policyversion",
    "DROP FUNCTION privacy_policyversion_refuse_change()",
]


class Migration(migrations.Migration):

    dependencies = [
        ('privacy', '0002_policy_version_1'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='policyversion',
            name='change_summary',
            field=models.TextField(blank=True, help_text='What changed since the previous version, in plain words. Shown in the archive; required to publish.'),
        ),
        migrations.AlterField(
            model_name='policyversion',
            name='effective_at',
            field=models.DateTimeField(blank=True, help_text='When this version takes over. Set when publishing.', null=True),
        ),
        migrations.AddConstraint(
            model_name='policyversion',
            constraint=models.CheckConstraint(condition=models.Q(('published_at__isnull', True), models.Q(('change_summary', ''), _negated=True), _connector='OR'), name='published_policy_has_change_summary'),
        ),
        migrations.AddConstraint(
            model_name='policyversion',
            constraint=models.CheckConstraint(condition=models.Q(('published_at__isnull', True), ('effective_at__gte', models.F('published_at')), _connector='OR'), name='published_policy_effective_after_publication'),
        ),
        migrations.RunSQL(
            [VERSION_FUNCTION, VERSION_TRIGGER, SECTION_FUNCTION, SECTION_TRIGGER], DROP
        ),
    ]
