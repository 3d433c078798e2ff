"""Writes of the treatments app. Each runs in one transaction with its audit entry.

Domain refusals raise Django's ``ValidationError`` naming the field, with the rule's code
(`REFUSED` where no rule names it); the API answers them as 422 naming the field, the
pages show them next to the form.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cadence.accounts.roles import PRESCRIBER_ROLES
from cadence.accounts.validation import CONFLICT, check_date, refusal, refusals
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.rules.aftercare import aftercare_text
from cadence.rules.gate import clean_reason
from cadence.rules.plans import PlannedSite, PlanTemplate, preempt_plan, validate_plan
from cadence.rules.sites import format_units, to_units, units_off_step
from cadence.rules.vials import (
    UNITS_PER_0_1_ML,
    VIAL_SIZES,
    Vial,
    canonical_lot,
    dilution_ml,
    lot_problem,
    vial_problems,
    waste,
)
from cadence.treatments import notes as note_lifecycle
from cadence.treatments import selectors
from cadence.treatments.models import (
    OTHER_TOXIN_MAX_UNITS,
    OtherToxinTreatment,
    PlanSite,
    Procedure,
    ProcedureAmendment,
    ProcedureInjection,
    ProcedureStatus,
    ProcedureVial,
    TreatmentPlan,
    VialLot,
)

#: The code of a refusal no rule of the rules package names.
REFUSED = "refused"
#: The rule recorded on a session whose Botox decision was itself taken on an override.
DECISION_OVERRIDE = "decision_override"


SiteUnits = Iterable[tuple[str, Decimal | int | float | str]]
#: An injection as recorded on a note: (site code, units) or (site code, units, vial lot);
#: the lot (one of the session's ``vial_lots``) says which vial the dose came from.
InjectionUnits = Iterable[
    tuple[str, Decimal | int | float | str] | tuple[str, Decimal | int | float | str, str | None]
]


def _planned_sites(sites: SiteUnits, field: str) -> list[PlannedSite]:
    planned = []
    for code, units in sites:
        try:
            planned.append(PlannedSite(str(code), to_units(units)))
        except ValueError as exc:
            raise refusal(field, f"{code}: {exc}", code="invalid_units") from None
    return planned


def _injection_lots(injections: InjectionUnits | None) -> tuple[list, dict[str, str]]:
    """Split injections into (site, units) pairs and {site code: canonical vial lot}."""
    pairs, lots = [], {}
    for code, units, *rest in injections or ():
        pairs.append((code, units))
        lot = canonical_lot(rest[0]) if rest and rest[0] else ""
        if lot:
            lots[str(code)] = lot
    return pairs, lots


def _check_injection_lots(lots: dict[str, str], vial_lots: Sequence[str], field: str) -> None:
    """Each injection's lot must be one of the vials opened in the session."""
    opened = {canonical_lot(lot) for lot in vial_lots}
    for code, lot in lots.items():
        if lot not in opened:
            raise refusal(
                field,
                f"{code}: lot {lot} is not one of the vials opened in this session "
                f"({', '.join(sorted(opened)) or 'none'}).",
                code="unknown_lot",
            )


def _vial_for_sites(vials: Sequence[ProcedureVial], lots: dict[str, str]):
    """``site code -> ProcedureVial``: the vial of the lot named for the site, else the
    session's only lot (its first vial), else none (not recorded)."""
    first_of_lot: dict[str, ProcedureVial] = {}
    for vial in vials:
        first_of_lot.setdefault(vial.lot_number, vial)
    single = next(iter(first_of_lot.values())) if len(first_of_lot) == 1 else None
    return lambda code: first_of_lot.get(lots.get(code, ""), single)


def _check_plan(template, planned, *, on, doses, field: str) -> None:
    problems = validate_plan(template, planned, on=on, other_toxin_doses=doses)
    if problems:
        raise refusals((field, p.message, p.rule or REFUSED) for p in problems)


