"""Writing to the audit trail. Call `audit_record` in the same transaction as the change.

Every entry records who (actor, username and role at the time), which patient, what
(action, object, summary, details), when (UTC) and from where (client IP, see
cadence.security.network). Entries are append-only and chained by HMAC-SHA256; the
chain head row serialises appends (a row lock on PostgreSQL, the write lock of an
IMMEDIATE transaction on SQLite); the head carries a MAC over its hash and count, so
it cannot be set back without the audit key. `verify_chain` finds edited, removed or
inserted entries and a head set without the key; cadence.audit.checkpoints anchors the
trail outside the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from cadence.audit.models import (
    AuditAction,
    AuditChainHead,
    AuditEvent,
    head_mac,
    head_mac_matches,
)
from cadence.security.network import client_ip as _client_ip

GENESIS_HASH = "0" * 64
SUMMARY_MAX = 200
#: The actions an entry may record (computed once: `AuditAction.values` builds a new
#: list on every call).
AUDIT_ACTIONS = frozenset(AuditAction.values)


def client_ip(request) -> str | None:
    return _client_ip(request)


def _normalised_details(details: dict[str, Any] | None) -> dict[str, Any]:
    """What the JSON column will give back when read (so the hash verifies later)."""
    if not details:
        return {}
    if not isinstance(details, dict):
        details = {"value": details}
    return json.loads(json.dumps(details, default=str))


@cache
def _head_sql(vendor: str) -> tuple[str, str]:
    """(lock-and-read, update) statements of the chain head row, built once per
    database vendor: plain SQL, because compiling the ORM queries cost several times
    more CPU than running them on this hot path (every audited request)."""
    qn = connection.ops.quote_name
    table = qn(AuditChainHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return (
        f"SELECT {qn('last_hash')}, {qn('entry_count')} FROM {table} WHERE {qn('id')} = 1{lock}",
        f"UPDATE {table} SET {qn('last_hash')} = %s, {qn('entry_count')} = %s, "
        f"{qn('mac')} = %s WHERE {qn('id')} = 1",
    )


def _head_statements() -> tuple[str, str]:
    return _head_sql(connection.vendor)


#: Text fields: their `get_db_prep_save` gives back a str unchanged on every backend,
#: so the insert binds str values as they are. Every other field (date-times, JSON, IP
#: addresses, integers, which psycopg 3 wraps), and any value that is not a str, is
#: prepared by its field exactly as Model.save would.
_PLAIN_FIELDS = (models.CharField, models.TextField)


@cache
def _event_insert(vendor: str, returning: bool) -> tuple[str, tuple]:
    """The INSERT of one entry and, for each value it binds, (attname, field or None
    when the value goes in as it is), built once (as the head's)."""
    qn = connection.ops.quote_name
    fields = tuple(field for field in AuditEvent._meta.concrete_fields if not field.primary_key)
    sql = (
        f"INSERT INTO {qn(AuditEvent._meta.db_table)} "
        f"({', '.join(qn(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if returning:
        sql += f" RETURNING {qn(AuditEvent._meta.pk.column)}"
    binds = tuple(
        (field.attname, None if isinstance(field, _PLAIN_FIELDS) else field) for field in fields
    )
    return sql, binds


def _insert_returns_id() -> bool:
    """INSERT ... RETURNING: PostgreSQL, and SQLite from 3.35."""
    return connection.features.can_return_columns_from_insert


def _insert_event(event: AuditEvent) -> None:
    """INSERT a new entry (never an update: entries are append-only), each value
    prepared by its model field exactly as Model.save would (a str of a text field is
    what its field would give, so it is bound as it is), and set its id."""
    returning = _insert_returns_id()
    sql, binds = _event_insert(connection.vendor, returning)
    params = []
    for attname, field in binds:
        value = getattr(event, attname)
        if field is not None or type(value) is not str:
            field = field or AuditEvent._meta.get_field(attname)
            value = field.get_db_prep_save(field.pre_save(event, True), connection)
        params.append(value)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            event.pk = cursor.fetchone()[0]
        else:
            event.pk = connection.ops.last_insert_id(
                cursor, AuditEvent._meta.db_table, AuditEvent._meta.pk.column
            )
    event._state.adding = False
    event._state.db = connection.alias


#: The entry's fields in the order Model.__init__ takes them positionally (which, unlike
#: keywords, skips the per-field default and descriptor lookups).
_EVENT_ATTNAMES = tuple(field.attname for field in AuditEvent._meta.concrete_fields)
_ACTOR = AuditEvent._meta.get_field("actor")


def _new_event(**values) -> AuditEvent:
    """An unsaved entry with these values (by attname; the id and the hash None)."""
    return AuditEvent(*(values.get(attname) for attname in _EVENT_ATTNAMES))


def _locked_head() -> tuple[str, int] | None:
    """(last_hash, entry_count) of the chain head, row-locked until the transaction ends
    (SQLite: the IMMEDIATE transaction already holds the database's write lock)."""
    with connection.cursor() as cursor:
        cursor.execute(_head_statements()[0])
        row = cursor.fetchone()
    return (row[0], int(row[1])) if row else None


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
    action = str(action)
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if patient is not None:
        patient_id = patient.pk
    if patient_id is not None:
        patient_id = int(patient_id)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    user = actor if getattr(actor, "is_authenticated", False) else None
    # savepoint=False: inside the caller's transaction the entry stands or falls with
    # the change it records (no SAVEPOINT/RELEASE round trips); on its own it is still
    # one transaction.
    with transaction.atomic(savepoint=False):
        # Lock the head and read it in one statement, without building a model instance.
        head = _locked_head()
        if head is None:
            AuditChainHead.objects.get_or_create(
                pk=1,
                defaults={
                    "last_hash": GENESIS_HASH,
                    "entry_count": 0,
                    "mac": head_mac(GENESIS_HASH, 0),
                },
            )
            head = _locked_head()
        last_hash, entry_count = head
        event = _new_event(
            occurred_at=timezone.now(),
            actor_id=user.pk if user else None,
            actor_username=user.get_username()[:150] if user else "",
            actor_role=(getattr(user, "role", "") or "")[:16] if user else "",
            action=action,
            patient_id_ref=patient_id,
            object_type=str(object_type)[:60],
            object_id=str(object_id or "")[:64],
            summary=str(summary)[:SUMMARY_MAX],
            details=_normalised_details(details),
            ip_address=client_ip(request),
            prev_hash=last_hash,
        )
        if user:
            _ACTOR.set_cached_value(event, user)
        event.entry_hash = event.compute_hash()
        _insert_event(event)
        # The head's MAC is computed here, in the same UPDATE: no extra statement.
        entry_count += 1
        with connection.cursor() as cursor:
            cursor.execute(
                _head_statements()[1],
                [event.entry_hash, entry_count, head_mac(event.entry_hash, entry_count)],
            )
    return event


def audit_view(request, *, summary: str, patient=None, **fields) -> AuditEvent:
    """Record that the signed-in user of `request` viewed patient data (a page or an API
    read). `fields` are `audit_record`'s other keywords (`obj`, `details`, ...)."""
    return audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        summary=summary,
        patient=patient,
        request=request,
        **fields,
    )


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int | None
    message: str

    def __str__(self) -> str:
        return f"entry {self.entry_id}: {self.message}" if self.entry_id else self.message


def verify_chain_problems() -> list[ChainProblem]:
    """Every break of the chain, naming the entry where it shows."""
    problems: list[ChainProblem] = []
    expected_prev = GENESIS_HASH
    count = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if event.prev_hash != expected_prev:
            problems.append(
                ChainProblem(
                    event.pk,
                    "previous-hash link broken (the entry before it was removed, altered or inserted)",
                )
            )
        if event.compute_hash() != event.entry_hash:
            problems.append(ChainProblem(event.pk, "contents do not match its hash (edited)"))
        expected_prev = event.entry_hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None:
        if not head_mac_matches(head.last_hash, head.entry_count, head.mac):
            problems.append(
                ChainProblem(
                    None,
                    "the chain head's MAC does not verify: the head was set without the audit "
                    "key (e.g. to an earlier entry after the newest were deleted), or "
                    "CADENCE_AUDIT_KEY is not the key the trail was written with",
                )
            )
        if head.last_hash != expected_prev:
            problems.append(
                ChainProblem(
                    None,
                    "the newest entries were removed: the chain head does not match the last entry",
                )
            )
        if head.entry_count != count:
            problems.append(
                ChainProblem(
                    None,
                    f"the chain head counts {head.entry_count} entries but {count} are present",
                )
            )
    elif count:
        problems.append(ChainProblem(None, "the chain head is missing"))
    return problems


def verify_chain() -> list[str]:
    """Return the problems found in the chain (empty when intact)."""
    return [str(problem) for problem in verify_chain_problems()]
