"""Reads of the treatments app.

For other apps:
- ``session_dates(patient) -> list[date]``: the signed procedures' dates, ascending
  (scheduling's 12-week rhythm, outcomes' baseline and periods, the FHIR/CSV exports).
  Draft notes are not sessions. The one answer to "when was this patient treated".
- ``session_dates_by_patient(patient_ids=None) -> dict[int, list[date]]``: the same for
  many patients in one query (worklists, reminders).
- ``procedures_for_report(patient) -> list[dict]``: each signed session with its units,
  waste, lots and sites (outcomes reports, FHIR).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cadence.patients.models import CandidacyDecision
from cadence.patients.selectors import history_for, latest_decision, payer_profile_for
from cadence.rules.gate import (
    HISTORY_QUESTIONS,
    GateFacts,
    GateVerdict,
    open_warnings,
    procedure_gate,
)
from cadence.rules.schedule import earliest_date
from cadence.rules.side_effects import SIDE_EFFECT_LABELS
from cadence.rules.sites import CUMULATIVE_MAX_UNITS, CUMULATIVE_WINDOW_DAYS
from cadence.rules.vials import (
    BillingLine,
    billing_lines,
    canonical_lot,
    one_sided,
    suggest_vials,
)
from cadence.treatments.models import (
    LIVE_PROCEDURE_STATUSES,
    InjectionSite,
    Muscle,
    OtherToxinTreatment,
    PlanSite,
    Procedure,
    ProcedureInjection,
    ProcedureStatus,
    ProcedureVial,
    TreatmentPlan,
    TriggerArea,
    VialLot,
)


def injection_sites() -> QuerySet[InjectionSite]:
    return InjectionSite.objects.all()


def sites_by_code() -> dict[str, InjectionSite]:
    return {site.code: site for site in InjectionSite.objects.all()}


def trigger_areas() -> QuerySet[TriggerArea]:
    return TriggerArea.objects.prefetch_related("sites")


def plans_for_patient(patient) -> QuerySet[TreatmentPlan]:
    return TreatmentPlan.objects.filter(patient=patient).select_related("created_by")


def plan_for_patient(patient, plan_id) -> TreatmentPlan:
    """The plan, only if it is this patient's (404 otherwise, so that changing the id in
    a URL never reaches another patient's plan)."""
    return get_object_or_404(
        TreatmentPlan.objects.select_related("created_by", "consent_recorded_by").prefetch_related(
            Prefetch("sites", PlanSite.objects.select_related("site"))
        ),
        pk=plan_id,
        patient=patient,
    )


def plan_sites(plan: TreatmentPlan) -> list[tuple[InjectionSite, Decimal]]:
    return [(ps.site, ps.units) for ps in plan.sites.all()]


def procedures_for_patient(patient) -> QuerySet[Procedure]:
    return (
        Procedure.objects.filter(patient=patient)
        .select_related("clinician", "plan")
        .prefetch_related("vials")
        .order_by("-performed_on", "-id")
    )


def procedure_for_patient(patient, procedure_id) -> Procedure:
    """The procedure, only if it is this patient's (404 otherwise)."""
    return get_object_or_404(
        Procedure.objects.select_related(
            "clinician", "signed_by", "plan", "patient"
        ).prefetch_related(
            Prefetch("injections", ProcedureInjection.objects.select_related("site")),
            "vials",
            Prefetch("amendments", queryset=_amendments()),
        ),
        pk=procedure_id,
        patient=patient,
    )


def _amendments():
    from cadence.treatments.models import ProcedureAmendment

    return ProcedureAmendment.objects.select_related("amended_by")


def procedure_injections(procedure: Procedure) -> list[tuple[InjectionSite, Decimal]]:
    return [(inj.site, inj.units) for inj in procedure.injections.all()]


def injection_vial_lots(procedure: Procedure) -> dict[str, str]:
    """``site code -> lot`` of the vial each injection came from (sites without a
    recorded vial are absent). One query."""
    return dict(
        procedure.injections.filter(vial__isnull=False).values_list(
            "site__code", "vial__lot_number"
        )
    )


