"""JSON API operations of the interop app (mounted under /api/v1 by config/api.py)."""

from django.utils import timezone
from ninja import Router

from cadence.accounts.api_auth import api_roles
from cadence.accounts.roles import CLINICAL_ROLES
from cadence.interop.surgery_packet import surgery_packet_bundle
from cadence.patients.access import patient_for_user
from cadence.surgery.services import surgery_document_export

router = Router(tags=["Interop"])


@router.get(
    "/patients/{patient_id}/surgery-packet",
    response=dict,
    summary="The surgery-evaluation packet as a FHIR R4 document Bundle",
)
@api_roles(CLINICAL_ROLES)
def surgery_packet_get(request, patient_id: int):
    """A FHIR R4 `Bundle` of type `document`: a Composition (PAINS, pain sketch,
    site-level response, Botox history, nerve blocks, diagnosis, medication history), the
    Patient, Observations (PAINS criteria, sketch shares, site responses), Procedures
    (Botox sessions, nerve blocks), the Condition and MedicationStatements. Validated
    with fhir.resources. The export is audited."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    bundle = surgery_packet_bundle(patient, today=timezone.localdate())
    surgery_document_export(
        actor=request.user,
        patient=patient,
        document="Surgery-evaluation packet (FHIR)",
        request=request,
    )
    return bundle