# --- plans -------------------------------------------------------------------------------
@transaction.atomic
def treatment_plan_create(
    *,
    patient,
    template: str,
    sites: SiteUnits,
    created_by,
    planned_for: date | None = None,
    notes: str = "",
    request=None,
) -> TreatmentPlan:
    """Create a plan. For ``preempt`` `sites` are only the follow-the-pain additions; for
    ``custom`` they are the whole targeted plan. Refused (ValidationError) when
    rules.plans.validate_plan finds a problem, including the 400 U in 84 days window
    counted with the patient's other toxin treatments and procedures."""
    try:
        template = PlanTemplate(template)
    except ValueError:
        raise refusal("template", "template must be 'preempt' or 'custom'", code=REFUSED) from None
    check_date("planned_for", planned_for, born_on=patient.date_of_birth)
    on = planned_for or timezone.localdate()
    given = _planned_sites(sites, "sites")
    planned = preempt_plan(given) if template is PlanTemplate.preempt else given
    _check_plan(template, planned, on=on, doses=selectors.other_toxin_doses(patient), field="sites")
    by_code = selectors.sites_by_code()
    total = sum((s.units for s in planned), Decimal(0))
    plan = TreatmentPlan.objects.create(
        patient=patient,
        template=str(template),
        planned_for=on,
        total_units=total,
        site_count=len(planned),
        created_by=created_by,
        notes=notes,
    )
    PlanSite.objects.bulk_create(
        PlanSite(plan=plan, site=by_code[s.code], units=s.units) for s in planned
    )
    audit_record(
        actor=created_by,
        action=AuditAction.CREATE,
        patient=patient,
        obj=plan,
        request=request,
        summary=f"Treatment plan ({template}) {format_units(total)} U at {len(planned)} sites",
    )
    return plan


@transaction.atomic
def treatment_plan_record_consent(
    *, plan: TreatmentPlan, consent_given_by: str, recorded_by, request=None
) -> TreatmentPlan:
    """Record that the plan, the aftercare and the expected course were reviewed with the
    patient and that they (or their representative) consented."""
    who = consent_given_by.strip()
    if not who:
        raise refusal(
            "consent_given_by",
            "Say who gave consent (the patient or their representative).",
            code=REFUSED,
        )
    plan = TreatmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.has_consent:
        raise refusal(
            "consent_given_by", "Consent for this plan is already recorded.", code=REFUSED
        )
    plan.consent_given_by = who[:120]
    plan.consent_recorded_at = timezone.now()
    plan.consent_recorded_by = recorded_by
    plan.save(update_fields=["consent_given_by", "consent_recorded_at", "consent_recorded_by"])
    audit_record(
        actor=recorded_by,
        action=AuditAction.CHANGE,
        patient=plan.patient,
        obj=plan,
        request=request,
        summary="Plan reviewed with the patient; consent recorded",
    )
    return plan


# --- other toxin treatments -----------------------------------------------------------------
@transaction.atomic
def other_toxin_treatment_record(
    *, patient, given_on: date, units, indication: str, notes: str = "", recorded_by, request=None
) -> OtherToxinTreatment:
    """Record onabotulinumtoxinA given for another indication (counts in the 84-day window)."""
    try:
        amount = to_units(units)
    except ValueError as exc:
        raise refusal("units", str(exc), code=REFUSED) from None
    if not amount.is_finite() or amount <= 0:
        raise refusal("units", "units must be a positive number", code=REFUSED)
    if amount > OTHER_TOXIN_MAX_UNITS:
        raise refusal(
            "units",
            f"{format_units(amount)} U is more than {format_units(OTHER_TOXIN_MAX_UNITS)} U, "
            "the most onabotulinumtoxinA given across all indications in 84 days.",
            code="units_out_of_range",
        )
    if units_off_step(amount):
        raise refusal(
            "units",
            f"Units are recorded to 0.1 U; {format_units(amount)} U doesn't fit.",
            code="invalid_units",
        )
    check_date("given_on", given_on, born_on=patient.date_of_birth)
    if given_on > timezone.localdate():
        raise refusal("given_on", "given_on can't be in the future", code=REFUSED)
    if not indication.strip():
        raise refusal("indication", "Say what the toxin was given for.", code=REFUSED)
    treatment = OtherToxinTreatment.objects.create(
        patient=patient,
        given_on=given_on,
        units=amount,
        indication=indication.strip()[:120],
        notes=notes,
        recorded_by=recorded_by,
    )
    audit_record(
        actor=recorded_by,
        action=AuditAction.CREATE,
        patient=patient,
        obj=treatment,
        request=request,
        summary=f"Other toxin treatment {format_units(amount)} U on {given_on.isoformat()}",
    )
    return treatment


