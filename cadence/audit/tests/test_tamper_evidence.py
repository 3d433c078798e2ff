"""Issue 21, finding 1: with database access one could shorten or wipe the audit trail and
`verify_audit` said "intact". These tests do exactly that on the test database (drop the
delete guard, delete, set the head, restore the guard) and `verify_audit` must fail."""

from __future__ import annotations

from importlib import import_module
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from cadence.audit.checkpoints import checkpoint_write
from cadence.audit.guard import triggers_present
from cadence.audit.models import AuditAction, AuditChainHead, AuditEvent, head_mac
from cadence.audit.services import audit_record

pytestmark = pytest.mark.django_db

GUARD = import_module("cadence.audit.migrations.0003_append_only_triggers")


@pytest.fixture
def checkpoint_file(settings, tmp_path):
    path = tmp_path / "audit-checkpoints.jsonl"
    settings.CADENCE_AUDIT_CHECKPOINTS = str(path)
    return path


def entries(actor, n):
    return [
        audit_record(actor=actor, action=AuditAction.VIEW, summary=f"Viewed record {i}")
        for i in range(n)
    ]


def drop_the_guard():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in ("audit_event_no_update", "audit_event_no_delete", "audit_head_no_delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent")
            cursor.execute("DROP TRIGGER IF EXISTS audit_head_no_delete ON audit_auditchainhead")
    assert not triggers_present(connection)


def restore_the_guard():
    statements = GUARD.SQLITE_INSTALL if connection.vendor == "sqlite" else GUARD.POSTGRES_INSTALL
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    assert triggers_present(connection)
    if AuditEvent.objects.exists():  # the guard refuses deletes again
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.all().delete()


def head_row() -> tuple[str, int, str]:
    return AuditChainHead.objects.values_list("last_hash", "entry_count", "mac").get(pk=1)


def set_head(last_hash: str, entry_count: int, mac: str | None = None) -> None:
    """What an attacker with database access does: an UPDATE of the head row (the MAC
    left as it was, unless they replay one they saw earlier)."""
    fields = {"last_hash": last_hash, "entry_count": entry_count}
    if mac is not None:
        fields["mac"] = mac
    AuditChainHead.objects.filter(pk=1).update(**fields)


def verify_ok() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out, stderr=StringIO())
    return out.getvalue()


def verify_fails() -> tuple[str, str]:
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("verify_audit", stdout=StringIO(), stderr=err)
    assert raised.value.returncode == 1
    return str(raised.value), err.getvalue()


def truncate_newest(n: int) -> None:
    """Drop the guard, delete the newest `n` entries, set the head to the last remaining
    entry's hash and count, restore the guard."""
    drop_the_guard()
    newest = list(AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:n])
    AuditEvent.objects.filter(id__in=newest).delete()
    remaining = AuditEvent.objects.order_by("-id").values_list("entry_hash", flat=True)
    set_head(remaining.first(), AuditEvent.objects.count())
    restore_the_guard()


def wipe() -> None:
    """Drop the guard, delete every entry and the head, restore the guard."""
    drop_the_guard()
    AuditEvent.objects.all().delete()
    AuditChainHead.objects.all().delete()
    restore_the_guard()
    assert not AuditEvent.objects.exists() and not AuditChainHead.objects.exists()


# ------------------------------------------------------------------ the head's MAC
def test_the_head_is_sealed_with_a_mac_over_its_hash_and_count(clinician):
    events = entries(clinician, 3)
    last_hash, count, mac = head_row()
    assert (last_hash, count) == (events[-1].entry_hash, AuditEvent.objects.count())
    assert mac == head_mac(last_hash, count) and len(mac) == 64
    assert "intact" in verify_ok()


def test_truncation_with_the_head_reset_is_detected_by_the_head_mac(clinician):
    entries(clinician, 6)
    before = AuditEvent.objects.count()
    truncate_newest(2)
    assert AuditEvent.objects.count() == before - 2
    message, errors = verify_fails()
    assert "Audit trail tampered" in message
    assert "the chain head's MAC does not verify" in errors


def test_a_changed_key_fails_the_head_too(clinician, settings):
    entries(clinician, 2)
    settings.CADENCE_AUDIT_KEY = "not the key the trail was written with"
    _, errors = verify_fails()
    assert "contents do not match its hash" in errors
    assert "the chain head's MAC does not verify" in errors


# ------------------------------------------------------------------ against checkpoints
def test_truncation_is_detected_against_the_checkpoint(clinician, checkpoint_file):
    entries(clinician, 6)
    checkpoint = checkpoint_write()
    assert checkpoint.count == AuditEvent.objects.count()
    truncate_newest(2)
    message, errors = verify_fails()
    assert "the trail is shorter than a checkpoint says" in errors
    assert f"{checkpoint.count - 2} entries present" in errors
    assert f"counted {checkpoint.count}" in errors
    assert "the chain head's MAC does not verify" in errors


def test_a_replayed_older_head_is_detected_by_the_checkpoint(clinician, checkpoint_file):
    """The head's MAC alone cannot tell a head row saved earlier and put back (a replay):
    the checkpoint written since can."""
    entries(clinician, 4)
    older_head = head_row()
    entries(clinician, 2)
    checkpoint_write()
    drop_the_guard()
    newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:2]
    AuditEvent.objects.filter(id__in=list(newest)).delete()
    set_head(*older_head)
    restore_the_guard()
    message, errors = verify_fails()
    assert "the chain head's MAC does not verify" not in errors  # a genuine, older head
    assert "the trail is shorter than a checkpoint says" in errors


def test_a_wipe_is_detected_against_the_checkpoint(clinician, checkpoint_file):
    entries(clinician, 3)
    checkpoint = checkpoint_write()
    wipe()
    message, errors = verify_fails()
    assert f"0 entries present, the checkpoint (line 1, {checkpoint.at}" in errors
    assert "none (the newest entries, the head or the checkpoints)" in message


def test_a_wipe_and_a_new_trail_is_detected_against_the_checkpoint(clinician, checkpoint_file):
    entries(clinician, 3)
    checkpoint = checkpoint_write()
    wipe()
    entries(clinician, checkpoint.count + 2)  # a fresh chain, longer than the checkpoint
    _, errors = verify_fails()
    assert f"entry number {checkpoint.count} does not have the hash" in errors


def test_an_intact_trail_verifies_against_its_checkpoint(clinician, checkpoint_file):
    entries(clinician, 3)
    checkpoint = checkpoint_write()
    entries(clinician, 2)  # the trail grows after the checkpoint: fine
    output = verify_ok()
    assert f"Audit trail intact: {checkpoint.count + 2} entries" in output
    assert f"the newest checkpoint (line 1, {checkpoint.at}" in output


def test_without_checkpoints_verify_says_so(clinician, checkpoint_file, settings):
    entries(clinician, 1)
    assert f"no checkpoint yet in {checkpoint_file}" in verify_ok()
    settings.CADENCE_AUDIT_CHECKPOINTS = ""
    assert "no checkpoint file is configured" in verify_ok()


def test_the_migration_seals_an_existing_head(clinician):
    """Migration audit/0004 seals the head a trail had before the MAC existed."""
    entries(clinician, 2)
    AuditChainHead.objects.filter(pk=1).update(mac="")
    assert "the chain head's MAC does not verify" in verify_fails()[1]
    migration = import_module("cadence.audit.migrations.0004_chain_head_mac")
    migration.seal_head(apps, SimpleNamespace(connection=connection))
    last_hash, count, mac = head_row()
    assert mac == head_mac(last_hash, count)
    assert "intact" in verify_ok()
