"""A counter that changes whenever any page row changes, by any path (the admin, the
shell, a bulk update, a migration, a flush): the public page cache keys on it, so no
worker ever serves a page rendered from content that has since changed."""

from django.db import migrations

CREATE = """
CREATE TABLE pages_content_generation (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    value bigint NOT NULL
);
INSERT INTO pages_content_generation (id, value) VALUES (true, 1);

CREATE FUNCTION pages_content_generation_bump() RETURNS trigger AS $$
BEGIN
    UPDATE pages_content_generation SET value = value + 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER pages_page_content_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pages_page
    FOR EACH STATEMENT EXECUTE FUNCTION pages_content_generation_bump();
"""

DROP = """
DROP TRIGGER pages_page_content_changed ON pages_page;
DROP FUNCTION pages_content_generation_bump();
DROP TABLE pages_content_generation;
"""


class Migration(migrations.Migration):
    dependencies = [("pages", "0002_initial_pages")]

    operations = [migrations.RunSQL(CREATE, DROP)]