# --- vials ---------------------------------------------------------------------------------
@transaction.atomic
def vial_receive(
    *, lot: str, expires_on: date, size_units: int, quantity: int = 1, received_by, request=None
) -> VialLot:
    """Receive vials into stock. A lot received again (same size and expiry) adds to it.
    The lot is kept in its canonical form (trimmed, upper-case: `rules.vials.canonical_lot`),
    so `c7002a` and `C7002A` are one lot; a lot with other characters is refused."""
    lot = canonical_lot(lot)
    problem = lot_problem(lot)
    if problem:
        raise refusal("lot", problem, code=REFUSED)
    if size_units not in VIAL_SIZES:
        raise refusal(
            "size_units",
            f"size_units must be one of {', '.join(map(str, VIAL_SIZES))}",
            code=REFUSED,
        )
    if quantity < 1 or quantity > 1000:
        raise refusal("quantity", "quantity must be between 1 and 1000 vials", code=REFUSED)
    check_date("expires_on", expires_on)
    if expires_on < timezone.localdate():
        raise refusal(
            "expires_on",
            f"Lot {lot} expired on {expires_on.isoformat()}: expired stock can't be received",
            code=REFUSED,
        )
    existing = VialLot.objects.select_for_update().filter(lot_number=lot).first()
    if existing is not None:
        if existing.size_units != size_units or existing.expires_on != expires_on:
            raise refusal(
                "lot",
                f"Lot {lot} is already in stock as {existing.size_units} U vials expiring "
                f"{existing.expires_on.isoformat()}; check the lot number",
                code=REFUSED,
            )
        VialLot.objects.filter(pk=existing.pk).update(
            quantity_received=F("quantity_received") + quantity,
            quantity_remaining=F("quantity_remaining") + quantity,
        )
        existing.refresh_from_db()
        vial_lot = existing
    else:
        vial_lot = VialLot.objects.create(
            lot_number=lot,
            expires_on=expires_on,
            size_units=size_units,
            quantity_received=quantity,
            quantity_remaining=quantity,
            received_by=received_by,
        )
    audit_record(
        actor=received_by,
        action=AuditAction.CREATE,
        obj=vial_lot,
        request=request,
        summary=f"Received {quantity} x {size_units} U vials of lot {lot}",
    )
    return vial_lot


def dilution_description(sizes: Iterable[int]) -> str:
    parts = []
    for size in sorted(set(sizes)):
        parts.append(
            f"{size} U vial + {format_units(dilution_ml(size))} mL preservative-free saline"
        )
    if not parts:
        return ""
    return "; ".join(parts) + f" ({format_units(UNITS_PER_0_1_ML)} U per 0.1 mL)"


# --- procedures ------------------------------------------------------------------------------
def _take_vials(vial_lots: Sequence[str], *, on: date) -> list[VialLot]:
    """Lock the lots, refuse unknown/expired/short ones, and decrement stock race-safely.
    Returns one VialLot per vial opened (a lot repeats when several of its vials are)."""
    wanted = Counter(canonical_lot(lot) for lot in vial_lots)
    if not vial_lots:
        raise refusal("vial_lots", "Record at least one vial (its lot number).", code=REFUSED)
    if "" in wanted:
        raise refusal("vial_lots", "A vial has no lot number.", code=REFUSED)
    lots = {
        lot.lot_number: lot
        for lot in VialLot.objects.select_for_update().filter(lot_number__in=wanted)
    }
    unknown = sorted(set(wanted) - set(lots))
    if unknown:
        raise refusal(
            "vial_lots",
            f"Unknown lot {', '.join(unknown)}: receive it into stock first",
            code="unknown_lot",
        )
    expired = vial_problems(
        [Vial(lot.lot_number, lot.expires_on, lot.size_units) for lot in lots.values()], on
    )
    if expired:
        raise refusals(("vial_lots", message, "expired_lot") for message in expired)
    for number, count in wanted.items():
        # Conditional decrement: never below zero, even with concurrent procedures.
        updated = VialLot.objects.filter(pk=lots[number].pk, quantity_remaining__gte=count).update(
            quantity_remaining=F("quantity_remaining") - count
        )
        if not updated:
            lots[number].refresh_from_db()
            raise refusal(
                "vial_lots",
                f"Not enough stock of lot {number}: {count} vial{'s' if count != 1 else ''} "
                f"needed, {lots[number].quantity_remaining} left",
                code="not_enough_stock",
            )
    return [lots[canonical_lot(lot)] for lot in vial_lots]


