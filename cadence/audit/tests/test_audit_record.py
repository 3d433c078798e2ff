"""audit_record appends to the hash chain in the caller's transaction (no savepoint of
its own), and on its own in a transaction of its own."""

import pytest
from django.db import connection, transaction

from cadence.audit.models import AuditAction, AuditChainHead, AuditEvent
from cadence.audit.services import GENESIS_HASH, audit_record, verify_chain

pytestmark = pytest.mark.django_db


def test_entries_chain_and_the_head_follows(clinician):
    first = audit_record(actor=clinician, action=AuditAction.VIEW, summary="one")
    second = audit_record(actor=clinician, action=AuditAction.CHANGE, summary="two")
    head = AuditChainHead.objects.get(pk=1)
    assert second.prev_hash == first.entry_hash
    assert head.last_hash == second.entry_hash
    assert head.entry_count == AuditEvent.objects.count()
    assert verify_chain() == []


def test_it_starts_the_chain_when_the_head_row_is_missing(clinician):
    AuditChainHead.objects.all().delete()
    assert not AuditEvent.objects.exists()  # a fresh trail
    event = audit_record(actor=clinician, action=AuditAction.VIEW, summary="first")
    assert event.prev_hash == GENESIS_HASH
    assert AuditChainHead.objects.get(pk=1).entry_count == 1


def test_an_entry_rolls_back_with_the_change_it_records(clinician):
    before = AuditEvent.objects.count()
    head_before = (
        AuditChainHead.objects.filter(pk=1).values_list("last_hash", "entry_count").first()
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=clinician, action=AuditAction.CHANGE, summary="doomed")
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == before
    assert (
        AuditChainHead.objects.filter(pk=1).values_list("last_hash", "entry_count").first()
        == head_before
    )
    assert verify_chain() == []


@pytest.mark.parametrize(
    "returning",
    [
        True,
        # Without RETURNING the id comes from the cursor's lastrowid: SQLite before 3.35 only
        # (PostgreSQL always returns it).
        pytest.param(
            False, marks=pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite path")
        ),
    ],
)
def test_the_stored_entry_is_the_one_returned(clinician, patient, monkeypatch, returning):
    from cadence.audit import services

    monkeypatch.setattr(services, "_insert_returns_id", lambda: returning)
    event = audit_record(
        actor=clinician,
        action=AuditAction.EXPORT,
        summary="export",
        patient=patient,
        details={"rows": 3, "on": "2026-01-01"},
        object_type="diary.diaryday",
        object_id=7,
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (
        stored.entry_hash,
        stored.prev_hash,
        stored.summary,
        stored.details,
        stored.actor_id,
    ) == (
        event.entry_hash,
        event.prev_hash,
        "export",
        {"rows": 3, "on": "2026-01-01"},
        clinician.pk,
    )
    assert stored.patient_id_ref == patient.pk and stored.object_id == "7"
    assert stored.compute_hash() == stored.entry_hash
    assert verify_chain() == []