def procedure_billing(procedure: Procedure) -> list[BillingLine]:
    """Billing lines of a procedure (rules.vials.billing_lines); none when nothing was
    injected. A session whose sites are all on one side carries CPT modifier 52."""
    if not procedure.total_units or procedure.total_units <= 0:
        return []
    sides = [i.site.side for i in procedure.injections.all()] if procedure.pk else []
    try:
        return billing_lines(
            procedure.total_units, procedure.wasted_units, one_sided=one_sided(sides)
        )
    except ValueError:
        return []


def other_toxin_treatments(patient) -> QuerySet[OtherToxinTreatment]:
    return OtherToxinTreatment.objects.filter(patient=patient)


def other_toxin_doses(
    patient, *, exclude_procedure_id: int | None = None
) -> list[tuple[date, Decimal]]:
    """Every onabotulinumtoxinA dose of the patient (other indications and every procedure
    but a voided draft), as (date, units), for the 400 U in 84 days rule."""
    doses = list(
        OtherToxinTreatment.objects.filter(patient=patient).values_list("given_on", "units")
    )
    procedures = Procedure.objects.filter(patient=patient, status__in=LIVE_PROCEDURE_STATUSES)
    if exclude_procedure_id is not None:
        procedures = procedures.exclude(pk=exclude_procedure_id)
    doses += list(procedures.values_list("performed_on", "total_units"))
    return doses


def session_dates(patient) -> list[date]:
    """Dates of the patient's signed procedures, ascending (a date once per session)."""
    return list(
        Procedure.objects.filter(patient=patient, status=ProcedureStatus.SIGNED)
        .order_by("performed_on", "id")
        .values_list("performed_on", flat=True)
    )


def interval_session_dates(
    patient, *, up_to: date | None = None, exclude_procedure_id: int | None = None
) -> list[date]:
    """Dates of the sessions that count for the earliest re-treatment date: signed notes
    and drafts ("drafts count as sessions for this", clinic-reference.md section 7), never
    a voided draft; with ``up_to``, only those on or before that day (a session recorded
    after the fact is measured against the sessions before it). Ascending."""
    rows = Procedure.objects.filter(patient=patient, status__in=LIVE_PROCEDURE_STATUSES)
    if up_to is not None:
        rows = rows.filter(performed_on__lte=up_to)
    if exclude_procedure_id is not None:
        rows = rows.exclude(pk=exclude_procedure_id)
    return list(rows.order_by("performed_on", "id").values_list("performed_on", flat=True))


def earliest_retreatment_date(
    patient, *, up_to: date | None = None, exclude_procedure_id: int | None = None
) -> date | None:
    """The patient's earliest re-treatment date (rules.schedule.earliest_date over
    ``interval_session_dates`` with the patient's payer profile): the one answer the
    procedure gate, booking and moving appointments use."""
    return earliest_date(
        interval_session_dates(patient, up_to=up_to, exclude_procedure_id=exclude_procedure_id),
        profile=payer_profile_for(patient),
    )


def session_dates_by_patient(patient_ids: Iterable[int] | None = None) -> dict[int, list[date]]:
    """``{patient_id: signed session dates, ascending}`` in one query (all patients with a
    signed session when ``patient_ids`` is None)."""
    rows = Procedure.objects.filter(status=ProcedureStatus.SIGNED)
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=list(patient_ids))
    by_patient: dict[int, list[date]] = defaultdict(list)
    for patient_id, performed_on in rows.values_list("patient_id", "performed_on").order_by(
        "patient_id", "performed_on", "id"
    ):
        by_patient[patient_id].append(performed_on)
    return dict(by_patient)