#: The code of a second procedure on the same plan and day recorded without confirming it
#: (409 in the API, naming `confirm_second_session`; the page asks for a tick).
SECOND_SESSION = CONFLICT


def _check_first_session_of_the_day(plan: TreatmentPlan, performed_on: date) -> None:
    """A second procedure on the same plan and day opens more vials: it is recorded only
    when the clinician confirms it (a first note recorded twice is the usual mistake)."""
    earlier = selectors.procedures_on_day(plan, performed_on)
    if earlier:
        first = earlier[0]
        state = first.get_status_display().lower()
        raise refusal(
            "confirm_second_session",
            f"A procedure on this plan was already recorded on {performed_on.isoformat()} "
            f"(note {first.pk}, {state}). Confirm that this is a second session on the same "
            "day, or open the existing note instead.",
            code=SECOND_SESSION,
        )


@transaction.atomic
def procedure_record(
    *,
    patient,
    plan: TreatmentPlan,
    performed_on: date,
    vial_lots: Sequence[str],
    consent_obtained: bool,
    clinician,
    injections: InjectionUnits | None = None,
    performed_at: datetime | None = None,
    immediate_reactions: str = "",
    aftercare_given: str | None = None,
    notes: str = "",
    override_reason: str | None = None,
    confirm_second_session: bool = False,
    co_signer=None,
    request=None,
) -> Procedure:
    """Record a procedure note (a draft until signed): the sites injected (default: the
    plan's; each with the vial lot its dose came from, the session's only lot by default),
    the vials opened (stock decremented), dilution, total, waste. ``co_signer``: a
    clinician the performer names to sign the note in their place (only the performer or
    that co-signer may sign it).

    The gate first (``rules.gate.procedure_gate``, clinic-reference.md section 7): refused
    without a current decision including onabotulinumtoxinA or with hypersensitivity
    recorded; an infection at a site, a warning answered yes or a date before the earliest
    re-treatment date (drafts count) are refused unless ``override_reason`` is given (a
    blank reason is no reason). A session on an override, or under a decision taken on
    one, is outside protocol. The dose limits never bend. A refusal leaves nothing behind
    (one transaction: no stock taken, no note, no audit entry)."""
    if plan.patient_id != patient.pk:
        raise refusal("plan", "No such plan for this patient.", code=REFUSED)
    if not consent_obtained:
        raise refusal(
            "consent_obtained",
            "The patient's consent must be obtained and recorded (consent_obtained must be true).",
            code=REFUSED,
        )
    check_date("performed_on", performed_on, born_on=patient.date_of_birth)
    if performed_on > timezone.localdate():
        raise refusal("performed_on", "performed_on can't be in the future", code=REFUSED)
    if co_signer is not None and (
        not getattr(co_signer, "is_active", False)
        or co_signer.role not in PRESCRIBER_ROLES
        or co_signer.pk == getattr(clinician, "pk", None)
    ):
        raise refusal(
            "co_signer",
            "The co-signer must be another active clinician (a prescriber) who can sign the note.",
            code=REFUSED,
        )
    if not confirm_second_session:
        _check_first_session_of_the_day(plan, performed_on)
    reason = clean_reason(override_reason)
    reading = selectors.procedure_gate_for(patient, on=performed_on)
    blocking = reading.verdict.refusal_for(reason)
    if blocking:
        # Absolute refusals name no field (nothing to fill in); a missing reason names it.
        field = None if reading.verdict.refusals else "override_reason"
        raise refusals((field, f.message, str(f.rule)) for f in blocking)
    overridden = [
        {"rule": str(f.rule), "detail": f.message} for f in reading.verdict.reasons_needed
    ]
    decision = reading.decision
    if decision is not None and decision.outside_protocol:
        overridden.append(
            {
                "rule": DECISION_OVERRIDE,
                "detail": f"decision for Botox taken on an override: {decision.override_reason}",
            }
        )
    pairs, injection_lots = _injection_lots(injections)
    if injections is None:
        planned = [PlannedSite(ps.site.code, ps.units) for ps in plan.sites.select_related("site")]
    else:
        planned = _planned_sites(pairs, "injections")
    _check_injection_lots(injection_lots, vial_lots, "injections")
    # What was injected is checked like a targeted plan: known sites, 2.5-10 U per site,
    # follow-the-pain caps, 195 U per session, 400 U in any 84 days.
    _check_plan(
        PlanTemplate.custom,
        planned,
        on=performed_on,
        doses=selectors.other_toxin_doses(patient),
        field="injections",
    )
    injected = sum((s.units for s in planned), Decimal(0))
    vials = _take_vials(vial_lots, on=performed_on)
    drawn = Decimal(sum(v.size_units for v in vials))
    try:
        wasted = waste(drawn, injected)
    except ValueError as exc:
        raise refusal(
            "vial_lots", f"The vials hold {format_units(drawn)} U: {exc}", code=REFUSED
        ) from None
    procedure = Procedure.objects.create(
        patient=patient,
        plan=plan,
        performed_on=performed_on,
        performed_at=performed_at or timezone.now(),
        clinician=clinician,
        total_units=injected,
        wasted_units=wasted,
        drawn_units=drawn,
        dilution=dilution_description(v.size_units for v in vials),
        consent_obtained=True,
        immediate_reactions=immediate_reactions,
        aftercare_given=aftercare_text() if aftercare_given is None else aftercare_given,
        notes=notes,
        override_reason=reason or "",
        outside_protocol=bool(overridden),
        outside_protocol_rules=overridden,
        co_signer=co_signer,
    )
    ProcedureVial.objects.bulk_create(
        ProcedureVial(
            procedure=procedure,
            lot=v,
            lot_number=v.lot_number,
            size_units=v.size_units,
            expires_on=v.expires_on,
        )
        for v in vials
    )
    by_code = selectors.sites_by_code()
    vial_for = _vial_for_sites(list(procedure.vials.all()), injection_lots)
    ProcedureInjection.objects.bulk_create(
        ProcedureInjection(
            procedure=procedure, site=by_code[s.code], units=s.units, vial=vial_for(s.code)
        )
        for s in planned
    )
    audit_record(
        actor=clinician,
        action=AuditAction.CREATE,
        patient=patient,
        obj=procedure,
        request=request,
        summary=f"Procedure {format_units(injected)} U injected, {format_units(wasted)} U wasted"
        + (f"; outside protocol: {outside_protocol_text(procedure)}" if overridden else ""),
        details={
            "lots": [canonical_lot(lot) for lot in vial_lots],
            "outside_protocol": bool(overridden),
            "override_rules": [o["rule"] for o in overridden],
            "override_reason": reason or "",
            "co_signer": co_signer.pk if co_signer is not None else None,
        },
    )
    return procedure


