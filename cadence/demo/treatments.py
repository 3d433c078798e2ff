"""Demo data of the treatments app: the clinic's vial stock (including an expired lot and
a lot for the recall demo, RECALL_DEMO_LOT), and for each demo patient with sessions a
PREEMPT plan (some with follow-the-pain additions, consent recorded) and one signed
procedure note per session date. Bulk inserts only: a few hundred milliseconds for 60
patients."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from cadence.rules.aftercare import aftercare_text
from cadence.rules.plans import PlannedSite, preempt_plan
from cadence.rules.sites import FOLLOW_THE_PAIN_SITES, FTP_SITE_CAPS, format_units
from cadence.rules.vials import waste
from cadence.scheduling.rhythm import rebuild_treatment_rhythms
from cadence.treatments.models import (
    InjectionSite,
    OtherToxinTreatment,
    PlanSite,
    Procedure,
    ProcedureInjection,
    ProcedureStatus,
    ProcedureVial,
    TreatmentPlan,
    VialLot,
)
from cadence.treatments.services import dilution_description

#: The lot to try on the "Lot recall" page: used by the sessions 6 to 12 months ago.
RECALL_DEMO_LOT = "C4410A"
EXPIRED_DEMO_LOT = "C8807A"
LOT_WINDOW_DAYS = 180


def _aware(day, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed(ctx) -> None:
    today = ctx.today
    rng = ctx.rng
    sites = {s.code: s for s in InjectionSite.objects.all()}
    clinicians = ctx.clinicians()
    admin = ctx.staff.get("nurse") or (clinicians[0] if clinicians else None)

    # --- stock: one 200 U and one 100 U lot per 180-day window back from today ---------------
    all_dates = [d for story in ctx.patients for d in story.session_dates]
    earliest = min(all_dates, default=today)
    windows = []  # (start, end) with end = today - k*180
    end = today
    while end >= earliest:
        windows.append((end - timedelta(days=LOT_WINDOW_DAYS - 1), end))
        end -= timedelta(days=LOT_WINDOW_DAYS)
    lots: dict[tuple[int, int], VialLot] = {}  # (window index, size) -> lot
    for index, (start, end) in enumerate(windows):
        for size in (200, 100):
            if index == 1 and size == 200:
                number = RECALL_DEMO_LOT
            else:
                number = f"C{7000 - index * 37 + (size // 100)}{'A' if size == 200 else 'B'}"
            lots[(index, size)] = VialLot(
                lot_number=number,
                expires_on=end + timedelta(days=240),
                size_units=size,
                quantity_received=0,
                quantity_remaining=0,
                received_at=_aware(start, 9, 0),
                received_by=admin,
            )
    usage: dict[tuple[int, int], int] = dict.fromkeys(lots, 0)

    def window_of(day) -> int:
        return min((today - day).days // LOT_WINDOW_DAYS, len(windows) - 1)

    # --- plans and procedures ---------------------------------------------------------------
    plans: list[TreatmentPlan] = []
    plan_sites: list[list[PlannedSite]] = []
    stories = [story for story in ctx.patients if story.session_dates]
    for story in stories:
        ftp = []
        if rng.random() < 0.35:
            # both extras of a muscle may sit on one side; stay within each muscle's cap
            wanted, per_muscle = rng.choice([2, 2, 4]), Counter()
            for site in rng.sample(FOLLOW_THE_PAIN_SITES, len(FOLLOW_THE_PAIN_SITES)):
                if len(ftp) < wanted and per_muscle[site.muscle] < FTP_SITE_CAPS[site.muscle]:
                    per_muscle[site.muscle] += 1
                    ftp.append(PlannedSite(site.code, site.default_units))
        planned = preempt_plan(ftp)
        first = story.session_dates[0]
        clinician = rng.choice(clinicians) if clinicians else None
        plans.append(
            TreatmentPlan(
                patient=story.patient,
                template="preempt",
                planned_for=first,
                total_units=sum((s.units for s in planned), Decimal(0)),
                site_count=len(planned),
                created_by=clinician,
                created_at=_aware(first, 9, 30),
                consent_given_by="Patient",
                consent_recorded_at=_aware(first, 9, 45),
                consent_recorded_by=clinician,
            )
        )
        plan_sites.append(planned)
    if clinicians:
        TreatmentPlan.objects.bulk_create(plans)
        PlanSite.objects.bulk_create(
            PlanSite(plan=plan, site=sites[s.code], units=s.units)
            for plan, planned in zip(plans, plan_sites, strict=True)
            for s in planned
        )

    procedures: list[Procedure] = []
    procedure_plan: list[tuple[list[PlannedSite], list[VialLot]]] = []
    for story, plan, planned in zip(stories, plans, plan_sites, strict=True):
        total = plan.total_units
        for day in story.session_dates:
            window = window_of(day)
            sizes = [100, 100] if rng.random() < 0.2 else [200]
            vial_lots = [lots[(window, size)] for size in sizes]
            for size in sizes:
                usage[(window, size)] += 1
            drawn = Decimal(sum(sizes))
            clinician = plan.created_by if rng.random() < 0.8 else rng.choice(clinicians)
            performed_at = _aware(day, rng.choice([9, 10, 11, 14, 15]), rng.choice([0, 15, 30, 45]))
            procedure = Procedure(
                patient=story.patient,
                performed_on=day,
                performed_at=performed_at,
                clinician=clinician,
                total_units=total,
                wasted_units=waste(drawn, total),
                drawn_units=drawn,
                status=ProcedureStatus.SIGNED,
                signed_at=performed_at + timedelta(minutes=20),
                signed_by=clinician,
                plan=plan,
                dilution=dilution_description(sizes),
                consent_obtained=True,
                immediate_reactions=rng.choice(
                    [
                        "",
                        "",
                        "",
                        "",
                        "Mild redness at the forehead sites",
                        "Small bruise, left temple",
                    ]
                ),
                aftercare_given=aftercare_text(),
            )
            procedure.signed_note = {
                "performed_on": day.isoformat(),
                "performed_at": performed_at.isoformat(),
                "clinician": clinician.get_username() if clinician else None,
                "consent_obtained": True,
                "injections": {s.code: format_units(s.units) for s in planned},
                "vials": [
                    {
                        "lot": lot.lot_number,
                        "size_units": lot.size_units,
                        "expires_on": lot.expires_on.isoformat(),
                    }
                    for lot in vial_lots
                ],
                "dilution": procedure.dilution,
                "drawn_units": format_units(drawn),
                "total_units": format_units(total),
                "wasted_units": format_units(procedure.wasted_units),
                "immediate_reactions": procedure.immediate_reactions,
                "aftercare_given": procedure.aftercare_given,
                "notes": "",
            }
            procedures.append(procedure)
            procedure_plan.append((planned, vial_lots))

    # Stock: what the sessions used, plus what is on the shelf now.
    for key, lot in lots.items():
        index, _size = key
        on_shelf = rng.randint(6, 14) if index == 0 else 0
        lot.quantity_received = usage[key] + on_shelf
        lot.quantity_remaining = on_shelf
    expired = VialLot(
        lot_number=EXPIRED_DEMO_LOT,
        expires_on=today - timedelta(days=20),
        size_units=200,
        quantity_received=4,
        quantity_remaining=2,
        received_at=_aware(today - timedelta(days=300), 9, 0),
        received_by=admin,
    )
    used_lots = [lot for lot in lots.values() if lot.quantity_received > 0]
    VialLot.objects.bulk_create([*used_lots, expired])

    Procedure.objects.bulk_create(procedures)
    # bulk_create sends no save signals: the worklists' rhythm index is rebuilt here.
    rebuild_treatment_rhythms({procedure.patient_id for procedure in procedures})
    ProcedureVial.objects.bulk_create(
        ProcedureVial(
            procedure=procedure,
            lot=lot,
            lot_number=lot.lot_number,
            size_units=lot.size_units,
            expires_on=lot.expires_on,
        )
        for procedure, (_planned, vial_lots) in zip(procedures, procedure_plan, strict=True)
        for lot in vial_lots
    )
    # Each site records the vial it came from (issue 17): the vials are drawn in turn,
    # the next one opened when the one in hand is empty.
    opened: dict[int, list[ProcedureVial]] = {}
    for vial in ProcedureVial.objects.filter(procedure__in=procedures).order_by("id"):
        opened.setdefault(vial.procedure_id, []).append(vial)
    injections = []
    for procedure, (planned, _lots) in zip(procedures, procedure_plan, strict=True):
        vials, drawn, index = opened.get(procedure.pk, []), Decimal(0), 0
        for s in planned:
            while vials and index < len(vials) - 1 and drawn + s.units > vials[index].size_units:
                drawn, index = Decimal(0), index + 1
            drawn += s.units
            injections.append(
                ProcedureInjection(
                    procedure=procedure,
                    site=sites[s.code],
                    units=s.units,
                    vial=vials[index] if vials else None,
                )
            )
    ProcedureInjection.objects.bulk_create(injections)

    # One patient also had toxin for another indication (it counts in the 84-day window).
    if stories and clinicians:
        story = stories[-1]
        OtherToxinTreatment.objects.create(
            patient=story.patient,
            given_on=story.session_dates[-1] - timedelta(days=30),
            units=Decimal(50),
            indication="Cervical dystonia (another clinic)",
            recorded_by=clinicians[0],
        )
