"""Reading the audit trail: the administrator's filtered list and a patient's "who
viewed my record"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from cadence.audit.models import AuditAction, AuditEvent
from cadence.patients.models import Patient

PATIENT_VISIBLE_ACTIONS = (
    AuditAction.VIEW,
    AuditAction.EXPORT,
    AuditAction.CREATE,
    AuditAction.CHANGE,
    AuditAction.DELETE,
)


@dataclass(frozen=True)
class AuditFilter:
    patient_id: int | None = None
    patient_name: str = ""
    username: str = ""
    date_from: date | None = None
    date_to: date | None = None
    action: str = ""


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def _patients_named(words: str) -> QuerySet[Patient]:
    """Patients whose first or last name contains each word."""
    patients = Patient.objects.all()
    for word in words.split():
        patients = patients.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return patients


def audit_events(filters: AuditFilter) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.order_by("-occurred_at", "-id")
    if filters.patient_id is not None:
        events = events.filter(patient_id_ref=filters.patient_id)
    if filters.patient_name.strip():
        events = events.filter(
            patient_id_ref__in=_patients_named(filters.patient_name).values("pk")
        )
    if filters.username:
        events = events.filter(actor_username=filters.username)
    if filters.date_from:
        events = events.filter(occurred_at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        events = events.filter(occurred_at__lt=_local_midnight(filters.date_to + timedelta(days=1)))
    if filters.action:
        events = events.filter(action=filters.action)
    return events


def record_access_for_patient(patient_id: int) -> QuerySet[AuditEvent]:
    """Who opened, changed or exported this patient's record, newest first."""
    return AuditEvent.objects.filter(
        patient_id_ref=patient_id, action__in=PATIENT_VISIBLE_ACTIONS
    ).order_by("-occurred_at", "-id")
