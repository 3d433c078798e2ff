"""Writes of patient records. Each runs in one transaction with its audit entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.patients.models import (
    CandidacyDecision,
    DecisionChoice,
    Diagnosis,
    MedicalHistory,
    Patient,
    PreventiveTrial,
)
from cadence.rules.candidacy import ADULT_AGE, ICD10_CHRONIC_MIGRAINE_CODES, normalise_icd10

DEMOGRAPHIC_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "email",
    "phone",
    "referring_clinician",
    "payer_profile",
)
HISTORY_FIELDS = (
    "headache_days_per_month",
    "migraine_days_per_month",
    "months_with_pattern",
    "medical_history",
    "current_medicines",
    "preventive_history_taken",
    "infection_at_site",
    "hypersensitivity",
    "neuromuscular_disease",
    "aminoglycosides",
    "swallowing_or_breathing_difficulty",
    "pregnant_or_breastfeeding",
)


def _check_birth_date(date_of_birth: date) -> None:
    if date_of_birth >= timezone.localdate():
        raise ValidationError({"date_of_birth": "The date of birth must be in the past."})


def patient_create(
    *,
    actor,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    sex: str = "unknown",
    email: str = "",
    phone: str = "",
    referring_clinician: str = "",
    request=None,
) -> Patient:
    """Create a patient record (demographics)."""
    _check_birth_date(date_of_birth)
    with transaction.atomic():
        patient = Patient.objects.create(
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            date_of_birth=date_of_birth,
            sex=sex,
            email=email.strip(),
            phone=phone.strip(),
            referring_clinician=referring_clinician.strip(),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary="Created patient record",
            patient=patient,
            obj=patient,
            request=request,
        )
    return patient


def patient_update_demographics(
    *, actor, patient: Patient, changes: dict[str, Any], request=None
) -> Patient:
    """Change demographic fields (front desk may)."""
    unknown = set(changes) - set(DEMOGRAPHIC_FIELDS)
    if unknown:
        raise ValueError(f"not demographic fields: {sorted(unknown)}")
    if "date_of_birth" in changes:
        _check_birth_date(changes["date_of_birth"])
    with transaction.atomic():
        changed = [name for name, value in changes.items() if getattr(patient, name) != value]
        for name in changed:
            setattr(patient, name, changes[name])
        if changed:
            patient.save(update_fields=[*changed, "updated_at"])
            audit_record(
                actor=actor,
                action=AuditAction.CHANGE,
                summary="Changed demographics",
                patient=patient,
                obj=patient,
                details={"fields": sorted(changed)},
                request=request,
            )
    return patient


def medical_history_update(
    *, actor, patient: Patient, changes: dict[str, Any], request=None
) -> MedicalHistory:
    """Record the history, headache pattern and contraindication/warning checklist."""
    unknown = set(changes) - set(HISTORY_FIELDS)
    if unknown:
        raise ValueError(f"not history fields: {sorted(unknown)}")
    hd, md = changes.get("headache_days_per_month"), changes.get("migraine_days_per_month")
    if hd is not None and md is not None and md > hd:
        raise ValidationError(
            {
                "migraine_days_per_month": "Migraine days are part of the headache days: they cannot be more."
            }
        )
    with transaction.atomic():
        history, _ = MedicalHistory.objects.select_for_update().get_or_create(patient=patient)
        changed = [name for name, value in changes.items() if getattr(history, name) != value]
        for name in changed:
            setattr(history, name, changes[name])
        history.updated_by = actor
        history.save()
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            summary="Changed medical history",
            patient=patient,
            obj=history,
            details={"fields": sorted(changed)},
            request=request,
        )
    return history


def diagnosis_record(
    *,
    actor,
    patient: Patient,
    icd10_code: str,
    neurologist: str,
    confirmed_on: date | None,
    confirmed_by_neurologist: bool = True,
    request=None,
) -> Diagnosis:
    """Record a chronic-migraine diagnosis (G43.7 family) and who confirmed it."""
    code = normalise_icd10(icd10_code or "")
    if code not in ICD10_CHRONIC_MIGRAINE_CODES:
        raise ValidationError(
            {
                "icd10_code": f"Choose a chronic-migraine code: {', '.join(ICD10_CHRONIC_MIGRAINE_CODES)}."
            }
        )
    if confirmed_on is not None and confirmed_on > timezone.localdate():
        raise ValidationError({"confirmed_on": "The date of confirmation cannot be in the future."})
    if confirmed_by_neurologist and not neurologist.strip():
        raise ValidationError({"neurologist": "Name the neurologist who confirmed the diagnosis."})
    with transaction.atomic():
        diagnosis = Diagnosis.objects.create(
            patient=patient,
            icd10_code=code,
            neurologist=neurologist.strip(),
            confirmed_on=confirmed_on,
            confirmed_by_neurologist=confirmed_by_neurologist,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary=f"Recorded diagnosis {code}",
            patient=patient,
            obj=diagnosis,
            request=request,
        )
    return diagnosis


def preventive_trial_add(
    *,
    actor,
    patient: Patient,
    drug: str,
    drug_class: str,
    start: date,
    end: date | None,
    outcome: str,
    dose: str = "",
    request=None,
) -> PreventiveTrial:
    """Add one preventive medicine to the patient's history."""
    today = timezone.localdate()
    if not drug.strip():
        raise ValidationError({"drug": "Name the medicine."})
    if start > today:
        raise ValidationError({"start": "The start date cannot be in the future."})
    if end is not None and end < start:
        raise ValidationError({"end": "The end date cannot be before the start date."})
    if end is not None and end > today:
        raise ValidationError({"end": "The end date cannot be in the future."})
    with transaction.atomic():
        trial = PreventiveTrial.objects.create(
            patient=patient,
            drug=drug.strip(),
            drug_class=drug_class,
            start=start,
            end=end,
            outcome=outcome,
            dose=dose.strip(),
            recorded_by=actor,
        )
        MedicalHistory.objects.get_or_create(patient=patient)
        MedicalHistory.objects.filter(patient=patient).update(preventive_history_taken=True)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary=f"Added preventive trial {trial.drug}",
            patient=patient,
            obj=trial,
            request=request,
        )
    return trial


