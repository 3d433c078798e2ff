"""Reads of patient records (the candidacy evaluation lives in cadence.candidacy)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cadence.patients.models import (
    CandidacyDecision,
    Diagnosis,
    MedicalHistory,
    Patient,
    PayerProfile,
    PreventiveTrial,
)
from cadence.rules.payer import DEFAULT_PAYER_PROFILE
from cadence.rules.payer import PayerProfile as PayerRules

PAGE_SIZE = 25


def default_payer_profile() -> PayerProfile | None:
    return PayerProfile.objects.filter(is_default=True).first()


def payer_profile_for(patient) -> PayerRules:
    """The payer rules that apply to this patient (minimum preventive classes, minimum
    re-treatment interval, responder rule): the patient's own payer profile, else the
    clinic's default profile, else clinic-reference.md's defaults."""
    profile = patient.payer_profile if getattr(patient, "payer_profile_id", None) else None
    if profile is None:
        profile = default_payer_profile()
    return profile.as_rules() if profile is not None else DEFAULT_PAYER_PROFILE


def patient_search(
    *, query: str = "", queryset: QuerySet[Patient] | None = None
) -> QuerySet[Patient]:
    """Patients whose name, email or phone contains each word of the query."""
    patients = queryset if queryset is not None else Patient.objects.all()
    for word in query.split():
        patients = patients.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(phone__icontains=word)
        )
    return patients.order_by("last_name", "first_name", "id")


def history_for(patient: Patient) -> MedicalHistory:
    """The patient's medical history (an unsaved empty one when none was taken yet)."""
    history = MedicalHistory.objects.filter(patient=patient).first()
    return history if history is not None else MedicalHistory(patient=patient)


def latest_diagnosis(patient: Patient) -> Diagnosis | None:
    return Diagnosis.objects.filter(patient=patient).select_related("recorded_by").first()


def latest_decision(patient: Patient) -> CandidacyDecision | None:
    return CandidacyDecision.objects.filter(patient=patient).select_related("decided_by").first()


def preventive_trials_for(patient: Patient) -> QuerySet[PreventiveTrial]:
    return PreventiveTrial.objects.filter(patient=patient).order_by("start", "id")
