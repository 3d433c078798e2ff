"""Candidacy for onabotulinumtoxinA, evaluated from the patient's record.

The facts come from the record (patients: history, diagnosis, preventive trials,
checklist, payer profile, the latest decision) and from the diary baseline, whose one
owner is outcomes (``candidacy_baseline``: the outcomes baseline once there is a signed
session, the 28 days before today before that). The rule itself is
``cadence.rules.candidacy``.

    candidacy_facts(patient, *, today) -> (CandidacyFacts, CandidacyBaseline)
    candidacy_for(patient, *, today, age_override_reason=None) -> Candidacy
    candidacy_as_dict(candidacy) -> dict   (the API contract's Candidacy object)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cadence.outcomes.selectors import CandidacyBaseline, candidacy_baseline
from cadence.patients.models import CandidacyDecision, Patient, answer_as_bool
from cadence.patients.selectors import (
    confirmed_preventive_trials_for,
    history_for,
    latest_decision,
    latest_diagnosis,
    min_daily_doses_mg,
    payer_profile_for,
)
from cadence.rules import candidacy as rules
from cadence.rules.payer import PayerProfile as PayerRules


@dataclass(frozen=True)
class Candidacy:
    result: rules.CandidacyResult
    profile: PayerRules
    baseline: CandidacyBaseline
    chronic_source: rules.ChronicSource | None
    decision: CandidacyDecision | None
    age: int


def candidacy_facts(
    patient: Patient, *, today: date
) -> tuple[rules.CandidacyFacts, CandidacyBaseline]:
    """Everything the candidacy rule needs, read from the patient's record."""
    history = history_for(patient)
    baseline = candidacy_baseline(patient, today=today)
    if baseline.sufficient:
        source: rules.ChronicSource | None = rules.ChronicSource.diary
        headache_days, migraine_days = baseline.headache_days, baseline.migraine_days
    else:
        headache_days, migraine_days = (
            history.headache_days_per_month,
            history.migraine_days_per_month,
        )
        has_history = any(
            v is not None for v in (headache_days, migraine_days, history.months_with_pattern)
        )
        source = rules.ChronicSource.history if has_history else None
    diagnosis = latest_diagnosis(patient)
    trials = [
        rules.PreventiveTrial(
            drug=t.drug,
            drug_class=t.drug_class,
            outcome=t.outcome,
            start=t.start,
            end=t.end,
            weeks=t.duration_weeks,
            daily_dose_mg=t.daily_dose_mg,
        )
        # Only trials the clinic stands behind: a patient-entered medicine counts once a
        # clinician has confirmed it (issue 18).
        for t in confirmed_preventive_trials_for(patient)
    ]
    facts = rules.CandidacyFacts(
        age=patient.age_on(today),
        headache_days_per_month=headache_days,
        migraine_days_per_month=migraine_days,
        months_with_chronic_pattern=history.months_with_pattern,
        chronic_source=source,
        neurologist_confirmed=diagnosis.confirmed_by_neurologist if diagnosis else None,
        icd10_code=diagnosis.icd10_code if diagnosis else None,
        preventive_trials=trials if (trials or history.preventive_history_taken) else None,
        contraindications=rules.Contraindications(
            infection_at_site=answer_as_bool(history.infection_at_site),
            hypersensitivity=answer_as_bool(history.hypersensitivity),
        ),
        warnings=rules.Warnings(
            neuromuscular_disease=answer_as_bool(history.neuromuscular_disease),
            aminoglycosides=answer_as_bool(history.aminoglycosides),
            swallowing_or_breathing_difficulty=answer_as_bool(
                history.swallowing_or_breathing_difficulty
            ),
            pregnant_or_breastfeeding=answer_as_bool(history.pregnant_or_breastfeeding),
        ),
        # The clinician's checklist answer, once given, decides; until then the
        # baseline diary's overuse check does.
        medication_overuse=_answered_or(
            answer_as_bool(history.medication_overuse), baseline.medication_overuse
        ),
        min_daily_doses_mg=min_daily_doses_mg(),
    )
    return facts, baseline


def _answered_or(answer: bool | None, otherwise: bool | None) -> bool | None:
    return otherwise if answer is None else answer


def candidacy_for(
    patient: Patient, *, today: date, age_override_reason: str | None = None
) -> Candidacy:
    """Evaluate candidacy (cadence.rules.candidacy) from the patient's record. The age
    override is the latest decision's, unless ``age_override_reason`` is given (the
    decision about to be recorded)."""
    facts, baseline = candidacy_facts(patient, today=today)
    decision = latest_decision(patient)
    if age_override_reason is None and decision is not None:
        age_override_reason = decision.override_reason
    profile = payer_profile_for(patient)
    result = rules.evaluate_candidacy(facts, profile, age_override_reason=age_override_reason)
    return Candidacy(
        result=result,
        profile=profile,
        baseline=baseline,
        chronic_source=facts.chronic_source,
        decision=decision,
        age=facts.age or 0,
    )


def candidacy_as_dict(candidacy: Candidacy) -> dict:
    """The API contract's Candidacy object (plus a few explanatory extras)."""
    result = candidacy.result
    return {
        "eligible": result.eligible,
        "criteria": [{"code": c.code, "met": c.met, "detail": c.detail} for c in result.criteria],
        "flags": [{"code": f.code, "detail": f.detail} for f in result.flags],
        "alternatives": [
            {"code": a.code, "label": a.label, "detail": a.detail} for a in result.alternatives
        ],
        "unanswered_screening": list(result.unanswered_screening),
        "payer_profile": candidacy.profile.name,
        "chronic_source": str(candidacy.chronic_source) if candidacy.chronic_source else None,
    }