def procedures_for_report(patient) -> list[dict]:
    """Each signed session, oldest first: ``{"id", "performed_on", "total_units",
    "wasted_units", "drawn_units", "lots": [lot numbers], "vial_sizes": [..],
    "site_count", "clinician"}`` (units as Decimal). Two queries."""
    procedures = (
        Procedure.objects.filter(patient=patient, status=ProcedureStatus.SIGNED)
        .select_related("clinician")
        .prefetch_related("vials", "injections")
        .order_by("performed_on", "id")
    )
    report = []
    for procedure in procedures:
        vials = list(procedure.vials.all())
        report.append(
            {
                "id": procedure.pk,
                "performed_on": procedure.performed_on,
                "total_units": procedure.total_units,
                "wasted_units": procedure.wasted_units,
                "drawn_units": procedure.drawn_units,
                "lots": [v.lot_number for v in vials],
                "vial_sizes": [v.size_units for v in vials],
                "site_count": len(procedure.injections.all()),
                "clinician": procedure.clinician.get_full_name() if procedure.clinician else "",
            }
        )
    return report


def latest_signed_procedure(patient) -> Procedure | None:
    return (
        Procedure.objects.filter(patient=patient, status=ProcedureStatus.SIGNED)
        .select_related("clinician")
        .order_by("-performed_on", "-id")
        .first()
    )


def vial_stock() -> QuerySet[VialLot]:
    return VialLot.objects.select_related("received_by").order_by("expires_on", "lot_number")


def suggested_vial_lots(dose_units: Decimal, *, on: date) -> tuple[tuple[int, ...], list[str]]:
    """The vial sizes that waste least for the dose (rules.vials.suggest_vials), and lots in
    stock to take them from (earliest expiry first, never an expired lot). Lots are empty
    when the stock cannot cover the suggestion."""
    if dose_units <= 0:
        return (), []
    sizes = suggest_vials(dose_units)
    usable = list(
        VialLot.objects.filter(expires_on__gte=on, quantity_remaining__gt=0).order_by(
            "expires_on", "lot_number"
        )
    )
    left = {lot.pk: lot.quantity_remaining for lot in usable}
    lots: list[str] = []
    for size in sizes:
        lot = next((lot for lot in usable if lot.size_units == size and left[lot.pk] > 0), None)
        if lot is None:
            return sizes, []
        left[lot.pk] -= 1
        lots.append(lot.lot_number)
    return sizes, lots


def procedures_on_day(plan: TreatmentPlan, day: date) -> list[Procedure]:
    """The plan's procedures performed on `day` (voided drafts left out), first first."""
    return list(
        Procedure.objects.filter(plan=plan, performed_on=day)
        .exclude(status=ProcedureStatus.VOIDED)
        .order_by("performed_at", "pk")
    )


def lot_received(lot_number: str) -> bool:
    """Whether the clinic ever received the lot (whatever the letter case asked)."""
    return VialLot.objects.filter(lot_number=canonical_lot(lot_number)).exists()


def lot_recall(lot_number: str) -> list[dict]:
    """Every procedure that used the lot, with patient and date (newest first); one row per
    procedure with the number of vials of the lot it used. The lot is matched whatever its
    letter case (lots are stored in their canonical form)."""
    vials = (
        ProcedureVial.objects.filter(lot_number=canonical_lot(lot_number))
        .select_related("procedure__patient", "procedure__clinician")
        .order_by("-procedure__performed_on", "procedure_id")
    )
    counts = Counter(v.procedure_id for v in vials)
    rows: list[dict] = []
    seen: set[int] = set()
    for vial in vials:
        procedure = vial.procedure
        if procedure.pk in seen:
            continue
        seen.add(procedure.pk)
        patient = procedure.patient
        rows.append(
            {
                "procedure": procedure,
                "procedure_id": procedure.pk,
                "performed_on": procedure.performed_on,
                "patient": patient,
                "patient_id": patient.pk,
                "patient_name": patient.full_name,
                "email": patient.email,
                "phone": patient.phone,
                "vials": counts[procedure.pk],
                "status": procedure.status,
            }
        )
    return rows


