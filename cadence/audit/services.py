"""Writing to the audit trail. Call `audit_record` in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from cadence.audit.models import AuditAction, AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor,
    action: AuditAction | str,
    summary: str,
    patient=None,
    patient_id: int | None = None,
    obj=None,
    object_type: str = "",
    object_id: str | int = "",
    details: dict[str, Any] | None = None,
    request=None,
) -> AuditEvent:
    """Append one entry to the hash-chained audit trail.

    `actor` is a user or None (anonymous/system); `patient` (or `patient_id`) names whose
    record was touched; `obj` names the object (its model label and pk are stored).
    """
    if patient is not None:
        patient_id = patient.pk
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head, _ = AuditChainHead.objects.get_or_create(
                pk=1, defaults={"last_hash": GENESIS_HASH, "entry_count": 0}
            )
        user = actor if getattr(actor, "is_authenticated", False) else None
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor=user,
            actor_username=user.get_username() if user else "",
            actor_role=getattr(user, "role", "") if user else "",
            action=str(action),
            patient_id_ref=patient_id,
            object_type=object_type,
            object_id=str(object_id or ""),
            summary=summary[:200],
            details=details or {},
            ip_address=client_ip(request),
            prev_hash=head.last_hash,
        )
        event.entry_hash = event.compute_hash()
        event.save()
        AuditChainHead.objects.filter(pk=1).update(
            last_hash=event.entry_hash, entry_count=head.entry_count + 1
        )
    return event


def verify_chain() -> list[str]:
    """Return the problems found in the chain (empty when intact)."""
    problems: list[str] = []
    expected_prev = GENESIS_HASH
    count = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if event.prev_hash != expected_prev:
            problems.append(f"entry {event.pk}: previous-hash link broken (an entry was removed or altered before it)")
        if event.compute_hash() != event.entry_hash:
            problems.append(f"entry {event.pk}: contents do not match its hash (edited)")
        expected_prev = event.entry_hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None:
        if head.last_hash != expected_prev:
            problems.append("the newest entries were removed: chain head does not match the last entry")
        if head.entry_count != count:
            problems.append(f"chain head counts {head.entry_count} entries but {count} are present")
    elif count:
        problems.append("chain head is missing")
    return problems
