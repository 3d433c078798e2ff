"""JSON API operations of the treatments app (mounted under /api/v1 by config/api.py):
the site catalogue, treatment plans, vial stock, procedure notes (sign, amend), other
toxin treatments and lot recall."""

from django.contrib.auth import get_user_model
from django.http import Http404
from ninja import Router, Status

from cadence.accounts.api_auth import api_roles
from cadence.accounts.roles import CLINICAL_ROLES, PRESCRIBER_ROLES, RECALL_ROLES, STAFF_ROLES
from cadence.accounts.validation import refusal
from cadence.audit.services import audit_view
from cadence.patients.access import patient_for_user
from cadence.rules.vials import canonical_lot
from cadence.treatments import selectors, services
from cadence.treatments.models import Procedure, TreatmentPlan
from cadence.treatments.schemas import (
    AmendmentOut,
    BillingLineOut,
    InjectionOut,
    InjectionSiteOut,
    OtherToxinTreatmentIn,
    OtherToxinTreatmentOut,
    PlanConsentIn,
    ProcedureAmendIn,
    ProcedureDetailOut,
    ProcedureIn,
    ProcedureOut,
    ProcedureVialOut,
    ProcedureVoidIn,
    RecallOut,
    RecallPatientOut,
    RecallRowOut,
    SiteUnitsOut,
    TreatmentPlanIn,
    TreatmentPlanOut,
    VialIn,
    VialLotOut,
)

router = Router(tags=["Treatments"])


def _plan_out(plan: TreatmentPlan) -> TreatmentPlanOut:
    return TreatmentPlanOut(
        id=plan.pk,
        patient_id=plan.patient_id,
        template=plan.template,
        planned_for=plan.planned_for,
        total_units=float(plan.total_units),
        site_count=plan.site_count,
        sites=[
            SiteUnitsOut(
                site=site.code,
                label=site.label,
                units=float(units),
                follow_the_pain=site.follow_the_pain,
            )
            for site, units in selectors.plan_sites(plan)
        ],
        consent_given_by=plan.consent_given_by,
        consent_recorded_at=plan.consent_recorded_at,
    )


def _billing(procedure: Procedure) -> list[BillingLineOut]:
    return [
        BillingLineOut(
            code=line.code,
            units=float(line.units),
            modifier=line.modifier,
            description=line.description,
        )
        for line in selectors.procedure_billing(procedure)
    ]


def _procedure_out(procedure: Procedure) -> dict:
    return {
        "id": procedure.pk,
        "patient_id": procedure.patient_id,
        "plan_id": procedure.plan_id,
        "performed_on": procedure.performed_on,
        "performed_at": procedure.performed_at,
        "clinician": procedure.clinician.get_username() if procedure.clinician else None,
        "co_signer": procedure.co_signer.get_username() if procedure.co_signer_id else None,
        "status": procedure.status,
        "total_units": float(procedure.total_units),
        "wasted_units": float(procedure.wasted_units),
        "drawn_units": float(procedure.drawn_units),
        "dilution": procedure.dilution,
        "billing": _billing(procedure),
        "outside_protocol": procedure.outside_protocol,
        "override_reason": procedure.override_reason or None,
        "outside_protocol_reason": services.outside_protocol_text(procedure) or None,
        "voided_at": procedure.voided_at,
        "void_reason": procedure.void_reason or None,
    }


def _procedure_detail_out(procedure: Procedure) -> ProcedureDetailOut:
    lots = selectors.injection_vial_lots(procedure)
    return ProcedureDetailOut(
        **_procedure_out(procedure),
        injections=[
            InjectionOut(
                site=site.code,
                label=site.label,
                units=float(units),
                follow_the_pain=site.follow_the_pain,
                vial_lot=lots.get(site.code),
            )
            for site, units in selectors.procedure_injections(procedure)
        ],
        vials=[
            ProcedureVialOut(lot=v.lot_number, size_units=v.size_units, expires_on=v.expires_on)
            for v in procedure.vials.all()
        ],
        consent_obtained=procedure.consent_obtained,
        immediate_reactions=procedure.immediate_reactions,
        aftercare_given=procedure.aftercare_given,
        notes=procedure.notes,
        signed_at=procedure.signed_at,
        signed_by=procedure.signed_by.get_username() if procedure.signed_by else None,
        signed_note=procedure.signed_note,
        amendments=[
            AmendmentOut(
                id=a.pk,
                amended_by=a.amended_by.get_username(),
                amended_at=a.amended_at,
                reason=a.reason,
                changes=a.changes,
            )
            for a in procedure.amendments.all()
        ],
    )


