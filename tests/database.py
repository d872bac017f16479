"""What the database holds, searched the way someone with a dump of it would: every
text-like column of every table, for the tests that prove a value is kept nowhere
(P4, P7, P8)."""

import re

from django.db import connection


def every_text_value() -> list[tuple[str, str, str]]:
    """(table, column, value) for every text-like column of every table."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT table_name, column_name FROM information_schema.columns
               WHERE table_schema = current_schema()
                 AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
               ORDER BY table_name, column_name"""
        )
        columns = cursor.fetchall()
        values = []
        for table, column in columns:
            cursor.execute(
                f'SELECT "{column}"::text FROM "{table}" WHERE "{column}" IS NOT NULL'  # noqa: S608 (names from information_schema)
            )
            values += [(table, column, value) for (value,) in cursor.fetchall()]
    return values


def traces(needle: str) -> list[tuple[str, str]]:
    """Where the needle appears, ignoring case; a phone number also written with
    spaces, dashes or brackets."""
    needle = needle.lower()

    def holds(value: str) -> bool:
        return needle in value.lower() or (needle.isdigit() and needle in re.sub(r"\D", "", value))

    return sorted({(table, column) for table, column, value in every_text_value()
                   if holds(value)})
