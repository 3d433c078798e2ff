"""Reads of the outcomes app, in two modules:

- ``patient``: one patient's outcomes (baseline, periods, response, overuse, effect
  curves) and the baseline candidacy judges; the one owner of "what is this patient's
  baseline";
- ``clinic``: the clinic report (the dashboard) and the staff patient list;
- ``review``: the course review (stopping rules) and the decisions recorded at it.

The public names are re-exported here, so ``from cadence.outcomes import selectors`` and
``selectors.patient_outcomes(...)`` keep working.
"""

from cadence.outcomes.selectors.clinic import (
    REFERENCE_SIDE_EFFECTS,
    SIDE_EFFECT_WINDOW_DAYS,
    SIDE_EFFECT_WINDOW_WEEKS,
    ClinicReport,
    SideEffectRate,
    clinic_report,
    patient_list,
    side_effect_patient_counts,
    side_effect_rates,
    week_24_counts,
    week_24_response,
    week_24_statuses,
)
from cadence.outcomes.selectors.patient import (
    CURVE_CYCLES,
    CandidacyBaseline,
    DiagnosisLine,
    PatientOutcomes,
    PreventiveTrialLine,
    QuestionnaireScore,
    SessionLine,
    candidacy_baseline,
    diagnosis_for,
    next_appointment,
    next_booked_treatment,
    outcome_summary_for,
    patient_outcomes,
    payer_profile,
    preventive_trials_for,
    procedures_for_report,
    questionnaire_scores,
    urgent_side_effects,
)
from cadence.outcomes.selectors.review import (
    course_review_for,
    decided_courses,
    failed_preventive_classes,
    latest_course_review_decision,
    questionnaire_rhythm_for,
)

__all__ = [
    "CURVE_CYCLES",
    "REFERENCE_SIDE_EFFECTS",
    "SIDE_EFFECT_WINDOW_DAYS",
    "SIDE_EFFECT_WINDOW_WEEKS",
    "CandidacyBaseline",
    "ClinicReport",
    "DiagnosisLine",
    "PatientOutcomes",
    "PreventiveTrialLine",
    "QuestionnaireScore",
    "SessionLine",
    "SideEffectRate",
    "candidacy_baseline",
    "clinic_report",
    "course_review_for",
    "decided_courses",
    "failed_preventive_classes",
    "latest_course_review_decision",
    "diagnosis_for",
    "next_appointment",
    "next_booked_treatment",
    "outcome_summary_for",
    "patient_list",
    "patient_outcomes",
    "payer_profile",
    "preventive_trials_for",
    "procedures_for_report",
    "questionnaire_rhythm_for",
    "questionnaire_scores",
    "side_effect_patient_counts",
    "side_effect_rates",
    "urgent_side_effects",
    "week_24_counts",
    "week_24_response",
    "week_24_statuses",
]