def outside_protocol_text(procedure: Procedure) -> str:
    """The reason shown after "Outside protocol:" on the note, its PDF and the worklist:
    the clinician's override reason and, when the Botox decision was itself taken on an
    override, that decision's reason."""
    parts = [procedure.override_reason] if procedure.override_reason else []
    parts += [
        o["detail"]
        for o in (procedure.outside_protocol_rules or [])
        if isinstance(o, dict) and o.get("rule") == DECISION_OVERRIDE
    ]
    return "; ".join(parts)


def _note_snapshot(procedure: Procedure) -> dict:
    return {
        "performed_on": procedure.performed_on.isoformat(),
        "performed_at": procedure.performed_at.isoformat() if procedure.performed_at else None,
        "clinician": procedure.clinician.get_username() if procedure.clinician else None,
        "plan": procedure.plan_id,
        "consent_obtained": procedure.consent_obtained,
        "injections": {
            i.site.code: format_units(i.units) for i in procedure.injections.select_related("site")
        },
        "injection_lots": {
            i.site.code: i.vial.lot_number
            for i in procedure.injections.select_related("site", "vial")
            if i.vial is not None
        },
        "vials": [
            {
                "lot": v.lot_number,
                "size_units": v.size_units,
                "expires_on": v.expires_on.isoformat(),
            }
            for v in procedure.vials.all()
        ],
        "dilution": procedure.dilution,
        "drawn_units": format_units(procedure.drawn_units),
        "total_units": format_units(procedure.total_units),
        "wasted_units": format_units(procedure.wasted_units),
        "immediate_reactions": procedure.immediate_reactions,
        "aftercare_given": procedure.aftercare_given,
        "notes": procedure.notes,
        "outside_protocol": procedure.outside_protocol,
        "outside_protocol_reason": outside_protocol_text(procedure),
    }


