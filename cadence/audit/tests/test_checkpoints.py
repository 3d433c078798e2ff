"""Signed checkpoints outside the database (contract: "Audit checkpoints, version 1.1"):
written by `manage.py audit_checkpoint` and the worker's task, appended 0600, and checked
by `verify_audit`, which rejects a line whose MAC does not verify."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import stat
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cadence.audit.checkpoints import (
    Checkpoint,
    CheckpointRefused,
    checkpoint_write,
    checkpoints_read,
)
from cadence.audit.models import AuditAction, AuditChainHead, AuditEvent
from cadence.audit.services import audit_record
from cadence.audit.tasks import audit_checkpoint_write

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpoint_file(settings, tmp_path):
    path = tmp_path / "var" / "audit-checkpoints.jsonl"
    settings.CADENCE_AUDIT_CHECKPOINTS = str(path)
    return path


def entries(actor, n):
    for i in range(n):
        audit_record(actor=actor, action=AuditAction.VIEW, summary=f"Viewed record {i}")


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def verify_fails() -> tuple[str, str]:
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("verify_audit", stdout=StringIO(), stderr=err)
    assert raised.value.returncode == 1
    return str(raised.value), err.getvalue()


def test_the_command_appends_a_signed_line_mode_0600(clinician, checkpoint_file):
    entries(clinician, 2)
    out = StringIO()
    call_command("audit_checkpoint", stdout=out)
    assert "Wrote checkpoint" in out.getvalue()
    assert stat.S_IMODE(checkpoint_file.stat().st_mode) == 0o600
    entries(clinician, 1)
    call_command("audit_checkpoint", stdout=StringIO())
    first, second = lines(checkpoint_file)  # appended, the first kept as it was
    head = AuditChainHead.objects.get(pk=1)
    assert second["count"] == first["count"] + 1 == head.entry_count
    assert second["head"] == head.last_hash
    assert set(second) == {"v", "count", "head", "at", "mac"} and second["v"] == 1
    assert second["at"].endswith("+00:00")
    checkpoints, problems = checkpoints_read(checkpoint_file)
    assert problems == [] and [c.count for c in checkpoints] == [first["count"], second["count"]]


def test_the_worker_task_writes_one(clinician, checkpoint_file):
    entries(clinician, 1)
    result = audit_checkpoint_write.enqueue()  # tests run tasks inline
    assert "checkpoint" in str(result.return_value)
    assert lines(checkpoint_file)[0]["count"] == AuditEvent.objects.count()
    call_command("audit_checkpoint", "--enqueue", stdout=StringIO())
    assert len(lines(checkpoint_file)) == 2


def test_an_empty_trail_or_no_file_writes_nothing(clinician, checkpoint_file, settings):
    AuditChainHead.objects.all().delete()  # a fresh trail (no entries yet in this test)
    assert not AuditEvent.objects.exists()
    assert checkpoint_write() is None and not checkpoint_file.exists()
    settings.CADENCE_AUDIT_CHECKPOINTS = ""
    entries(clinician, 1)
    assert checkpoint_write() is None
    with pytest.raises(CommandError, match="CADENCE_AUDIT_CHECKPOINTS"):
        call_command("audit_checkpoint", stdout=StringIO())


def test_a_head_set_without_the_key_is_not_signed(clinician, checkpoint_file):
    entries(clinician, 3)
    AuditChainHead.objects.filter(pk=1).update(entry_count=2)
    with pytest.raises(CheckpointRefused):
        checkpoint_write()
    with pytest.raises(CommandError, match="MAC does not verify"):
        call_command("audit_checkpoint", stdout=StringIO())
    assert not checkpoint_file.exists()


def test_a_forged_checkpoint_line_is_rejected(clinician, checkpoint_file):
    entries(clinician, 2)
    checkpoint_write()
    genuine = lines(checkpoint_file)[0]
    # Forged without the key: a plain SHA-256, and an HMAC under another key.
    forged = dict(genuine, count=genuine["count"] + 1, at="2099-01-01T00:00:00+00:00")
    message = f"cadence-audit-checkpoint|v1|{forged['count']}|{forged['head']}|{forged['at']}"
    forged_sha = dict(forged, mac=hashlib.sha256(message.encode()).hexdigest())
    forged_hmac = dict(
        forged, mac=hmac.new(b"guessed key", message.encode(), hashlib.sha256).hexdigest()
    )
    with checkpoint_file.open("a") as out:
        for line in (forged_sha, forged_hmac):
            out.write(json.dumps(line) + "\n")
    message, errors = verify_fails()
    assert "checkpoint line 2: its MAC does not verify" in errors
    assert "checkpoint line 3: its MAC does not verify" in errors
    assert "shorter" not in errors  # the forged count is not believed
    checkpoints, problems = checkpoints_read(checkpoint_file)
    assert [c.line for c in checkpoints] == [1] and len(problems) == 2


def test_an_altered_line_or_garbage_is_rejected(clinician, checkpoint_file):
    entries(clinician, 2)
    checkpoint_write()
    genuine = lines(checkpoint_file)[0]
    altered = dict(genuine, count=genuine["count"] - 1)
    checkpoint_file.write_text(json.dumps(altered) + "\nnot json\n")
    _, errors = verify_fails()
    assert "checkpoint line 1: its MAC does not verify" in errors
    assert "checkpoint line 2 is not a checkpoint" in errors


def test_verify_uses_the_newest_checkpoint(clinician, checkpoint_file):
    entries(clinician, 2)
    checkpoint_write()
    entries(clinician, 2)
    newest = checkpoint_write()
    out = StringIO()
    call_command("verify_audit", stdout=out, stderr=StringIO())
    assert f"the newest checkpoint (line 2, {newest.at}: {newest.count} entries" in out.getvalue()


def test_a_checkpoint_line_round_trips():
    checkpoint = Checkpoint(count=7, head="ab" * 32, at="2026-01-02T03:04:05+00:00")
    line = checkpoint.as_line()
    assert line.endswith("\n") and line.count("\n") == 1
    assert json.loads(line)["mac"] == checkpoint.mac()


def test_checkpoints_can_also_go_to_syslog(clinician, checkpoint_file, settings):
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    settings.CADENCE_AUDIT_CHECKPOINT_SYSLOG = f"127.0.0.1:{receiver.getsockname()[1]}"
    try:
        entries(clinician, 1)
        checkpoint = checkpoint_write()
        datagram = receiver.recv(4096).decode()
    finally:
        receiver.close()
    assert "cadence-audit-checkpoint" in datagram
    assert checkpoint.mac() in datagram
    assert lines(checkpoint_file)[0]["mac"] == checkpoint.mac()  # and the file as well
