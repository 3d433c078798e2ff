"""Issue 21, finding 9: a backup is private from its first byte and a failed one leaves
nothing; restore refuses a file that is not a Cadence backup of a schema this code knows.
(The round trips on both engines are in test_backup.py.)"""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from cadence.security import backups
from cadence.security.backups import BackupError, backup, restore

pytestmark = pytest.mark.django_db
#: A real backup reads the database outside a test transaction (the online backup of a
#: connection with an open write transaction waits for it).
committed = pytest.mark.django_db(transaction=True)


@committed
def test_the_backup_file_is_0600_from_the_first_byte(tmp_path, monkeypatch):
    seen = {}
    real = backups._write_backup

    def spy(path, database):
        seen["mode"] = stat.S_IMODE(os.stat(path).st_mode)
        seen["size"] = os.stat(path).st_size
        real(path, database)

    monkeypatch.setattr(os, "umask", os.umask)  # the real one, restored after the call
    previous = os.umask(0o022)  # a permissive umask, as a shell's default
    try:
        monkeypatch.setattr(backups, "_write_backup", spy)
        written = backup(tmp_path / "cadence.bak")
    finally:
        os.umask(previous)
    assert seen == {"mode": 0o600, "size": 0}
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["cadence.bak"]


def test_a_failed_backup_leaves_nothing(tmp_path, monkeypatch):
    def half_written(path, database):
        path.write_bytes(b"SQLite format 3\x00 half of the patients")
        raise BackupError("disk full")

    monkeypatch.setattr(backups, "_write_backup", half_written)
    with pytest.raises(BackupError):
        backup(tmp_path / "cadence.bak")
    assert list(tmp_path.iterdir()) == []


def test_restore_refuses_a_file_that_is_not_a_database(tmp_path):
    text = tmp_path / "notes.bak"
    text.write_text("not a backup at all\n" * 100)
    with pytest.raises(BackupError, match="not a Cadence backup"):
        restore(text)


def test_restore_refuses_a_database_that_is_not_cadence(tmp_path):
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    with pytest.raises(BackupError, match="not a Cadence backup"):
        restore(other)


@committed
def test_restore_refuses_a_backup_of_a_newer_schema(tmp_path, monkeypatch):
    """On either engine: a backup whose migrations this code does not know is refused
    before anything is overwritten (this release is made to forget its newest migration)."""
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from cadence.patients.models import Patient

    path = backup(tmp_path / "cadence.bak")
    known = backups._known_migrations("default")
    applied = set(MigrationRecorder(connection).applied_migrations())
    newest = max(m for m in applied if m[0] == "patients")
    monkeypatch.setattr(backups, "_known_migrations", lambda database: known - {newest})
    before = Patient.objects.count()
    with pytest.raises(BackupError, match="newer than this release") as refused:
        restore(path)
    assert f"patients.{newest[1]}" in str(refused.value)
    assert Patient.objects.count() == before


def test_the_migrations_of_a_pg_dump_are_read_from_its_copy_block():
    dump = (
        "SET statement_timeout = 0;\n"
        "COPY public.django_migrations (id, app, name, applied) FROM stdin;\n"
        "1\tpatients\t0001_initial\t2026-01-01 00:00:00+00\n"
        "2\tpatients\t9999_from_the_future\t2030-01-01 00:00:00+00\n"
        "\\.\n"
    )
    assert backups._applied_in_pg_dump(dump) == {
        ("patients", "0001_initial"),
        ("patients", "9999_from_the_future"),
    }
