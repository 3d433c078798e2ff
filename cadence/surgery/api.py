"""JSON API of the surgery app (mounted under /api/v1 by config/api.py): trigger sites,
surgery candidacy (PAINS and the site-level response), diagnostic targets, nerve blocks,
the surgical work-up and the operation with its outcomes."""

from django.utils import timezone
from ninja import Router, Status

from cadence.accounts.api_auth import api_roles
from cadence.accounts.roles import (
    CLINICAL_AND_PATIENT_ROLES,
    CLINICAL_ROLES,
    PRESCRIBER_ROLES,
    STAFF_ROLES,
)
from cadence.audit.services import audit_view
from cadence.patients.access import patient_for_user
from cadence.surgery import selectors, services
from cadence.surgery.models import NerveBlock, SurgicalOperation, SurgicalWorkup
from cadence.surgery.schemas import (
    DiagnosticTargetIn,
    DiagnosticTargetOut,
    NerveBlockAmendIn,
    NerveBlockIn,
    NerveBlockOut,
    NerveBlockVoidIn,
    SurgeryCandidacyOut,
    SurgicalOperationIn,
    SurgicalOperationOut,
    SurgicalWorkupIn,
    SurgicalWorkupOut,
    TriggerSiteOut,
)

router = Router(tags=["Surgery"])


@router.get("/trigger-sites", response=list[TriggerSiteOut], summary="The trigger sites I-VI")
@api_roles(STAFF_ROLES)
def trigger_site_list(request):
    """Guyuron's trigger sites with the diary's pain regions and the catalogue's muscles
    that lie at each (clinic-reference.md section 8)."""
    return selectors.trigger_sites()


@router.get(
    "/patients/{patient_id}/surgery-candidacy",
    response=SurgeryCandidacyOut,
    summary="Surgery candidacy (PAINS) and the site-level response",
)
@api_roles(CLINICAL_ROLES)
def surgery_candidacy_get(request, patient_id: int):
    """The five PAINS criteria (`pain_point`, `appropriate_symptoms`,
    `injectables_improve`, `neurologist_diagnosis`, `sketch_matching`), each met, not met
    or unknown (`null`) with its evidence; each trigger site's response to its latest
    diagnostic injection or block: headache days whose pain regions lie in the site, in
    the 28 days before and after, scaled to 28 days (null under 20 recorded days);
    `responded` at 50% fewer (`CADENCE_SURGERY_SITE_RESPONSE_PERCENT`)."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    evaluation = selectors.evaluation_for(patient, today=timezone.localdate())
    audit_view(request, summary="Viewed surgery candidacy (API)", patient=patient)
    return selectors.evaluation_as_dict(evaluation)


@router.post(
    "/patients/{patient_id}/treatment-plans/{plan_id}/diagnostic-targets",
    response={201: DiagnosticTargetOut},
    summary="Mark a targeted plan diagnostic for a trigger site",
)
@api_roles(PRESCRIBER_ROLES)
def diagnostic_target_create(request, patient_id: int, plan_id: int, payload: DiagnosticTargetIn):
    """The plan must be targeted and inject a site of the trigger site's muscles on that
    side (422 otherwise). Its signed sessions then count as diagnostic injections."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    plan = selectors.plan_for_patient(patient, plan_id)
    target = services.diagnostic_target_mark(
        plan=plan,
        trigger_site=payload.trigger_site,
        side=payload.side,
        actor=request.user,
        request=request,
    )
    return Status(
        201,
        {
            "id": target.pk,
            "plan": plan.pk,
            "trigger_site": target.trigger_site,
            "side": target.side,
        },
    )


def _block_out(block: NerveBlock) -> dict:
    return {
        "id": block.pk,
        "performed_on": block.performed_on,
        "trigger_site": block.trigger_site,
        "nerve": block.nerve,
        "side": block.side,
        "agent": block.agent,
        "volume_ml": float(block.volume_ml),
        "dose_mg": None if block.dose_mg is None else float(block.dose_mg),
        "diagnostic": block.diagnostic,
        "consent_obtained": block.consent_obtained,
        "notes": block.notes,
        "status": block.status,
        "billing": block.billing,
        "signed_at": block.signed_at,
        "amendments": [
            {"amended_at": a.amended_at, "reason": a.reason, "changes": a.changes}
            for a in block.amendments.all()
        ],
    }


