"""JSON API operations of the patients app (mounted under /api/v1 by config/api.py).
Candidacy is cadence.candidacy's."""

from ninja import Router, Status

from cadence.accounts.api_auth import api_roles
from cadence.accounts.roles import CARE_TEAM_ROLES, CLINICAL_ROLES, Role
from cadence.audit.services import audit_view
from cadence.patients import selectors, services
from cadence.patients.access import patient_for_user
from cadence.patients.models import CHECKLIST_FIELDS, Patient
from cadence.patients.schemas import (
    DiagnosisCreatedOut,
    DiagnosisIn,
    HistoricalBaselineIn,
    HistoricalBaselineOut,
    MedicalHistoryIn,
    MedicalHistoryOut,
    PatientIn,
    PatientOut,
    PreventiveTrialIn,
    PreventiveTrialOut,
)

router = Router(tags=["Patients"])


def patient_out(patient: Patient, *, clinical: bool) -> dict:
    record = {
        "id": patient.pk,
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "date_of_birth": patient.date_of_birth,
        "sex": patient.sex,
        "email": patient.email,
        "phone": patient.phone,
        "referring_clinician": patient.referring_clinician,
        "referrer_practice": patient.referrer_practice,
        "referrer_address": patient.referrer_address,
        "payer_profile": selectors.payer_profile_for(patient).name,
        "payer_member_id": patient.payer_member_id,
    }
    if not clinical:
        return record
    history = selectors.history_for(patient)
    diagnosis = selectors.latest_diagnosis(patient)
    decision = selectors.latest_decision(patient)
    record["history"] = {
        "headache_days_per_month": history.headache_days_per_month,
        "migraine_days_per_month": history.migraine_days_per_month,
        "months_with_pattern": history.months_with_pattern,
        "medical_history": history.medical_history,
        "current_medicines": history.current_medicines,
        "checklist": {name: getattr(history, name) for name, _label in CHECKLIST_FIELDS},
    }
    record["diagnosis"] = diagnosis
    record["preventive_trials"] = list(selectors.preventive_trials_for(patient))
    record["candidacy_decision"] = (
        {
            "decision": decision.decision,
            "note": decision.note,
            "override_reason": decision.override_reason,
            "outside_protocol": decision.outside_protocol,
            "decided_by": decision.decided_by.get_username(),
            "decided_at": decision.decided_at,
        }
        if decision
        else None
    )
    return record


@router.post("/patients", response={201: PatientOut, 422: dict}, summary="Create a patient record")
@api_roles(CARE_TEAM_ROLES)
def patient_create(request, payload: PatientIn):
    """Create a patient (demographics). The phone is stored in E.164; the date of birth must
    be in the past. Answers 201 with the record."""
    patient = services.patient_create(actor=request.user, request=request, **payload.dict())
    return Status(201, patient_out(patient, clinical=False))


@router.get("/patients/{patient_id}", response=PatientOut, summary="A patient's record")
@api_roles(*CARE_TEAM_ROLES, Role.PATIENT)
def patient_get(request, patient_id: int):
    """The record. Clinicians, nurses and the patient themself get the clinical parts
    (history, checklist, diagnosis, preventive trials, decision); front desk and admin get
    demographics only."""
    clinical = request.user.role in CLINICAL_ROLES or request.user.role == Role.PATIENT
    patient = patient_for_user(request.user, patient_id, clinical=clinical)
    audit_view(
        request,
        summary="Viewed patient record (API)" + ("" if clinical else ", demographics"),
        patient=patient,
        obj=patient,
    )
    return patient_out(patient, clinical=clinical)


@router.post(
    "/patients/{patient_id}/preventive-trials",
    response={201: PreventiveTrialOut, 422: dict},
    summary="Add a preventive-medicine trial",
)
@api_roles(Role.CLINICIAN, Role.NURSE)
def preventive_trial_create(request, patient_id: int, payload: PreventiveTrialIn):
    """Record one preventive medicine the patient tried: `drug`, `drug_class`, `start`,
    `end` (optional), `dose` (optional), `outcome`. Dates may not be in the future and the
    end may not be before the start (422 naming the field)."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    trial = services.preventive_trial_add(
        actor=request.user, patient=patient, request=request, **payload.dict()
    )
    return Status(201, trial)


@router.get(
    "/patients/{patient_id}/preventive-trials",
    response=list[PreventiveTrialOut],
    summary="A patient's preventive-medicine history",
)
@api_roles(Role.CLINICIAN, Role.NURSE)
def preventive_trial_list(request, patient_id: int):
    """Every preventive trial, oldest first."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    audit_view(request, summary="Viewed preventive history (API)", patient=patient)
    return list(selectors.preventive_trials_for(patient))


@router.post(
    "/patients/{patient_id}/historical-baseline",
    response={201: HistoricalBaselineOut, 422: dict},
    summary="Record a historical baseline (a patient transferring in)",
)
@api_roles(Role.CLINICIAN, Role.NURSE)
def historical_baseline_create(request, patient_id: int, payload: HistoricalBaselineIn):
    """For a patient transferring in with earlier sessions elsewhere: `headache_days` and
    `migraine_days` (optional) per 28 days before that treatment (0-28), `source` and
    `recorded_on`. The outcomes baseline uses the latest one when the diary before the
    first session here has fewer than 20 recorded days."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    baseline = services.historical_baseline_record(
        actor=request.user, patient=patient, request=request, **payload.dict()
    )
    return Status(201, baseline)


@router.get(
    "/patients/{patient_id}/historical-baseline",
    response={200: HistoricalBaselineOut | None},
    summary="The recorded historical baseline, or null",
)
@api_roles(Role.CLINICIAN, Role.NURSE)
def historical_baseline_get(request, patient_id: int):
    """The latest recorded historical baseline (null when none)."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    audit_view(request, summary="Viewed historical baseline (API)", patient=patient)
    return selectors.historical_baseline_for(patient)


@router.put(
    "/patients/{patient_id}/medical-history",
    response={200: MedicalHistoryOut, 422: dict},
    summary="Record or correct the medical history and checklist",
)
@api_roles(Role.CLINICIAN, Role.NURSE)
def medical_history_put(request, patient_id: int, payload: MedicalHistoryIn):
    """Any of the checklist answers (`yes`, `no`, `unknown`) and the headache pattern;
    fields left out keep their value. Every change is audited with its before and after
    (a hypersensitivity answer corrected from yes to no shows both). 200 with the whole
    history."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    changes = payload.dict(exclude_unset=True)
    changes = {
        name: value
        for name, value in changes.items()
        if value is not None or name.endswith("_per_month") or name == "months_with_pattern"
    }
    history = services.medical_history_update(
        actor=request.user, patient=patient, changes=changes, request=request
    )
    return history


@router.post(
    "/patients/{patient_id}/diagnoses",
    response={201: DiagnosisCreatedOut, 422: dict},
    summary="Record a chronic-migraine diagnosis",
)
@api_roles(Role.CLINICIAN)
def diagnosis_create(request, patient_id: int, payload: DiagnosisIn):
    """A chronic-migraine diagnosis: `icd10_code` of the G43.7x family or, since
    ICD-10-CM FY2025, chronic migraine with aura G43.E01/E09/E11/E19; who confirmed it."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    diagnosis = services.diagnosis_record(
        actor=request.user, patient=patient, request=request, **payload.dict()
    )
    return Status(201, diagnosis)