def procedure_void(*, procedure: Procedure, voided_by, reason: str, request=None) -> Procedure:
    """Void a draft note with a reason: it is kept (shown as voided, audited) and counted
    nowhere from now on (schedule, outcomes, the earliest date, the 400 U window).

    Stock is not returned: a vial recorded on a note was drawn up for this patient, and
    vials are single-patient use, so Cadence cannot tell an unopened vial from an opened
    one. The vials stay on the voided note (a lot recall still finds it). A signed note is
    never voided: it is amended."""
    return note_lifecycle.void_draft(
        Procedure,
        procedure.pk,
        voided_by=voided_by,
        reason=reason,
        summary="Draft procedure note voided",
        request=request,
        record_voided_by=True,
        details=lambda why: {"reason": why[:500], "stock_returned": False},
        load_patient=True,
    )


def may_sign(procedure: Procedure, user) -> bool:
    """Only the clinician who performed the procedure, or the clinician they named on
    the note as co-signer, signs it (issue 21, ASVS: the performer's own record)."""
    return (
        user is not None
        and user.pk is not None
        and user.pk
        in (
            procedure.clinician_id,
            procedure.co_signer_id,
        )
    )


def signing_refusal_text(procedure: Procedure) -> str:
    """Why someone else may not sign this note, as a whole sentence."""
    if procedure.clinician_id is None:
        return (
            "This note has no performing clinician recorded, so nobody can sign it as the "
            "performer; record the procedure again under the clinician who performed it."
        )
    performer = _person(procedure.clinician)
    co_signer = (
        f" or {_person(procedure.co_signer)}, named as co-signer" if procedure.co_signer_id else ""
    )
    return (
        f"Only the clinician who performed this procedure ({performer}){co_signer} may sign "
        "the note."
    )


def _person(user) -> str:
    return getattr(user, "display_name", "") or user.get_username()


def procedure_sign(*, procedure: Procedure, signed_by, request=None) -> Procedure:
    """Sign the note: it is locked from now on (changes become amendments). The note as
    signed is kept in `signed_note`. Only the performer or the co-signer they named may
    sign: anyone else is refused with ``PermissionDenied`` (its message says why), and
    the refused attempt is audited (a security event, kept though nothing is signed)."""
    current = Procedure.objects.select_related("clinician", "co_signer").get(pk=procedure.pk)
    # A signed or voided note answers why it can't be signed (422) to everyone.
    if current.status == ProcedureStatus.DRAFT and not may_sign(current, signed_by):
        reason = signing_refusal_text(current)
        with transaction.atomic():
            audit_record(
                actor=signed_by,
                action=AuditAction.SECURITY,
                patient_id=current.patient_id,
                obj=current,
                request=request,
                summary="Refused to sign a procedure note: not its performer or co-signer",
                details={
                    "performer": current.clinician_id,
                    "co_signer": current.co_signer_id,
                },
            )
        raise PermissionDenied(reason)
    return _procedure_sign(procedure=current, signed_by=signed_by, request=request)


