"""P8 across a restore: an erasure is recorded in the erasure ledger (the hash, never
the address), and after restoring a backup taken before it, `erasures_reapply`
leaves no trace of the person again, as the erasure itself did."""

import subprocess

import pytest
from django.core.management import call_command
from django.db import connection

from inquiries.models import Inquiry
from privacy import registry
from privacy.erasure_ledger import erasure_record, ledger_hashes, ledger_path
from privacy.models import Person
from privacy.models.people import email_hash
from privacy.services.erasures import erasures_reapply
from roochi_site.backups import backup_write, database_conninfo, pg_tool
from tests.database import traces
from tests.inquiries.conftest import InquiryFactory
from tests.privacy.requests.conftest import request_confirm, request_submit
from tests.privacy.requests.test_erasure import APP_DATA, EMAIL, NAME, PHONE, registered_apps


def restore(dump) -> None:
    """README.md, Backups: the restore, over the site's database."""
    conninfo = database_conninfo()
    connection.close()
    subprocess.run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                    "--single-transaction", f"--dbname={conninfo}", str(dump)],
                   check=True, capture_output=True)


@pytest.mark.usefixtures("committed_db")
def test_a_restored_backup_brings_nobody_back_once_erasures_are_reapplied(
        client, staff, smtp_server, run_tasks, tmp_path):
    for app in sorted(registered_apps()):
        APP_DATA[app](email=EMAIL, name=NAME, phone=PHONE)
    request_submit(client, EMAIL, "delete")
    run_tasks()
    privacy_request = request_confirm(client, EMAIL)
    dump = backup_write(directory=tmp_path)

    staff.post(f"/admin/privacy/privacyrequest/{privacy_request.pk}/act/erase/",
               {"confirm": "yes"})
    run_tasks()
    assert traces(EMAIL) == []
    ledger = ledger_path().read_text()
    assert email_hash(EMAIL) in ledger
    assert EMAIL not in ledger
    assert "ana.example" not in ledger

    restore(dump)
    # The backup holds the person again: the restore alone would undo the erasure.
    assert traces(EMAIL)
    assert traces(NAME)
    assert traces(PHONE)

    call_command("erasures_reapply")
    assert traces(EMAIL) == []
    assert traces(NAME) == []
    assert traces(PHONE) == []
    person = Person.objects.get(email_hash=email_hash(EMAIL))
    assert (person.status, person.email) == (Person.Status.ERASED, None)
    # Running it twice changes nothing.
    assert erasures_reapply()["people erased again"] == 0


@pytest.mark.django_db
def test_reapply_finds_every_spelling_and_remembers_a_person_it_had_no_row_for():
    InquiryFactory(email="Ana.Example@Example.com", name=NAME)
    InquiryFactory(email="someone.else@example.com")
    erasure_record(email_hash(EMAIL))
    assert not Person.objects.filter(email_hash=email_hash(EMAIL)).exists()

    figures = erasures_reapply()
    assert figures["people erased again"] == 1
    assert list(Inquiry.objects.values_list("email", flat=True)) == ["someone.else@example.com"]
    person = Person.objects.get(email_hash=email_hash(EMAIL))
    assert (person.status, person.email) == (Person.Status.ERASED, None)


@pytest.mark.django_db
def test_a_dry_run_changes_nothing():
    InquiryFactory(email=EMAIL)
    erasure_record(email_hash(EMAIL))
    assert erasures_reapply(dry_run=True)["people to erase again"] == 1
    assert Inquiry.objects.filter(email=EMAIL).exists()


@pytest.mark.django_db
def test_an_erasure_is_recorded_once(settings, tmp_path):
    settings.ERASURE_LEDGER_PATH = tmp_path / "ledger"
    registry.erase_person(EMAIL)
    registry.erase_person(EMAIL.upper())
    assert settings.ERASURE_LEDGER_PATH.read_text().count(email_hash(EMAIL)) == 1
    assert ledger_hashes() == {email_hash(EMAIL)}


@pytest.mark.django_db
def test_an_erasure_that_cannot_be_recorded_is_not_done(settings, tmp_path):
    """A ledger that cannot be written would leave an erasure a restore undoes."""
    (tmp_path / "not-a-folder").write_text("")
    settings.ERASURE_LEDGER_PATH = tmp_path / "not-a-folder" / "ledger"
    InquiryFactory(email=EMAIL)
    with pytest.raises(FileExistsError):
        registry.erase_person(EMAIL)
    assert Inquiry.objects.filter(email=EMAIL).exists()
