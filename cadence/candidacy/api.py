"""JSON API operations of the candidacy app (mounted under /api/v1 by config/api.py)."""

from django.utils import timezone
from ninja import Router, Status

from cadence.accounts.api_auth import api_roles
from cadence.accounts.roles import Role
from cadence.audit.services import audit_view
from cadence.candidacy import selectors, services
from cadence.candidacy.schemas import CandidacyDecisionIn, CandidacyDecisionOut, CandidacyOut
from cadence.patients.access import patient_for_user

router = Router(tags=["Candidacy"])


@router.get(
    "/patients/{patient_id}/candidacy", response=CandidacyOut, summary="Is the patient a candidate?"
)
@api_roles(Role.CLINICIAN, Role.NURSE)
def candidacy_get(request, patient_id: int):
    """Candidacy for onabotulinumtoxinA from the record: criteria `chronic_migraine`
    (baseline diary when it covers enough days, otherwise the history), `neurologist_diagnosis`,
    `preventive_failures` (against the patient's payer profile), `no_contraindication`,
    `adult`; warning flags and alternatives. `met: null` means not enough information and
    the `detail` says what is missing."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    candidacy = selectors.candidacy_for(patient, today=timezone.localdate())
    audit_view(request, summary="Viewed candidacy (API)", patient=patient)
    return selectors.candidacy_as_dict(candidacy)


@router.post(
    "/patients/{patient_id}/candidacy-decisions",
    response={201: CandidacyDecisionOut},
    summary="Record the clinician's decision after the work-up",
)
@api_roles(Role.CLINICIAN)
def candidacy_decision_create(request, patient_id: int, payload: CandidacyDecisionIn):
    """`decision`, `reason`, `override_reason` (optional). `eligible` is candidacy's answer
    at that moment. A decision including Botox (`botox`, `botox_and_surgery_evaluation`)
    while `eligible` is not true, or for a patient under 18, needs a non-blank
    `override_reason` (422 naming it otherwise) and is then outside protocol; with
    `hypersensitivity: yes` recorded it is refused whatever the reason (422 naming
    `decision`)."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    decision = services.candidacy_decide(
        actor=request.user,
        patient=patient,
        decision=payload.decision,
        note=payload.reason,
        override_reason=payload.override_reason or "",
        request=request,
    )
    return Status(
        201,
        {
            "id": decision.pk,
            "decision": decision.decision,
            "eligible": decision.eligible_when_decided,
            "override_reason": decision.override_reason or None,
            "outside_protocol": decision.outside_protocol,
        },
    )
