"""Writes of the surgery app. Each runs in one transaction with its audit entry; a
refusal raises Django's ``ValidationError`` naming the field, with a code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cadence.accounts.validation import check_date, refusal
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.rules.sites import get_site
from cadence.rules.surgery import TRIGGER_SITES, Answer, TriggerSite, nerve_block_billing_lines
from cadence.surgery.models import (
    BlockSide,
    DiagnosticTarget,
    NerveBlock,
    NerveBlockAmendment,
    SurgicalOperation,
    SurgicalWorkup,
)
from cadence.treatments import notes as note_lifecycle
from cadence.treatments.models import PlanTemplateChoice, TreatmentPlan

REFUSED = "refused"
SIDES = {s.value for s in BlockSide}


def _trigger_site(value, field: str = "trigger_site") -> TriggerSite:
    try:
        return TriggerSite(value)
    except ValueError:
        codes = ", ".join(s.value for s in TriggerSite)
        raise refusal(field, f"Choose a trigger site: one of {codes}.", code=REFUSED) from None


def _side(value, field: str = "side") -> str:
    if value not in SIDES:
        raise refusal(field, "Choose the side: left, right or both.", code=REFUSED)
    return value


def _not_in_future(field: str, value: date, patient) -> None:
    if value > timezone.localdate():
        raise refusal(field, f"{value.isoformat()} is in the future.", code=REFUSED)
    check_date(field, value, born_on=getattr(patient, "date_of_birth", None))


# --- diagnostic targets ---------------------------------------------------------------
@transaction.atomic
def diagnostic_target_mark(
    *, plan: TreatmentPlan, trigger_site: str, side: str, actor, request=None
) -> DiagnosticTarget:
    """Mark a targeted plan diagnostic for a trigger site: the plan must be targeted
    (not PREEMPT) and inject at least one catalogue site under the trigger site's muscles
    on that side."""
    site = _trigger_site(trigger_site)
    side = _side(side)
    spec = TRIGGER_SITES[site]
    if plan.template != PlanTemplateChoice.CUSTOM:
        raise refusal(
            "plan",
            "Only a targeted plan can be diagnostic: a PREEMPT plan injects every site.",
            code=REFUSED,
        )
    if not spec.muscles:
        raise refusal(
            "trigger_site",
            f"{spec.label} has no injection sites in the catalogue: test it with a nerve "
            "block" + ("" if spec.injectable else " (it is not injectable at all)") + ".",
            code=REFUSED,
        )
    codes = list(plan.sites.values_list("site__code", flat=True))
    under = [
        c
        for c in codes
        if get_site(c).muscle in spec.muscles
        and (side == "both" or str(get_site(c).side) in (side, "midline"))
    ]
    if not under:
        raise refusal(
            "trigger_site",
            f"The plan injects no site of {spec.label} on the {side} side.",
            code=REFUSED,
        )
    if DiagnosticTarget.objects.filter(plan=plan, trigger_site=site, side=side).exists():
        raise refusal("trigger_site", "The plan is already diagnostic for this site.", code=REFUSED)
    target = DiagnosticTarget.objects.create(
        plan=plan, trigger_site=site, side=side, marked_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        patient_id=plan.patient_id,
        obj=target,
        request=request,
        summary=f"Plan {plan.pk} marked diagnostic for {spec.label} ({side})",
    )
    return target


# --- nerve blocks -----------------------------------------------------------------------
def _decimal(value, field: str, *, low_exclusive: Decimal | None, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise refusal(field, "Give a number.", code=REFUSED) from None
    if (
        not number.is_finite()
        or number > high
        or (low_exclusive is not None and number <= low_exclusive)
        or number < 0
    ):
        raise refusal(field, f"Give a number above 0 and at most {high}.", code=REFUSED)
    if number != number.quantize(Decimal("0.01")):
        raise refusal(field, "Give at most two decimal places.", code=REFUSED)
    return number.quantize(Decimal("0.01"))


def billing_lines(nerve: str, side: str) -> list[dict]:
    """The nerve block's billing lines from ``CADENCE_NERVE_BLOCK_BILLING_CODES``: one
    line per code; a block of both sides carries modifier 50 (bilateral)."""
    return nerve_block_billing_lines(
        settings.CADENCE_NERVE_BLOCK_BILLING_CODES.get(nerve, []), side
    )


@transaction.atomic
def nerve_block_record(
    *,
    patient,
    performed_on: date,
    trigger_site: str,
    side: str,
    agent: str,
    volume_ml,
    clinician,
    nerve: str = "",
    dose_mg=None,
    diagnostic: bool = True,
    consent_obtained: bool = False,
    notes: str = "",
    request=None,
) -> NerveBlock:
    """Record a nerve block (a draft note): local anaesthetic at a trigger site's nerve.
    No toxin and no vial: it counts in no units window and takes no stock."""
    site = _trigger_site(trigger_site)
    spec = TRIGGER_SITES[site]
    side = _side(side)
    _not_in_future("performed_on", performed_on, patient)
    if not spec.nerves:
        raise refusal(
            "trigger_site",
            f"{spec.label} is not blocked: it is {spec.assessment}.",
            code=REFUSED,
        )
    nerve = (nerve or "").strip() or spec.nerves[0]
    if nerve not in spec.nerves:
        raise refusal(
            "nerve",
            f"At {spec.label} the nerve is one of: {', '.join(spec.nerves)}.",
            code=REFUSED,
        )
    agent = (agent or "").strip()
    if not agent:
        raise refusal("agent", "Name the local anaesthetic given.", code=REFUSED)
    volume = _decimal(volume_ml, "volume_ml", low_exclusive=Decimal(0), high=Decimal("999.99"))
    dose = None
    if dose_mg is not None and dose_mg != "":
        dose = _decimal(dose_mg, "dose_mg", low_exclusive=None, high=Decimal("9999.99"))
    block = NerveBlock.objects.create(
        patient=patient,
        performed_on=performed_on,
        trigger_site=site,
        nerve=nerve,
        side=side,
        agent=agent[:120],
        volume_ml=volume,
        dose_mg=dose,
        diagnostic=bool(diagnostic),
        consent_obtained=bool(consent_obtained),
        notes=notes or "",
        billing=billing_lines(nerve, side),
        clinician=clinician,
    )
    audit_record(
        actor=clinician,
        action=AuditAction.CREATE,
        patient=patient,
        obj=block,
        request=request,
        summary=f"Nerve block recorded: {nerve}, {side}"
        + (" (diagnostic)" if block.diagnostic else ""),
    )
    return block


def _block_note(block: NerveBlock) -> dict:
    return {
        "performed_on": block.performed_on.isoformat(),
        "trigger_site": block.trigger_site,
        "nerve": block.nerve,
        "side": block.side,
        "agent": block.agent,
        "volume_ml": str(block.volume_ml),
        "dose_mg": None if block.dose_mg is None else str(block.dose_mg),
        "diagnostic": block.diagnostic,
        "consent_obtained": block.consent_obtained,
        "notes": block.notes,
        "billing": block.billing,
    }


def nerve_block_sign(*, block: NerveBlock, signed_by, request=None) -> NerveBlock:
    """Sign the note: locked from now on (changes become amendments); it counts for the
    site-level response from now on."""
    return note_lifecycle.sign_note(
        NerveBlock,
        block.pk,
        signed_by=signed_by,
        snapshot=_block_note,
        summary=lambda _block: "Nerve-block note signed",
        request=request,
    )


def nerve_block_void(*, block: NerveBlock, voided_by, reason: str, request=None) -> NerveBlock:
    """Void a draft note with a reason: kept, shown as voided, counted nowhere."""
    return note_lifecycle.void_draft(
        NerveBlock,
        block.pk,
        voided_by=voided_by,
        reason=reason,
        summary="Draft nerve-block note voided",
        request=request,
    )


def nerve_block_amend(
    *,
    block: NerveBlock,
    amended_by,
    reason: str,
    agent: str | None = None,
    volume_ml=None,
    dose_mg=None,
    notes: str | None = None,
    request=None,
) -> NerveBlockAmendment:
    """Amend a signed note; the signed original and earlier amendments never change."""

    def apply_changes(block: NerveBlock) -> tuple[dict, list[str]]:
        new: dict = {}
        if agent is not None:
            if not agent.strip():
                raise refusal("agent", "Name the local anaesthetic given.", code=REFUSED)
            new["agent"] = agent.strip()[:120]
        if volume_ml is not None:
            new["volume_ml"] = _decimal(
                volume_ml, "volume_ml", low_exclusive=Decimal(0), high=Decimal("999.99")
            )
        if dose_mg is not None:
            new["dose_mg"] = _decimal(
                dose_mg, "dose_mg", low_exclusive=None, high=Decimal("9999.99")
            )
        if notes is not None:
            new["notes"] = notes
        changes = {
            field: {"before": str(getattr(block, field)), "after": str(value)}
            for field, value in new.items()
            if value != getattr(block, field)
        }
        for field in changes:
            setattr(block, field, new[field])
        return changes, list(changes)

    return note_lifecycle.amend_signed(
        NerveBlock,
        block.pk,
        amended_by=amended_by,
        reason=reason,
        apply_changes=apply_changes,
        amendment_model=NerveBlockAmendment,
        note_field="nerve_block",
        summary="Nerve-block note amended",
        request=request,
    )


# --- the work-up and the operation ------------------------------------------------------
def _answer(value, field: str) -> str:
    try:
        return Answer(value or "unknown").value
    except ValueError:
        raise refusal(field, "Answer yes, no or unknown.", code=REFUSED) from None


@transaction.atomic
def surgical_workup_record(
    *,
    patient,
    trigger_site: str,
    pain_point: str,
    appropriate_symptoms: str,
    symptoms: str = "",
    attack_start: str = "",
    recorded_by,
    recorded_on: date | None = None,
    request=None,
) -> SurgicalWorkup:
    """Record the work-up answers PAINS needs (pain point, symptoms) for a trigger site."""
    site = _trigger_site(trigger_site)
    recorded_on = recorded_on or timezone.localdate()
    _not_in_future("recorded_on", recorded_on, patient)
    workup = SurgicalWorkup.objects.create(
        patient=patient,
        recorded_on=recorded_on,
        trigger_site=site,
        pain_point=_answer(pain_point, "pain_point"),
        appropriate_symptoms=_answer(appropriate_symptoms, "appropriate_symptoms"),
        symptoms=(symptoms or "").strip(),
        attack_start=(attack_start or "").strip()[:200],
        recorded_by=recorded_by,
    )
    audit_record(
        actor=recorded_by,
        action=AuditAction.CREATE,
        patient=patient,
        obj=workup,
        request=request,
        summary=f"Surgical work-up recorded for {TRIGGER_SITES[site].label}",
    )
    return workup


@transaction.atomic
def surgical_operation_record(
    *,
    patient,
    performed_on: date,
    surgeon: str,
    sites: list[tuple[str, str]],
    technique: str = "",
    recorded_by,
    request=None,
) -> SurgicalOperation:
    """Record a migraine operation: date, surgeon, the trigger sites deactivated (each
    with its side) and the technique as free text."""
    _not_in_future("performed_on", performed_on, patient)
    surgeon = (surgeon or "").strip()
    if not surgeon:
        raise refusal("surgeon", "Name the surgeon who operated.", code=REFUSED)
    if not sites:
        raise refusal("sites", "Name at least one trigger site deactivated.", code=REFUSED)
    clean = []
    for code, side in sites:
        site = _trigger_site(code, "sites")
        clean.append({"trigger_site": site.value, "side": _side(side, "sites")})
    seen = {(s["trigger_site"], s["side"]) for s in clean}
    if len(seen) != len(clean):
        raise refusal("sites", "A trigger site and side is listed twice.", code=REFUSED)
    operation = SurgicalOperation.objects.create(
        patient=patient,
        performed_on=performed_on,
        surgeon=surgeon[:120],
        sites=clean,
        technique=(technique or "").strip(),
        recorded_by=recorded_by,
    )
    audit_record(
        actor=recorded_by,
        action=AuditAction.CREATE,
        patient=patient,
        obj=operation,
        request=request,
        summary="Migraine operation recorded: "
        + ", ".join(
            f"{TRIGGER_SITES[TriggerSite(s['trigger_site'])].label} ({s['side']})" for s in clean
        ),
    )
    return operation


def surgery_document_export(*, actor, patient, document: str, request=None) -> None:
    """Audit the export of a surgery document (packet, referral letter, FHIR packet)."""
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        patient=patient,
        request=request,
        summary=f"Exported: {document}",
    )