# --- catalogue ---------------------------------------------------------------------------
@router.get(
    "/injection-sites", response=list[InjectionSiteOut], summary="The injection-site catalogue"
)
@api_roles(STAFF_ROLES)
def injection_site_list(request):
    """The 31 fixed PREEMPT sites (`follow_the_pain` false) and the 8 follow-the-pain sites,
    with their codes (used in plans and procedures), default units and head-map positions."""
    return [
        InjectionSiteOut(
            code=s.code,
            muscle=s.muscle,
            side=s.side,
            number=s.number,
            default_units=float(s.default_units),
            follow_the_pain=s.follow_the_pain,
            label=s.label,
            view=s.view,
            x=s.x,
            y=s.y,
        )
        for s in selectors.injection_sites()
    ]


# --- plans ---------------------------------------------------------------------------------
@router.post(
    "/patients/{patient_id}/treatment-plans",
    response={201: TreatmentPlanOut},
    summary="Create a treatment plan",
)
@api_roles(PRESCRIBER_ROLES)
def treatment_plan_create(request, patient_id: int, payload: TreatmentPlanIn):
    """`template` `preempt` (31 sites, 155 U; `sites` lists only the follow-the-pain
    additions) or `custom` (a targeted plan: `sites` is the whole plan). Refused with 422
    naming the rule and by how much: unknown site, units per site out of range,
    follow-the-pain caps, over 195 U per session, over 400 U in any 84 days (counting the
    patient's other toxin treatments and procedures)."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    plan = services.treatment_plan_create(
        patient=patient,
        template=payload.template,
        sites=[(s.site, s.units) for s in payload.sites],
        created_by=request.user,
        planned_for=payload.planned_for,
        notes=payload.notes,
        request=request,
    )
    return Status(201, _plan_out(selectors.plan_for_patient(patient, plan.pk)))


@router.get(
    "/patients/{patient_id}/treatment-plans",
    response=list[TreatmentPlanOut],
    summary="A patient's treatment plans",
)
@api_roles(CLINICAL_ROLES)
def treatment_plan_list(request, patient_id: int):
    """Newest first, each with its sites and consent."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    plans = selectors.plans_for_patient(patient).prefetch_related("sites__site")
    audit_view(request, patient=patient, summary="Viewed treatment plans (API)")
    return [_plan_out(plan) for plan in plans]


@router.get(
    "/patients/{patient_id}/treatment-plans/{plan_id}",
    response=TreatmentPlanOut,
    summary="One treatment plan",
)
@api_roles(CLINICAL_ROLES)
def treatment_plan_get(request, patient_id: int, plan_id: int):
    """The plan with its sites, totals and consent."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    plan = selectors.plan_for_patient(patient, plan_id)
    audit_view(request, patient=patient, obj=plan, summary="Viewed a treatment plan (API)")
    return _plan_out(plan)


@router.post(
    "/patients/{patient_id}/treatment-plans/{plan_id}/consent",
    response=TreatmentPlanOut,
    summary="Record the patient's consent to a plan",
)
@api_roles(CLINICAL_ROLES)
def treatment_plan_consent(request, patient_id: int, plan_id: int, payload: PlanConsentIn):
    """After reviewing the plan, the aftercare and the expected course with the patient:
    who consented; the time and the recording user are stored."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    plan = selectors.plan_for_patient(patient, plan_id)
    services.treatment_plan_record_consent(
        plan=plan,
        consent_given_by=payload.consent_given_by,
        recorded_by=request.user,
        request=request,
    )
    return _plan_out(selectors.plan_for_patient(patient, plan.pk))


# --- vials -----------------------------------------------------------------------------------
@router.post("/vials", response={201: VialLotOut}, summary="Receive vials into stock")
@api_roles(CLINICAL_ROLES)
def vial_receive(request, payload: VialIn):
    """`lot`, `expires_on`, `size_units` (100 or 200), `quantity` (vials, default 1). A lot
    received again with the same size and expiry is added to its stock."""
    lot = services.vial_receive(
        lot=payload.lot,
        expires_on=payload.expires_on,
        size_units=payload.size_units,
        quantity=payload.quantity,
        received_by=request.user,
        request=request,
    )
    return Status(201, _lot_out(lot))


def _lot_out(lot) -> VialLotOut:
    return VialLotOut(
        id=lot.pk,
        lot=lot.lot_number,
        expires_on=lot.expires_on,
        size_units=lot.size_units,
        quantity_received=lot.quantity_received,
        quantity_remaining=lot.quantity_remaining,
    )


@router.get("/vials", response=list[VialLotOut], summary="Vial stock")
@api_roles(CLINICAL_ROLES)
def vial_list(request):
    """Every lot received, earliest expiry first, with the vials remaining."""
    return [_lot_out(lot) for lot in selectors.vial_stock()]