def candidacy_decision_record(
    *,
    actor,
    patient: Patient,
    decision: str,
    eligible: bool | None,
    note: str = "",
    age_override_reason: str = "",
    request=None,
) -> CandidacyDecision:
    """Record the clinician's decision, with ``eligible``: candidacy's answer at that
    moment, which the caller evaluated (``cadence.candidacy.services.candidacy_decide``;
    this app does not evaluate candidacy). A patient under 18 (off-label) needs an explicit
    override reason before onabotulinumtoxinA can be chosen."""
    today = timezone.localdate()
    if decision not in DecisionChoice.values:
        raise ValidationError({"decision": "Choose one of the listed decisions."})
    reason = age_override_reason.strip()
    gives_toxin = decision in (DecisionChoice.BOTOX, DecisionChoice.BOTH)
    if gives_toxin and patient.age_on(today) < ADULT_AGE and not reason:
        raise ValidationError(
            {
                "age_override_reason": f"The patient is under {ADULT_AGE}: onabotulinumtoxinA is off-label. "
                "Give the reason for the override."
            }
        )
    if decision == DecisionChoice.OTHER and not note.strip():
        raise ValidationError({"note": "Say what was decided."})
    with transaction.atomic():
        record = CandidacyDecision.objects.create(
            patient=patient,
            decision=decision,
            note=note.strip(),
            age_override_reason=reason,
            decided_by=actor,
            decided_at=timezone.now(),
            eligible_when_decided=eligible,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary=f"Candidacy decision: {record.get_decision_display()}",
            patient=patient,
            obj=record,
            details={
                "decision": decision,
                "age_override": bool(reason),
                "eligible": record.eligible_when_decided,
            },
            request=request,
        )
    return record