def lot_recall_patients(rows: list[dict]) -> dict[str, list[dict]]:
    """The recall rows grouped for contacting people: `signed` (patients with a signed note
    of the lot) and `drafts` (notes not signed yet), each patient once per group with all
    their dates (oldest first), procedures and vials. A patient with both a signed note and
    a draft appears in both groups."""
    groups: dict[str, dict[int, dict]] = {"signed": {}, "drafts": {}}
    for row in rows:
        group = groups["signed" if row["status"] == ProcedureStatus.SIGNED else "drafts"]
        entry = group.setdefault(
            row["patient_id"],
            {
                "patient": row["patient"],
                "patient_id": row["patient_id"],
                "patient_name": row["patient_name"],
                "email": row["email"],
                "phone": row["phone"],
                "dates": [],
                "procedures": [],
                "vials": 0,
            },
        )
        entry["dates"].append(row["performed_on"])
        entry["procedures"].append((row["performed_on"], row["procedure_id"]))
        entry["vials"] += row["vials"]
    result: dict[str, list[dict]] = {}
    for name, by_patient in groups.items():
        entries = list(by_patient.values())
        for entry in entries:
            entry["dates"].sort()
            entry["procedures"].sort()
        entries.sort(key=lambda e: (e["patient_name"].casefold(), e["patient_id"]))
        result[name] = entries
    return result


# --- the clinical gate and what to see before the needle ----------------------------------
#: Cadence default (the issue's number, not the reference's): a draft note older than this
#: is listed on the "Notes to sign" worklist.
DRAFT_SIGN_WITHIN_HOURS = 24


@dataclass(frozen=True)
class GateReading:
    """What the gate saw for a procedure on ``on`` and its verdict."""

    verdict: GateVerdict
    decision: CandidacyDecision | None
    earliest: date | None
    history: dict[str, str]


def gate_history(patient) -> dict[str, str]:
    """The checklist answers the gate reads (unknown when no history was taken)."""
    history = history_for(patient)
    return {name: getattr(history, name) for name in HISTORY_QUESTIONS}


def procedure_gate_for(patient, *, on: date) -> GateReading:
    """The gate (rules.gate.procedure_gate) for a procedure of ``patient`` on ``on``: the
    current (latest) decision, the checklist, and the earliest re-treatment date."""
    decision = latest_decision(patient)
    history = gate_history(patient)
    earliest = earliest_retreatment_date(patient, up_to=on)
    verdict = procedure_gate(
        GateFacts(
            history=history,
            decision=decision.decision if decision else None,
            session_on=on,
            earliest_on=earliest,
        )
    )
    return GateReading(verdict=verdict, decision=decision, earliest=earliest, history=history)


def units_in_window(patient, *, on: date) -> Decimal:
    """onabotulinumtoxinA given in the 84 days up to and including ``on`` (all indications;
    procedures but voided drafts)."""
    first = on - timedelta(days=CUMULATIVE_WINDOW_DAYS - 1)
    return sum(
        (units for day, units in other_toxin_doses(patient) if first <= day <= on), Decimal(0)
    )


def adverse_events_by_session(patient) -> list[dict]:
    """The side effects reported after each earlier session (newest session first):
    ``{"procedure_id", "performed_on", "effects": [{"effect", "label", "severity",
    "onset_on", "urgent"}]}``, only sessions with a report. Two queries."""
    procedures = (
        Procedure.objects.filter(patient=patient, status__in=LIVE_PROCEDURE_STATUSES)
        .prefetch_related("side_effect_reports")
        .order_by("-performed_on", "-id")
    )
    rows = []
    for procedure in procedures:
        reports = sorted(procedure.side_effect_reports.all(), key=lambda r: (r.onset_on, r.pk))
        if not reports:
            continue
        rows.append(
            {
                "procedure_id": procedure.pk,
                "performed_on": procedure.performed_on,
                "effects": [
                    {
                        "effect": r.effect,
                        "label": SIDE_EFFECT_LABELS.get(r.effect, r.effect.replace("_", " ")),
                        "severity": r.severity,
                        "onset_on": r.onset_on,
                        "urgent": r.urgent,
                    }
                    for r in reports
                ],
            }
        )
    return rows


