"""`manage.py backup`: a whole dump in BACKUP_DIR, or a clear error and no file."""

import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from roochi_site.backups import pg_tool


@pytest.mark.django_db
def test_a_backup_is_a_dump_pg_restore_can_read(settings, tmp_path, capsys):
    settings.BACKUP_DIR = tmp_path
    call_command("backup")
    [dump] = tmp_path.iterdir()
    assert capsys.readouterr().out.strip() == str(dump)
    assert dump.name.startswith("roochi-")
    assert dump.suffix == ".dump"
    assert dump.stat().st_mode & 0o077 == 0
    listing = subprocess.run([pg_tool("pg_restore"), "--list", str(dump)], check=True,
                             capture_output=True, text=True).stdout
    assert "TABLE DATA public inquiries_inquiry" in listing
    assert "TABLE DATA public privacy_policyversion" in listing


@pytest.mark.django_db
def test_a_failed_backup_says_why_and_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "no_such_database")
    with pytest.raises(CommandError, match=r"The backup failed: .*no_such_database"):
        call_command("backup", "--directory", str(tmp_path))
    assert list(tmp_path.iterdir()) == []
