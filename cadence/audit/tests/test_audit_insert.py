"""The audit entry is built and inserted without the ORM's per-call work (issue 20: the
diary write's CPU); what is stored is what Model.save would store, and the chain holds."""

from decimal import Decimal

import pytest
from django.test import RequestFactory

from cadence.audit import services
from cadence.audit.models import AuditAction, AuditEvent
from cadence.audit.services import AUDIT_ACTIONS, audit_record, verify_chain

pytestmark = pytest.mark.django_db


def test_the_stored_entry_is_the_entry_built(clinician, patient, django_assert_num_queries):
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    event = audit_record(
        actor=clinician,
        action=AuditAction.CHANGE,
        summary="Diary day replaced",
        patient=patient,
        obj=patient,
        details={"changed": ["notes"], "dose": Decimal("2.5")},
        request=request,
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    for field in AuditEvent._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(event, field.attname), field.name
    assert stored.details == {"changed": ["notes"], "dose": "2.5"}
    assert stored.ip_address == "203.0.113.7"
    assert (stored.actor_id, stored.actor_username, stored.actor_role) == (
        clinician.pk,
        clinician.username,
        clinician.role,
    )
    assert stored.compute_hash() == stored.entry_hash
    with django_assert_num_queries(0):
        assert event.actor == clinician  # the actor is kept, not read again
    assert verify_chain() == []


def test_an_entry_without_actor_or_request(patient):
    event = audit_record(actor=None, action="security", summary="Nightly check", patient=patient)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor_id is None and stored.actor_username == "" and stored.ip_address is None
    assert stored.patient_id_ref == patient.pk
    assert verify_chain() == []


def test_the_actions_are_the_audit_actions():
    assert frozenset(AuditAction.values) == AUDIT_ACTIONS
    with pytest.raises(ValueError, match="unknown audit action"):
        audit_record(actor=None, action="shred", summary="no")


def test_a_text_value_that_is_not_a_str_is_prepared_by_its_field():
    """Text values go in as they are only when they are str; anything else is prepared
    by its model field, as Model.save would."""
    event = services._new_event(
        occurred_at=services.timezone.now(),
        action="view",
        actor_username="",
        actor_role="",
        object_type="",
        object_id=12345,  # not a str: CharField.get_prep_value makes it "12345"
        summary="x",
        details={},
        prev_hash="0" * 64,
        entry_hash="f" * 64,
    )
    services._insert_event(event)
    assert AuditEvent.objects.get(pk=event.pk).object_id == "12345"