def before_the_needle(patient, *, on: date) -> dict:
    """The panel shown on the plan builder and the procedure page before the clinician
    commits: open warnings (checklist answers yes or not asked), the current decision, the
    earliest re-treatment date, units in the last 84 days (all indications), the adverse
    events of earlier sessions, and the gate's verdict for a session on ``on``."""
    reading = procedure_gate_for(patient, on=on)
    used = units_in_window(patient, on=on)
    return {
        "on": on,
        "reading": reading,
        "verdict": reading.verdict,
        "decision": reading.decision,
        "earliest": reading.earliest,
        "open_warnings": [
            {"field": name, "label": label, "answer": str(answer)}
            for name, label, answer in open_warnings(reading.history)
        ],
        "units_last_84_days": used,
        "units_left": max(CUMULATIVE_MAX_UNITS - used, Decimal(0)),
        "window_days": CUMULATIVE_WINDOW_DAYS,
        "limit_units": CUMULATIVE_MAX_UNITS,
        "adverse_events": adverse_events_by_session(patient),
    }


def outside_protocol_sessions() -> QuerySet[Procedure]:
    """Sessions that went ahead on an override (the clinic's review worklist), newest
    first; voided drafts are left out."""
    return (
        Procedure.objects.filter(outside_protocol=True, status__in=LIVE_PROCEDURE_STATUSES)
        .select_related("patient", "clinician")
        .order_by("-performed_on", "-id")
    )


def outside_protocol_sessions_for(patient) -> list[Procedure]:
    """The patient's sessions that went ahead outside protocol (the patient page), newest
    first. One query."""
    return list(
        Procedure.objects.filter(
            patient=patient, outside_protocol=True, status__in=LIVE_PROCEDURE_STATUSES
        ).order_by("-performed_on", "-id")
    )


def notes_to_sign(*, now: datetime | None = None) -> QuerySet[Procedure]:
    """Draft notes older than ``DRAFT_SIGN_WITHIN_HOURS`` (oldest first)."""
    cutoff = (now or timezone.now()) - timedelta(hours=DRAFT_SIGN_WITHIN_HOURS)
    return (
        Procedure.objects.filter(status=ProcedureStatus.DRAFT, created_at__lt=cutoff)
        .select_related("patient", "clinician")
        .order_by("created_at", "id")
    )


#: The amended fields of a procedure note in the clinic's words (amendment rows show
#: these, never the column names).
AMENDMENT_FIELD_LABELS = {
    "immediate_reactions": "Immediate reactions",
    "aftercare_given": "Aftercare given",
    "notes": "Notes",
    "injections": "Sites injected",
    "total_units": "Units injected",
    "wasted_units": "Units wasted",
}


@dataclass(frozen=True, slots=True)
class AmendmentRow:
    label: str
    before: str
    after: str


def _amended_value(value, site_labels: dict[str, str]) -> str:
    if isinstance(value, dict):  # the injections: site code -> units
        return "; ".join(
            f"{site_labels.get(code, code)}: {units} U" for code, units in value.items()
        )
    return "" if value is None else str(value)


def amendment_rows(amendment) -> list[AmendmentRow]:
    """An amendment's before/after rows, labelled in the clinic's words."""
    site_labels = (
        {code: site.label for code, site in sites_by_code().items()}
        if "injections" in amendment.changes
        else {}
    )
    return [
        AmendmentRow(
            label=AMENDMENT_FIELD_LABELS.get(name, name.replace("_", " ").capitalize()),
            before=_amended_value(change.get("before"), site_labels),
            after=_amended_value(change.get("after"), site_labels),
        )
        for name, change in amendment.changes.items()
    ]


@dataclass(frozen=True, slots=True)
class MuscleGroup:
    muscle: str
    label: str
    sites: list  # (InjectionSite, units), in site order
    units: Decimal


def injections_by_muscle(injections) -> list[MuscleGroup]:
    """The note's sites grouped by muscle, in the protocol's muscle order, each with its
    units."""
    order = {value: index for index, value in enumerate(Muscle.values)}
    groups: dict[str, list] = {}
    for site, units in sorted(
        injections, key=lambda pair: (order.get(pair[0].muscle, len(order)), pair[0].number)
    ):
        groups.setdefault(site.muscle, []).append((site, units))
    return [
        MuscleGroup(
            muscle=muscle,
            label=Muscle(muscle).label if muscle in order else muscle,
            sites=rows,
            units=sum((units for _site, units in rows), Decimal(0)),
        )
        for muscle, rows in groups.items()
    ]