# --- procedures --------------------------------------------------------------------------------
@router.post(
    "/patients/{patient_id}/procedures", response={201: ProcedureOut}, summary="Record a procedure"
)
@api_roles(PRESCRIBER_ROLES)
def procedure_create(request, patient_id: int, payload: ProcedureIn):
    """A procedure note (draft until signed). `injections` default to the plan's sites;
    `vial_lots` lists one lot per vial opened (stock is decremented). Refused with 422:
    consent not obtained, a date in the future, an unknown or expired lot, not enough
    stock, an unknown site, units out of range, over 400 U in 84 days. The clinical gate
    (422, `type` naming the rule): no current decision including Botox
    (`no_botox_decision`), hypersensitivity recorded (`hypersensitivity`); and, unless a
    non-blank `override_reason` is given, an infection at a site, a warning answered yes,
    or a date before the earliest re-treatment date (draft notes count). A session on an
    override answers `outside_protocol: true`. The answer has the
    total, the waste (units drawn minus injected) and the billing lines (CPT 64615, J0585,
    J0585-JW for waste or JZ when nothing was wasted). A second procedure on the same plan
    and day answers 409 (naming `confirm_second_session`) unless `confirm_second_session`
    is true."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    try:
        plan = TreatmentPlan.objects.get(pk=payload.plan, patient=patient)
    except TreatmentPlan.DoesNotExist:
        raise refusal(
            "plan", "No such treatment plan for this patient", code="unknown_plan"
        ) from None
    procedure = services.procedure_record(
        patient=patient,
        plan=plan,
        performed_on=payload.performed_on,
        vial_lots=payload.vial_lots,
        consent_obtained=payload.consent_obtained,
        clinician=request.user,
        injections=None
        if payload.injections is None
        else [(i.site, i.units, i.vial_lot) for i in payload.injections],
        performed_at=payload.performed_at,
        immediate_reactions=payload.immediate_reactions,
        aftercare_given=payload.aftercare_given,
        notes=payload.notes,
        override_reason=payload.override_reason,
        confirm_second_session=payload.confirm_second_session,
        co_signer=_co_signer(payload.co_signer),
        request=request,
    )
    return Status(201, _procedure_out(procedure))


def _co_signer(username: str | None):
    """The clinician named as co-signer, or None; an unknown name is refused (422)."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise refusal("co_signer", f"No user named {username}.", code="unknown_user")
    return user


@router.get(
    "/patients/{patient_id}/procedures",
    response=list[ProcedureOut],
    summary="A patient's procedures",
)
@api_roles(CLINICAL_ROLES)
def procedure_list(request, patient_id: int):
    """Newest first, with totals, waste and billing."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    audit_view(request, patient=patient, summary="Viewed procedures (API)")
    return [_procedure_out(p) for p in selectors.procedures_for_patient(patient)]


@router.get(
    "/patients/{patient_id}/procedures/{procedure_id}",
    response=ProcedureDetailOut,
    summary="One procedure note",
)
@api_roles(CLINICAL_ROLES)
def procedure_get(request, patient_id: int, procedure_id: int):
    """The full note: sites, vials and lots, dilution, billing, the signed original and
    every amendment."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    procedure = selectors.procedure_for_patient(patient, procedure_id)
    audit_view(request, patient=patient, obj=procedure, summary="Viewed a procedure note (API)")
    return _procedure_detail_out(procedure)


@router.post(
    "/patients/{patient_id}/procedures/{procedure_id}/sign",
    response=ProcedureDetailOut,
    summary="Sign a procedure note",
)
@api_roles(PRESCRIBER_ROLES)
def procedure_sign(request, patient_id: int, procedure_id: int):
    """Locks the note; later changes are amendments. 422 if already signed. Only the
    clinician who performed the procedure, or the co-signer they named, may sign: anyone
    else gets 403 with the reason in `detail` (the attempt is audited)."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    procedure = selectors.procedure_for_patient(patient, procedure_id)
    services.procedure_sign(procedure=procedure, signed_by=request.user, request=request)
    return _procedure_detail_out(selectors.procedure_for_patient(patient, procedure.pk))


@router.post(
    "/patients/{patient_id}/procedures/{procedure_id}/void",
    response=ProcedureDetailOut,
    summary="Void a draft procedure note",
)
@api_roles(PRESCRIBER_ROLES)
def procedure_void(request, patient_id: int, procedure_id: int, payload: ProcedureVoidIn):
    """Void a draft note with a `reason` (422 when blank, or when the note is signed): it
    is kept and shown as voided, and counted nowhere from now on. Stock is not returned."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    procedure = selectors.procedure_for_patient(patient, procedure_id)
    services.procedure_void(
        procedure=procedure, voided_by=request.user, reason=payload.reason, request=request
    )
    return _procedure_detail_out(selectors.procedure_for_patient(patient, procedure.pk))