@router.post(
    "/patients/{patient_id}/nerve-blocks",
    response={201: NerveBlockOut},
    summary="Record a nerve block",
)
@api_roles(PRESCRIBER_ROLES)
def nerve_block_create(request, patient_id: int, payload: NerveBlockIn):
    """A nerve block (local anaesthetic: no toxin, no vial) at a trigger site's nerve, a
    draft note until signed. Billing lines come from `CADENCE_NERVE_BLOCK_BILLING_CODES`
    (modifier 50 when both sides are blocked). 422 for a site that is not blocked
    (rhinogenic), a nerve not of the site, a date in the future."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    block = services.nerve_block_record(
        patient=patient,
        clinician=request.user,
        request=request,
        **payload.dict(),
    )
    return Status(201, _block_out(block))


@router.get(
    "/patients/{patient_id}/nerve-blocks",
    response=list[NerveBlockOut],
    summary="The patient's nerve blocks",
)
@api_roles(CLINICAL_ROLES)
def nerve_block_list(request, patient_id: int):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    audit_view(request, summary="Viewed nerve blocks (API)", patient=patient)
    return [
        _block_out(b) for b in selectors.nerve_blocks_for(patient).prefetch_related("amendments")
    ]


@router.get(
    "/patients/{patient_id}/nerve-blocks/{nerve_block_id}",
    response=NerveBlockOut,
    summary="One nerve-block note",
)
@api_roles(CLINICAL_ROLES)
def nerve_block_get(request, patient_id: int, nerve_block_id: int):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    block = selectors.nerve_block_for(patient, nerve_block_id)
    audit_view(request, summary="Viewed a nerve-block note (API)", patient=patient, obj=block)
    return _block_out(block)


@router.post(
    "/patients/{patient_id}/nerve-blocks/{nerve_block_id}/sign",
    response=NerveBlockOut,
    summary="Sign a nerve-block note",
)
@api_roles(PRESCRIBER_ROLES)
def nerve_block_sign(request, patient_id: int, nerve_block_id: int):
    """Locks the note; later changes are amendments. 422 if already signed or voided."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    block = selectors.nerve_block_for(patient, nerve_block_id)
    services.nerve_block_sign(block=block, signed_by=request.user, request=request)
    return _block_out(selectors.nerve_block_for(patient, block.pk))


@router.post(
    "/patients/{patient_id}/nerve-blocks/{nerve_block_id}/void",
    response=NerveBlockOut,
    summary="Void a draft nerve-block note",
)
@api_roles(PRESCRIBER_ROLES)
def nerve_block_void(request, patient_id: int, nerve_block_id: int, payload: NerveBlockVoidIn):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    block = selectors.nerve_block_for(patient, nerve_block_id)
    services.nerve_block_void(
        block=block, voided_by=request.user, reason=payload.reason, request=request
    )
    return _block_out(selectors.nerve_block_for(patient, block.pk))


@router.post(
    "/patients/{patient_id}/nerve-blocks/{nerve_block_id}/amendments",
    response={201: NerveBlockOut},
    summary="Amend a signed nerve-block note",
)
@api_roles(PRESCRIBER_ROLES)
def nerve_block_amend(request, patient_id: int, nerve_block_id: int, payload: NerveBlockAmendIn):
    """Change the agent, volume, dose or notes of a signed note, with a reason."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    block = selectors.nerve_block_for(patient, nerve_block_id)
    services.nerve_block_amend(
        block=block, amended_by=request.user, request=request, **payload.dict()
    )
    return Status(201, _block_out(selectors.nerve_block_for(patient, block.pk)))


@router.post(
    "/patients/{patient_id}/surgical-workups",
    response={201: SurgicalWorkupOut},
    summary="Record the surgical work-up (pain point, symptoms)",
)
@api_roles(CLINICAL_ROLES)
def surgical_workup_create(request, patient_id: int, payload: SurgicalWorkupIn):
    """The PAINS answers the diary cannot give; the latest entry counts."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    workup: SurgicalWorkup = services.surgical_workup_record(
        patient=patient, recorded_by=request.user, request=request, **payload.dict()
    )
    return Status(
        201,
        {
            "id": workup.pk,
            "recorded_on": workup.recorded_on,
            "trigger_site": workup.trigger_site,
            "pain_point": workup.pain_point,
            "appropriate_symptoms": workup.appropriate_symptoms,
            "symptoms": workup.symptoms,
            "attack_start": workup.attack_start,
        },
    )


def _operation_out(operation: SurgicalOperation) -> dict:
    windows = selectors.surgery_outcomes(operation, today=timezone.localdate())
    return {
        "id": operation.pk,
        "performed_on": operation.performed_on,
        "surgeon": operation.surgeon,
        "sites": operation.sites,
        "technique": operation.technique,
        "outcomes": [selectors.outcome_window_as_dict(w) for w in windows],
    }


@router.post(
    "/patients/{patient_id}/surgical-operations",
    response={201: SurgicalOperationOut},
    summary="Record a migraine operation",
)
@api_roles(PRESCRIBER_ROLES)
def surgical_operation_create(request, patient_id: int, payload: SurgicalOperationIn):
    """Date, surgeon, the trigger sites deactivated (each with its side) and the
    technique as free text. Outcomes then follow from the diary."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    operation = services.surgical_operation_record(
        patient=patient,
        performed_on=payload.performed_on,
        surgeon=payload.surgeon,
        sites=[(s.trigger_site, s.side) for s in payload.sites],
        technique=payload.technique,
        recorded_by=request.user,
        request=request,
    )
    return Status(201, _operation_out(operation))


@router.get(
    "/patients/{patient_id}/surgical-operations",
    response=list[SurgicalOperationOut],
    summary="Operations and their outcomes",
)
@api_roles(CLINICAL_AND_PATIENT_ROLES)
def surgical_operation_list(request, patient_id: int):
    """Each operation with headache days and the Migraine Headache Index (MHI) in the 28
    days before it and at 3, 6 and 12 months, and the percent fewer than before; success
    at 50% fewer headache days. A patient sees their own."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    audit_view(request, summary="Viewed operations and outcomes (API)", patient=patient)
    return [_operation_out(op) for op in selectors.operations_for(patient)]
