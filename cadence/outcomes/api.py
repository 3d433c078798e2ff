"""JSON API operations of the outcomes app (mounted under /api/v1 by config/api.py)."""

from __future__ import annotations

from ninja import Router

from cadence.accounts.api_auth import api_roles
from cadence.accounts.roles import Role
from cadence.outcomes import selectors
from cadence.outcomes.schemas import OutcomesOut
from cadence.outcomes.services import outcome_view_record
from cadence.patients.access import patient_for_user

router = Router(tags=["Outcomes"])


def _period(period) -> dict | None:
    if period is None:
        return None
    return {
        "start": period.start,
        "end": period.end,
        "days_recorded": period.days_recorded,
        "headache_days": period.headache_days,
        "migraine_days": period.migraine_days,
        "moderate_severe_days": period.moderate_severe_days,
        "acute_medication_days": period.acute_medication_days,
        "triptan_days": period.triptan_days,
        "headache_hours": period.headache_hours,
        "coverage": period.coverage,
        "complete": period.complete,
        "scaled": period.scaled,
    }


#: ``rules.outcomes.MEASURES`` names -> the API's field prefixes (version 1.1 additions).
_MEASURE_FIELDS = {
    "migraine_days": "migraine_day",
    "moderate_severe_days": "moderate_severe_day",
    "acute_medication_days": "acute_medication_day",
}


def _response(response) -> dict:
    answer = {
        "status": str(response.status),
        "headache_day_change": response.headache_day_change,
        "percent_change": response.percent_change,
        "reason": response.reason,
        "rule": str(response.rule),
    }
    for name, prefix in _MEASURE_FIELDS.items():
        measure = response.measure(name)
        answer[f"{prefix}_change"] = measure.change if measure else None
        answer[f"{prefix}_percent_change"] = measure.percent_change if measure else None
    return answer


@router.get(
    "/patients/{patient_id}/outcomes",
    response=OutcomesOut,
    summary="Outcomes: baseline, 28-day periods and the response",
)
@api_roles(Role.CLINICIAN, Role.NURSE, Role.PATIENT)
def patient_outcomes_get(request, patient_id: int):
    """The baseline (28 days before the first signed session), the consecutive 28-day
    follow-up periods from the first session, and the response of the latest ended period
    with at least 20 recorded days against the baseline (counts scaled to 28 days; `null`
    counts under 20 recorded days). `response.status` is `insufficient_data` with a
    `reason` when it cannot be judged; the status is decided on exact (unrounded) counts,
    the numbers are rounded to 0.1 for display. `response` also gives migraine,
    moderate/severe and acute-medication days against the baseline (`*_change`,
    `*_percent_change`); `week_24_response` is the 24-week review (the weeks 21-24
    period, not the latest). Also the medication-overuse flag and wearing-off.
    Clinicians, nurses and the patient themself; front desk and admins get 403 (clinical
    data), another patient 404."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    outcome = selectors.outcome_summary_for(patient)
    outcome_view_record(
        actor=request.user, patient=patient, summary="Read outcomes (API)", request=request
    )
    return {
        "baseline": _period(outcome.baseline),
        "periods": [_period(p) for p in outcome.periods],
        "response": _response(outcome.response),
        "week_24_response": _response(outcome.week_24_response),
        "medication_overuse": {
            "flagged": outcome.overuse.flagged,
            "detail": outcome.overuse.detail,
        },
        "wearing_off": {
            "detected": outcome.wearing_off.detected,
            "evidence": outcome.wearing_off.evidence,
            "suggestion": outcome.interval_suggestion,
        },
    }