def _procedure_sign(*, procedure: Procedure, signed_by, request=None) -> Procedure:
    return note_lifecycle.sign_note(
        Procedure,
        procedure.pk,
        signed_by=signed_by,
        snapshot=_note_snapshot,
        summary=lambda procedure: (
            "Procedure note signed"
            + (
                " by the co-signer"
                if signed_by.pk == procedure.co_signer_id
                else " by its performer"
            )
        ),
        request=request,
        load_patient=True,
    )


AMENDABLE_TEXT_FIELDS = ("immediate_reactions", "aftercare_given", "notes")


def procedure_amend(
    *,
    procedure: Procedure,
    amended_by,
    reason: str,
    immediate_reactions: str | None = None,
    aftercare_given: str | None = None,
    notes: str | None = None,
    injections: SiteUnits | None = None,
    request=None,
) -> ProcedureAmendment:
    """Amend a signed note. The signed original (`signed_note`) and earlier amendments are
    never changed; the amendment records who, when, why and each field's before/after."""

    def apply_changes(procedure: Procedure) -> tuple[dict, list[str]]:
        changes: dict[str, dict] = {}
        update_fields: list[str] = []
        for field, value in (
            ("immediate_reactions", immediate_reactions),
            ("aftercare_given", aftercare_given),
            ("notes", notes),
        ):
            if value is not None and value != getattr(procedure, field):
                changes[field] = {"before": getattr(procedure, field), "after": value}
                setattr(procedure, field, value)
                update_fields.append(field)
        if injections is not None:
            _amend_injections(procedure, injections, changes, update_fields)
        return changes, update_fields

    return note_lifecycle.amend_signed(
        Procedure,
        procedure.pk,
        amended_by=amended_by,
        reason=reason,
        apply_changes=apply_changes,
        amendment_model=ProcedureAmendment,
        note_field="procedure",
        summary="Procedure note amended",
        request=request,
        load_patient=True,
    )


def _amend_injections(
    procedure: Procedure, injections: SiteUnits, changes: dict, update_fields: list[str]
) -> None:
    """The injections part of an amendment: the sites and units change, the vials stay."""
    planned = _planned_sites(injections, "injections")
    before = {
        i.site.code: format_units(i.units) for i in procedure.injections.select_related("site")
    }
    after = {s.code: format_units(s.units) for s in planned}
    if before == after:
        return
    _check_plan(
        PlanTemplate.custom,
        planned,
        on=procedure.performed_on,
        doses=selectors.other_toxin_doses(procedure.patient, exclude_procedure_id=procedure.pk),
        field="injections",
    )
    injected = sum((s.units for s in planned), Decimal(0))
    try:
        wasted = waste(procedure.drawn_units, injected)
    except ValueError as exc:
        raise refusal(
            "injections",
            f"The vials held {format_units(procedure.drawn_units)} U: {exc}",
            code=REFUSED,
        ) from None
    changes["injections"] = {"before": before, "after": after}
    for field, value in (("total_units", injected), ("wasted_units", wasted)):
        changes[field] = {
            "before": format_units(getattr(procedure, field)),
            "after": format_units(value),
        }
        setattr(procedure, field, value)
        update_fields.append(field)
    by_code = selectors.sites_by_code()
    # A site that stays keeps its vial; a new one takes the session's only lot.
    kept = {
        i.site.code: i.vial.lot_number
        for i in procedure.injections.select_related("site", "vial")
        if i.vial is not None
    }
    vial_for = _vial_for_sites(list(procedure.vials.all()), kept)
    procedure.injections.all().delete()
    ProcedureInjection.objects.bulk_create(
        ProcedureInjection(
            procedure=procedure, site=by_code[s.code], units=s.units, vial=vial_for(s.code)
        )
        for s in planned
    )
