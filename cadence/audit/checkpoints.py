"""Signed checkpoints of the audit trail, kept outside the database.

A checkpoint is one JSON line, `{"v": 1, "count": N, "head": HASH, "at": TIME, "mac": MAC}`:
the number of entries, the newest entry's hash, when it was taken (UTC), and an
HMAC-SHA256 over them under settings.CADENCE_AUDIT_KEY. Lines are appended to the file
named by settings.CADENCE_AUDIT_CHECKPOINTS (O_APPEND, mode 0600, one write per line) by
the worker's `audit_checkpoint_write` task and `manage.py audit_checkpoint`, and
optionally sent to syslog (settings.CADENCE_AUDIT_CHECKPOINT_SYSLOG).

Someone with only database access cannot take the trail back behind a checkpoint:
`manage.py verify_audit` finds the trail shorter than the newest checkpoint says, or a
different entry at its count (a wipe followed by new entries). Without the key nobody can
write a line that verifies.
"""

from __future__ import annotations

import hmac
import json
import logging.handlers
import os
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cadence.audit.models import AuditChainHead, AuditEvent, audit_mac, head_mac_matches
from cadence.audit.services import ChainProblem

CHECKPOINT_VERSION = 1


class CheckpointRefused(Exception):
    """No checkpoint is written: the chain head does not verify under the audit key."""


@dataclass(frozen=True)
class Checkpoint:
    count: int
    head: str
    at: str
    line: int = 0  # where it is in the file (1-based), 0 when not read from one

    def signed_message(self) -> str:
        return f"cadence-audit-checkpoint|v{CHECKPOINT_VERSION}|{self.count}|{self.head}|{self.at}"

    def mac(self) -> str:
        return audit_mac(self.signed_message())

    def as_line(self) -> str:
        record = {
            "v": CHECKPOINT_VERSION,
            "count": self.count,
            "head": self.head,
            "at": self.at,
            "mac": self.mac(),
        }
        return json.dumps(record, separators=(",", ":")) + "\n"

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"checkpoint ({where}{self.at}: {self.count} entries, head {self.head[:12]})"


def checkpoint_path() -> Path | None:
    configured = str(getattr(settings, "CADENCE_AUDIT_CHECKPOINTS", "") or "")
    return Path(configured) if configured else None


def checkpoint_take() -> Checkpoint | None:
    """The trail's state now (count and head hash) as a checkpoint, or None when the trail
    is empty. Refuses (CheckpointRefused) to sign a head whose MAC does not verify."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.entry_count == 0:
        return None
    if not head_mac_matches(head.last_hash, head.entry_count, head.mac):
        raise CheckpointRefused(
            "The audit chain head's MAC does not verify: no checkpoint written. "
            "Run `manage.py verify_audit`."
        )
    return Checkpoint(
        count=int(head.entry_count),
        head=head.last_hash,
        at=timezone.now().astimezone(UTC).isoformat(timespec="seconds"),
    )


def checkpoint_append(checkpoint: Checkpoint, path: Path) -> None:
    """Append one line: O_APPEND (never rewrites what is there), created 0600, synced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, checkpoint.as_line().encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _syslog_address(address: str) -> str | tuple[str, int]:
    host, sep, port = address.rpartition(":")
    if sep and port.isdigit() and not address.startswith("/"):
        return (host, int(port))
    return address


def checkpoint_to_syslog(checkpoint: Checkpoint, address: str) -> None:
    handler = logging.handlers.SysLogHandler(
        address=_syslog_address(address), facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV
    )
    try:
        record = logging.LogRecord(
            "cadence.audit.checkpoint",
            logging.INFO,
            __file__,
            0,
            "cadence-audit-checkpoint %s",
            (checkpoint.as_line().strip(),),
            None,
        )
        handler.emit(record)
    finally:
        handler.close()


def checkpoint_write(*, path: Path | None = None) -> Checkpoint | None:
    """Take a checkpoint and append it to the checkpoint file (and syslog if configured).
    Returns it, or None when the trail is empty or no file is configured."""
    path = path or checkpoint_path()
    if path is None:
        return None
    checkpoint = checkpoint_take()
    if checkpoint is None:
        return None
    checkpoint_append(checkpoint, path)
    syslog = str(getattr(settings, "CADENCE_AUDIT_CHECKPOINT_SYSLOG", "") or "")
    if syslog:
        checkpoint_to_syslog(checkpoint, syslog)
    return checkpoint


def _parsed(number: int, text: str) -> Checkpoint | ChainProblem:
    try:
        record = json.loads(text)
        checkpoint = Checkpoint(
            count=int(record["count"]), head=str(record["head"]), at=str(record["at"]), line=number
        )
        version, mac = record["v"], str(record["mac"])
    except (ValueError, TypeError, KeyError) as error:
        return ChainProblem(None, f"checkpoint line {number} is not a checkpoint ({error})")
    if version != CHECKPOINT_VERSION or not hmac.compare_digest(checkpoint.mac(), mac):
        return ChainProblem(
            None,
            f"checkpoint line {number}: its MAC does not verify (forged or altered line, or "
            "a different audit key)",
        )
    return checkpoint


def checkpoints_read(path: Path) -> tuple[list[Checkpoint], list[ChainProblem]]:
    """The checkpoints in the file whose MAC verifies, and a problem for every other line."""
    checkpoints: list[Checkpoint] = []
    problems: list[ChainProblem] = []
    if not path.exists():
        return checkpoints, problems
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            parsed = _parsed(number, text)
            (checkpoints if isinstance(parsed, Checkpoint) else problems).append(parsed)
    return checkpoints, problems


def newest_checkpoint(checkpoints: list[Checkpoint]) -> Checkpoint | None:
    """The checkpoint that says the most (the highest count; the latest line of equals)."""
    return max(checkpoints, key=lambda c: (c.count, c.line), default=None)


def checkpoint_problems(checkpoint: Checkpoint) -> list[ChainProblem]:
    """Whether the trail still holds what the checkpoint says: at least `count` entries,
    the count-th of them (in order of writing) having the checkpoint's hash."""
    if checkpoint.count <= 0:
        return []
    present = AuditEvent.objects.count()
    if present < checkpoint.count:
        return [
            ChainProblem(
                None,
                f"the trail is shorter than a checkpoint says: {present} entries present, "
                f"the {checkpoint} counted {checkpoint.count} (entries were removed)",
            )
        ]
    rows = AuditEvent.objects.order_by("id").values_list("id", "entry_hash")
    at_count = next(iter(rows[checkpoint.count - 1 : checkpoint.count]), None)
    if at_count is None or not hmac.compare_digest(at_count[1], checkpoint.head):
        return [
            ChainProblem(
                at_count[0] if at_count else None,
                f"entry number {checkpoint.count} does not have the hash the {checkpoint} "
                "recorded (the trail was replaced or rewritten)",
            )
        ]
    return []
