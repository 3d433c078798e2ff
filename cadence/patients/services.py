"""Writes of patient records. Each runs in one transaction with its audit entry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cadence.accounts.validation import refusal, refusals
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.patients.models import (
    CHECKLIST_FIELDS,
    Answer,
    CandidacyDecision,
    DecisionChoice,
    Diagnosis,
    HistoricalBaseline,
    MedicalHistory,
    Patient,
    PreventiveClass,
    PreventiveTrial,
    TrialOutcome,
)
from cadence.rules.candidacy import ICD10_CHRONIC_MIGRAINE_CODES, normalise_icd10
from cadence.rules.gate import HISTORY_QUESTIONS, GateFacts, clean_reason, decision_gate

DEMOGRAPHIC_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "email",
    "phone",
    "referring_clinician",
    "referrer_practice",
    "referrer_address",
    "payer_profile",
    "payer_member_id",
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
    "medication_overuse",
)


#: History fields whose values are not copied into the audit trail (free text).
FREE_TEXT_HISTORY_FIELDS = frozenset({"medical_history", "current_medicines"})


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
    referrer_practice: str = "",
    referrer_address: str = "",
    payer_member_id: str = "",
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
            referrer_practice=referrer_practice.strip(),
            referrer_address=referrer_address.strip(),
            payer_member_id=payer_member_id.strip(),
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
    # Migraine days may exceed headache days (aura days with short headaches,
    # clinic-reference.md section 7): not refused.
    with transaction.atomic():
        history, _ = MedicalHistory.objects.select_for_update().get_or_create(patient=patient)
        changed = [name for name, value in changes.items() if getattr(history, name) != value]
        # Before/after for the coded answers and numbers (a corrected hypersensitivity
        # answer must show what it was); free text is named, not copied.
        before_after = {
            name: {"before": getattr(history, name), "after": changes[name]}
            for name in changed
            if name not in FREE_TEXT_HISTORY_FIELDS
        }
        for name in changed:
            setattr(history, name, changes[name])
        history.updated_by = actor
        history.save()
        corrected = [
            name
            for name in HISTORY_QUESTIONS
            if before_after.get(name, {}).get("before") == Answer.YES
        ]
        summary = "Changed medical history"
        if corrected:
            labels = dict(CHECKLIST_FIELDS)
            summary += (
                " (corrected: "
                + "; ".join(labels.get(name, name) for name in sorted(corrected))
                + " was yes)"
            )
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            summary=summary,
            patient=patient,
            obj=history,
            details={"fields": sorted(changed), "changes": before_after},
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
    daily_dose_mg: Decimal | None = None,
    duration_weeks: int | None = None,
    request=None,
) -> PreventiveTrial:
    """Add one preventive medicine to the patient's history (``daily_dose_mg`` and
    ``duration_weeks`` optional: payers check an adequate dose and duration)."""
    today = timezone.localdate()
    if not drug.strip():
        raise ValidationError({"drug": "Name the medicine."})
    if start > today:
        raise ValidationError({"start": "The start date cannot be in the future."})
    if end is not None and end < start:
        raise ValidationError({"end": "The end date cannot be before the start date."})
    if end is not None and end > today:
        raise ValidationError({"end": "The end date cannot be in the future."})
    if daily_dose_mg is not None and daily_dose_mg <= 0:
        raise refusal("daily_dose_mg", "The daily dose must be more than 0 mg.", code="invalid")
    if duration_weeks is not None and duration_weeks < 1:
        raise refusal("duration_weeks", "The duration must be at least 1 week.", code="invalid")
    with transaction.atomic():
        trial = PreventiveTrial.objects.create(
            patient=patient,
            drug=drug.strip(),
            drug_class=drug_class,
            start=start,
            end=end,
            outcome=outcome,
            dose=dose.strip(),
            daily_dose_mg=daily_dose_mg,
            duration_weeks=duration_weeks,
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


#: Longest name of a medicine the patient enters.
PATIENT_MEDICINE_NAME_MAX_LENGTH = 100


def preventive_medicine_report(
    *,
    actor,
    patient: Patient,
    drug: str,
    drug_class: str,
    start: date,
    dose: str = "",
    request=None,
) -> PreventiveTrial:
    """The patient adds a preventive medicine they take now (issue 18). It is stored as
    an ongoing trial "entered by the patient": shown to the clinic to confirm, and not
    counted for candidacy until a clinician confirms it (``preventive_trial_confirm``)."""
    name = (drug or "").strip()
    problems = []
    if not name:
        problems.append(("drug", "Name the medicine.", "required"))
    elif len(name) > PATIENT_MEDICINE_NAME_MAX_LENGTH:
        problems.append(
            (
                "drug",
                f"A medicine name can be at most {PATIENT_MEDICINE_NAME_MAX_LENGTH} characters.",
                "invalid",
            )
        )
    if drug_class not in PreventiveClass.values:
        problems.append(("drug_class", "Choose what kind of medicine it is.", "invalid"))
    if start > timezone.localdate():
        problems.append(("start", "The start date cannot be in the future.", "invalid"))
    if problems:
        raise refusals(problems)
    with transaction.atomic():
        trial = PreventiveTrial.objects.create(
            patient=patient,
            drug=name,
            drug_class=drug_class,
            start=start,
            end=None,
            outcome=TrialOutcome.ONGOING,
            dose=(dose or "").strip()[:100],
            recorded_by=actor,
            reported_by_patient=True,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary=f"Preventive medicine {trial.drug} entered by the patient (to be confirmed)",
            patient=patient,
            obj=trial,
            request=request,
        )
    return trial


def preventive_trial_confirm(*, actor, trial: PreventiveTrial, request=None) -> PreventiveTrial:
    """A clinician confirms a preventive medicine the patient entered: from then on it
    counts like one the clinic recorded (candidacy included)."""
    with transaction.atomic():
        trial = PreventiveTrial.objects.select_for_update().get(pk=trial.pk)
        if not trial.reported_by_patient:
            raise refusal(
                "trial",
                "This medicine was recorded by the clinic; there is nothing to confirm.",
                code="invalid",
            )
        if trial.confirmed_at is not None:
            return trial  # confirmed already: confirming again changes nothing
        trial.confirmed_by = actor
        trial.confirmed_at = timezone.now()
        trial.save(update_fields=["confirmed_by", "confirmed_at"])
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            summary=f"Confirmed the patient-reported preventive medicine {trial.drug}",
            patient=trial.patient,
            obj=trial,
            request=request,
        )
    return trial


def _gate_history(patient: Patient) -> dict[str, str]:
    history = MedicalHistory.objects.filter(patient=patient).first()
    return {
        name: getattr(history, name) if history is not None else Answer.UNKNOWN
        for name in HISTORY_QUESTIONS
    }


def candidacy_decision_record(
    *,
    actor,
    patient: Patient,
    decision: str,
    eligible: bool | None,
    note: str = "",
    override_reason: str = "",
    request=None,
) -> CandidacyDecision:
    """Record the clinician's decision, with ``eligible``: candidacy's answer at that
    moment, which the caller evaluated (``cadence.candidacy.services.candidacy_decide``;
    this app does not evaluate candidacy).

    The gate (``rules.gate.decision_gate``, clinic-reference.md section 7): a decision
    including onabotulinumtoxinA is refused while hypersensitivity is recorded (whatever
    the reason: correct the history first), and needs a non-blank ``override_reason``
    while candidacy is not met (``eligible`` not true) or for a patient under 18. A
    decision taken on such an override is outside protocol."""
    today = timezone.localdate()
    if decision not in DecisionChoice.values:
        raise refusal(
            "decision",
            f"Choose one of the listed decisions: {', '.join(DecisionChoice.values)}.",
            code="invalid_choice",
        )
    reason = clean_reason(override_reason)
    with transaction.atomic():
        verdict = decision_gate(
            GateFacts(
                history=_gate_history(patient),
                decision=decision,
                age=patient.age_on(today),
                candidacy_eligible=eligible,
            )
        )
        blocking = verdict.refusal_for(reason)
        if blocking:
            # An absolute refusal names the decision; a missing reason names the reason.
            field = "decision" if verdict.refusals else "override_reason"
            raise refusals((field, f.message, str(f.rule)) for f in blocking)
        outside = [str(f.rule) for f in verdict.reasons_needed]
        record = CandidacyDecision.objects.create(
            patient=patient,
            decision=decision,
            note=note.strip(),
            # A reason given where none was needed is kept as a note of the decision.
            override_reason=reason or "",
            outside_protocol=bool(outside),
            decided_by=actor,
            decided_at=timezone.now(),
            eligible_when_decided=eligible,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary=f"Candidacy decision: {record.get_decision_display()}"
            + (f" (outside protocol: {reason})" if outside else ""),
            patient=patient,
            obj=record,
            details={
                "decision": decision,
                "eligible": record.eligible_when_decided,
                "outside_protocol": bool(outside),
                "override_rules": outside,
                "override_reason": reason or "",
            },
            request=request,
        )
    return record


def historical_baseline_record(
    *,
    actor,
    patient: Patient,
    headache_days: Decimal,
    migraine_days: Decimal | None,
    source: str,
    recorded_on: date,
    request=None,
) -> HistoricalBaseline:
    """Record the baseline a patient transferring in brings from earlier treatment
    elsewhere (per 28 days, with its source and date). The latest one applies."""
    if not source.strip():
        raise refusal("source", "Say where the baseline comes from.", code="required")
    if recorded_on > timezone.localdate():
        raise refusal(
            "recorded_on", "The date it was recorded cannot be in the future.", code="invalid"
        )
    for name, value in (("headache_days", headache_days), ("migraine_days", migraine_days)):
        if value is not None and not (0 <= Decimal(str(value)) <= 28):
            raise refusal(name, "Give a number of days from 0 to 28.", code="invalid")
    with transaction.atomic():
        baseline = HistoricalBaseline.objects.create(
            patient=patient,
            headache_days=Decimal(str(headache_days)),
            migraine_days=Decimal(str(migraine_days)) if migraine_days is not None else None,
            source=source.strip(),
            recorded_on=recorded_on,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary="Recorded a historical baseline",
            patient=patient,
            obj=baseline,
            details={
                "headache_days": str(baseline.headache_days),
                "migraine_days": str(baseline.migraine_days)
                if baseline.migraine_days is not None
                else None,
                "source": baseline.source,
                "recorded_on": recorded_on.isoformat(),
            },
            request=request,
        )
    return baseline