@router.post(
    "/patients/{patient_id}/procedures/{procedure_id}/amendments",
    response={201: ProcedureDetailOut},
    summary="Amend a signed procedure note",
)
@api_roles(PRESCRIBER_ROLES)
def procedure_amend(request, patient_id: int, procedure_id: int, payload: ProcedureAmendIn):
    """Change reactions, aftercare, notes or the injected sites of a signed note, with a
    reason. The signed original and every earlier version stay recorded."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    procedure = selectors.procedure_for_patient(patient, procedure_id)
    services.procedure_amend(
        procedure=procedure,
        amended_by=request.user,
        reason=payload.reason,
        immediate_reactions=payload.immediate_reactions,
        aftercare_given=payload.aftercare_given,
        notes=payload.notes,
        injections=None
        if payload.injections is None
        else [(i.site, i.units) for i in payload.injections],
        request=request,
    )
    return Status(
        201, _procedure_detail_out(selectors.procedure_for_patient(patient, procedure.pk))
    )


# --- other toxin treatments ------------------------------------------------------------------
@router.post(
    "/patients/{patient_id}/other-toxin-treatments",
    response={201: OtherToxinTreatmentOut},
    summary="Record a botulinum-toxin treatment for another indication",
)
@api_roles(PRESCRIBER_ROLES)
def other_toxin_treatment_create(request, patient_id: int, payload: OtherToxinTreatmentIn):
    """Counts towards the 400 U in any 84 days limit of plans and procedures."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    treatment = services.other_toxin_treatment_record(
        patient=patient,
        given_on=payload.given_on,
        units=payload.units,
        indication=payload.indication,
        notes=payload.notes,
        recorded_by=request.user,
        request=request,
    )
    return Status(
        201,
        OtherToxinTreatmentOut(
            id=treatment.pk,
            given_on=treatment.given_on,
            units=float(treatment.units),
            indication=treatment.indication,
            notes=treatment.notes,
        ),
    )


@router.get(
    "/patients/{patient_id}/other-toxin-treatments",
    response=list[OtherToxinTreatmentOut],
    summary="Other botulinum-toxin treatments",
)
@api_roles(CLINICAL_ROLES)
def other_toxin_treatment_list(request, patient_id: int):
    """Newest first."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    audit_view(request, patient=patient, summary="Viewed other toxin treatments (API)")
    return [
        OtherToxinTreatmentOut(
            id=t.pk,
            given_on=t.given_on,
            units=float(t.units),
            indication=t.indication,
            notes=t.notes,
        )
        for t in selectors.other_toxin_treatments(patient)
    ]


# --- recall ------------------------------------------------------------------------------------
@router.get("/lots/{lot}/recall", response=RecallOut, summary="Lot recall: who received a lot")
@api_roles(RECALL_ROLES)
def lot_recall(request, lot: str):
    """Every procedure that used the lot, with patient and date (newest first), and each
    patient once with all their dates, signed notes apart from drafts. The lot matches
    whatever its letter case (`c7002a` is lot `C7002A`); a lot the clinic never received
    answers 404."""
    lot = canonical_lot(lot)
    if not selectors.lot_received(lot):
        raise Http404("The clinic never received this lot.")
    rows = selectors.lot_recall(lot)
    groups = selectors.lot_recall_patients(rows)
    audit_view(
        request,
        object_type="treatments.viallot",
        object_id=lot,
        summary=f"Lot recall lookup: {len(rows)} procedures",
        details={"lot": lot},
    )
    return RecallOut(
        lot=lot,
        procedures=[
            RecallRowOut(
                procedure_id=r["procedure_id"],
                performed_on=r["performed_on"],
                patient_id=r["patient_id"],
                patient_name=r["patient_name"],
                vials=r["vials"],
                status=r["status"],
            )
            for r in rows
        ],
        signed=[_recall_patient(p) for p in groups["signed"]],
        drafts=[_recall_patient(p) for p in groups["drafts"]],
    )


def _recall_patient(entry: dict) -> RecallPatientOut:
    return RecallPatientOut(
        patient_id=entry["patient_id"],
        patient_name=entry["patient_name"],
        dates=entry["dates"],
        procedure_ids=[procedure_id for _, procedure_id in entry["procedures"]],
        vials=entry["vials"],
    )
