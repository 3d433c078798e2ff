"""Reads of patient records (the candidacy evaluation lives in cadence.candidacy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet

from cadence.patients.models import (
    CandidacyDecision,
    Diagnosis,
    HistoricalBaseline,
    MedicalHistory,
    Patient,
    PayerProfile,
    PreventiveTrial,
)
from cadence.rules.payer import DEFAULT_PAYER_PROFILE
from cadence.rules.payer import PayerProfile as PayerRules
from cadence.rules.preventives import (
    DEFAULT_MIN_DAILY_DOSES_MG,
    TrialAdequacy,
    is_concurrent_preventive,
    normalise_drug,
    trial_adequacy,
)

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


@dataclass(frozen=True)
class PayerMemberId:
    """The patient's member ID as a payer packet prints it (issue 19)."""

    payer: str
    member_id: str
    required: bool

    @property
    def missing(self) -> bool:
        """The payer asks for a member ID and the record has none."""
        return self.required and not self.member_id


def payer_member_id_for(patient) -> PayerMemberId:
    """The member ID and whether the patient's payer profile (their own, else the
    clinic's default) asks for it."""
    profile = patient.payer_profile if getattr(patient, "payer_profile_id", None) else None
    if profile is None:
        profile = default_payer_profile()
    return PayerMemberId(
        payer=profile.name if profile is not None else DEFAULT_PAYER_PROFILE.name,
        member_id=patient.payer_member_id.strip(),
        required=bool(profile is not None and profile.requires_member_id),
    )


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


def confirmed_preventive_trials_for(patient: Patient) -> QuerySet[PreventiveTrial]:
    """The trials the clinic stands behind: recorded by the clinic, or entered by the
    patient and confirmed by a clinician (candidacy counts only these)."""
    return preventive_trials_for(patient).filter(
        Q(reported_by_patient=False) | Q(confirmed_at__isnull=False)
    )


def preventive_medicines_awaiting_confirmation(patient: Patient) -> QuerySet[PreventiveTrial]:
    """Preventive medicines the patient entered that no clinician has confirmed yet."""
    return preventive_trials_for(patient).filter(
        reported_by_patient=True, confirmed_at__isnull=True
    )


def historical_baseline_for(patient: Patient) -> HistoricalBaseline | None:
    """The latest recorded historical baseline (a patient transferring in), or None."""
    return HistoricalBaseline.objects.filter(patient=patient).first()


def min_daily_doses_mg() -> dict[str, Decimal]:
    """The clinic's minimum usual daily doses: ``cadence.rules.preventives``' defaults,
    overridden drug by drug by the ``CADENCE_PREVENTIVE_MIN_DAILY_DOSES_MG`` setting."""
    doses = dict(DEFAULT_MIN_DAILY_DOSES_MG)
    for drug, mg in (
        getattr(settings, "CADENCE_PREVENTIVE_MIN_DAILY_DOSES_MG", None) or {}
    ).items():
        doses[normalise_drug(str(drug))] = Decimal(str(mg))
    return doses


def trial_adequacy_for(
    trial: PreventiveTrial, min_doses: dict[str, Decimal] | None = None
) -> TrialAdequacy:
    """Was this trial adequate to count as a failure (long enough, at a usual dose)?"""
    return trial_adequacy(
        drug=trial.drug,
        outcome=trial.outcome,
        start=trial.start,
        end=trial.end,
        weeks=trial.duration_weeks,
        daily_dose_mg=trial.daily_dose_mg,
        min_doses=min_doses if min_doses is not None else min_daily_doses_mg(),
    )


@dataclass(frozen=True)
class TrialLine:
    """A preventive trial with its adequacy, as the record pages show it."""

    trial: PreventiveTrial
    adequacy: TrialAdequacy
    concurrent: bool


def preventive_trial_lines(patient: Patient, *, today: date) -> list[TrialLine]:
    """Every trial, oldest first, with its adequacy flag and whether it is a concurrent
    preventive (a CGRP antibody or gepant taken now). One query."""
    doses = min_daily_doses_mg()
    return [
        TrialLine(
            trial,
            trial_adequacy_for(trial, doses),
            is_concurrent_preventive(trial.drug_class, trial.outcome, trial.end, today),
        )
        for trial in preventive_trials_for(patient)
    ]


def concurrent_preventives_for(patient: Patient, *, today: date) -> list[PreventiveTrial]:
    """CGRP antibodies and gepants the patient takes now (shown beside the plan)."""
    return [
        trial
        for trial in preventive_trials_for(patient).filter(
            drug_class__in=["cgrp_antibody", "gepant"]
        )
        if is_concurrent_preventive(trial.drug_class, trial.outcome, trial.end, today)
    ]
