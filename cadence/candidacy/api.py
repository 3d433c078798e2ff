"""JSON API operations of the candidacy app (mounted under /api/v1 by config/api.py)."""

from django.utils import timezone
from ninja import Router

from cadence.accounts.api_auth import api_roles
from cadence.accounts.roles import Role
from cadence.audit.services import audit_view
from cadence.candidacy import selectors
from cadence.candidacy.schemas import CandidacyOut
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
