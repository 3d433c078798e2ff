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
    override_reason: str = "",
    request=None,
) -> CandidacyDecision:
    """Evaluate candidacy as it stands, then record the decision with that answer
    (``eligible_when_decided``) and its audit entry. The gate is the patients service's:
    a decision including onabotulinumtoxinA while ``eligible`` is not true, or for a
    patient under 18, needs ``override_reason``; hypersensitivity refuses it.

    ``eligible`` is candidacy's answer *without* this decision's override (an under-18
    patient is not eligible until a clinician overrides, which this decision does)."""
    eligible = candidacy_for(
        patient, today=timezone.localdate(), age_override_reason=""
    ).result.eligible
    return candidacy_decision_record(
        actor=actor,
        patient=patient,
        decision=decision,
        eligible=eligible,
        note=note,
        override_reason=override_reason,
        request=request,
    )
