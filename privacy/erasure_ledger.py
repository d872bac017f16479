"""The erasure ledger (P8): an erasure survives the restore of an older backup.

A file outside the database (ERASURE_LEDGER_PATH, by default `erasure-ledger` in
BACKUP_DIR), appended to at each erasure with one line: the time and the person's
keyed hash (`email_hash`, HMAC-SHA256 under PERSON_HASH_KEY), never the address. A
database restore does not roll it back, so after one, `manage.py erasures_reapply`
erases again everyone in it (privacy/services/erasures.py).

The line is written and flushed to disk inside the erasure's transaction, before its
commit: a ledger that cannot be written (a full disk, an unmounted volume) rolls the
erasure back with the error, rather than leaving an erasure that a restore would undo
without a trace. The other way round, an erasure whose commit then fails leaves a hash
in the ledger; the next reapply erases a person who asked to be erased.
"""

import fcntl
import os
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone


def ledger_path() -> Path:
    return Path(settings.ERASURE_LEDGER_PATH)


def ledger_hashes() -> set[str]:
    """Every hash recorded, each once ({} when nothing was ever erased)."""
    return set(ledger_entries())


def ledger_entries() -> dict[str, datetime | None]:
    """Every hash recorded, with when it was first erased: None when the line's time
    cannot be read (a line a full disk cut short, and the next one appended to it),
    which still counts the hash."""
    try:
        text = ledger_path().read_text()
    except FileNotFoundError:
        return {}
    entries: dict[str, datetime | None] = {}
    for line in text.splitlines():
        if line.strip():
            words = line.split()
            entries.setdefault(words[-1], erasure_time(words[0]) if len(words) > 1 else None)
    return entries


def erasure_time(written: str) -> datetime | None:
    try:
        erased_at = datetime.fromisoformat(written)
    except ValueError:
        return None
    return erased_at if erased_at.tzinfo is not None else erased_at.replace(tzinfo=UTC)


def erasure_record(person_hash: str) -> None:
    """Append the hash unless it is there already (an erasure done again, its
    finishing step, a reapply). Several processes may erase at once: the lock makes
    the look and the append one step; O_APPEND keeps each line whole."""
    path = ledger_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "r+") as ledger:
        fcntl.flock(ledger, fcntl.LOCK_EX)
        ledger.seek(0)
        if any(line.split()[-1:] == [person_hash] for line in ledger):
            return
        ledger.write(f"{timezone.now().isoformat(timespec='seconds')} {person_hash}\n")
        ledger.flush()
        os.fsync(ledger.fileno())
