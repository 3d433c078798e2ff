"""Writes of the candidacy app: the clinician's decision, recorded with candidacy's answer
at that moment (the decision itself is a patients record, ``CandidacyDecision``)."""

from __future__ import annotations

from django.utils import timezone

from cadence.candidacy.selectors import candidacy_for
from cadence.patients.models import CandidacyDecision, Patient
from cadence.patients.services import candidacy_decision_record


def candidacy_decide(
    *,
    actor,
    patient: Patient,
    decision: str,
    note: str = "",
    age_override_reason: str = "",
    request=None,
) -> CandidacyDecision:
    """Evaluate candidacy as it stands with this decision's age override, then record the
    decision with that answer (``eligible_when_decided``) and its audit entry."""
    reason = age_override_reason.strip()
    eligible = candidacy_for(
        patient, today=timezone.localdate(), age_override_reason=reason
    ).result.eligible
    return candidacy_decision_record(
        actor=actor,
        patient=patient,
        decision=decision,
        eligible=eligible,
        note=note,
        age_override_reason=age_override_reason,
        request=request,
    )
