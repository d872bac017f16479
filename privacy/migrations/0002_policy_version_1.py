"""Version 1 of the privacy policy: the company's text, verbatim, typos included.

The text is read from privacy-policy-v1.txt beside this file, a copy of the
customer's file. Its sections are the lines that stand alone as headings; the two
lines that open the document are its title.
"""

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import migrations

SOURCE = Path(__file__).with_name("privacy-policy-v1.txt")
# Midnight at the company's offices in Los Angeles, so the date reads 1 January 2026.
EFFECTIVE_AT = datetime(2026, 1, 1, tzinfo=ZoneInfo("America/Los_Angeles"))


def is_heading(block: str) -> bool:
    lines = block.strip().splitlines()
    return (
        len(lines) == 1
        and len(lines[0]) < 70
        and not lines[0].rstrip().endswith((".", ":", ","))
        and "@" not in lines[0]
    )


def split_sections(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The title, and (heading, text) for each section, the text as written."""
    blocks = [block for block in re.split(r"\n[ \t]*\n", text) if block.strip()]
    title = blocks[1].strip()  # "Privacy Policy", then "Roochi Traders Inc. Privacy Policy"
    sections: list[tuple[str, list[str]]] = []
    for block in blocks[2:]:
        if is_heading(block):
            sections.append((block.strip(), []))
        else:
            sections[-1][1].append(block.strip("\n"))
    return title, [(heading, "\n\n".join(body)) for heading, body in sections]


def load_version_1(apps, schema_editor):
    PolicyVersion = apps.get_model("privacy", "PolicyVersion")
    PolicySection = apps.get_model("privacy", "PolicySection")
    title, sections = split_sections(SOURCE.read_text(encoding="utf-8"))
    # Drafted, then published, as staff do: once published (and the triggers of 0003
    # exist, as when browser tests load this again) no section can be added.
    version = PolicyVersion.objects.create(
        number=1,
        title=title,
        change_summary="The first published version of our privacy policy.",
        effective_at=EFFECTIVE_AT,
    )
    PolicySection.objects.bulk_create(
        PolicySection(version=version, position=position, heading=heading, body=body)
        for position, (heading, body) in enumerate(sections, start=1)
    )
    PolicyVersion.objects.filter(pk=version.pk).update(published_at=EFFECTIVE_AT)


def unload_version_1(apps, schema_editor):
    apps.get_model("privacy", "PolicyVersion").objects.filter(number=1).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(load_version_1, unload_version_1)]
