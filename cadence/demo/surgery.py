"""Demo seed step for migraine surgery (issue 22, clinic-reference.md section 8): one more
patient, so the demo clinic shows the trigger-site pathway from Botox to surgery:

- three PREEMPT sessions with a partial response, the pain mostly at the back of the head;
- a diagnostic nerve block of the right lesser occipital nerve that did not help;
- a targeted Botox plan at the occipital site, marked diagnostic, after which the
  headache days starting there fell by more than half (the site responded);
- a work-up (pain point shown with one finger, symptoms of the occipital site) and a
  neurologist-confirmed diagnosis: PAINS met for site IV;
- an operation deactivating the occipital site on both sides, after which headache days
  and the Migraine Headache Index fall by more than half at 3 and 6 months.

All names and data are synthetic. ``seed(ctx)`` runs after the other steps.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from cadence.demo.course_reviews import _patient, _sessions, _work_up
from cadence.diary.models import DiaryDay
from cadence.diary.services import DiaryEntry, diary_day_fields
from cadence.rules.diary import AcuteDrugClass, AcuteMedicationTaken, PeakSeverity
from cadence.surgery.models import DiagnosticTarget, NerveBlock, SurgicalOperation, SurgicalWorkup
from cadence.surgery.services import billing_lines
from cadence.treatments.models import (
    InjectionSite,
    PlanSite,
    Procedure,
    ProcedureInjection,
    ProcedureStatus,
    TreatmentPlan,
)

OCCIPITAL = ("back_of_head_left", "back_of_head_right", "neck_left")
_NONE = DiaryEntry()


def _migraine(regions) -> DiaryEntry:
    return DiaryEntry(
        headache_hours=9,
        peak_severity=PeakSeverity.severe.value,
        unilateral=False,
        pulsating=True,
        nausea=True,
        acute_medications=(
            AcuteMedicationTaken("Sumatriptan 50 mg", AcuteDrugClass.triptan, True),
        ),
        pain_regions=tuple(regions),
    )


def _diary(patient, start: date, today: date, per_28) -> None:
    rows = []
    on = start
    while on <= today:
        n = per_28(on)
        headache = (on.toordinal() * 11) % 28 < n
        # One headache day in five also hurts at the left temple.
        regions = OCCIPITAL + (("temple_left",) if on.toordinal() % 5 == 0 else ())
        entry = _migraine(regions) if headache else _NONE
        rows.append(DiaryDay(patient=patient, date=on, **diary_day_fields(entry)))
        on += timedelta(days=1)
    DiaryDay.objects.bulk_create(rows, batch_size=1000)


def _targeted_session(patient, clinician, on: date) -> TreatmentPlan:
    codes = ("occipitalis_left_ftp_1", "occipitalis_right_ftp_1")
    sites = {s.code: s for s in InjectionSite.objects.filter(code__in=codes)}
    plan = TreatmentPlan.objects.create(
        patient=patient,
        template="custom",
        planned_for=on,
        total_units=Decimal(10),
        site_count=2,
        created_by=clinician,
        notes="Diagnostic: occipital trigger site (demo).",
    )
    at = timezone.make_aware(datetime.combine(on, time(11)))
    procedure = Procedure.objects.create(
        patient=patient,
        performed_on=on,
        performed_at=at,
        clinician=clinician,
        plan=plan,
        total_units=Decimal(10),
        drawn_units=Decimal(100),
        wasted_units=Decimal(90),
        status=ProcedureStatus.SIGNED,
        signed_at=at + timedelta(minutes=15),
        signed_by=clinician,
        consent_obtained=True,
    )
    for code in codes:
        if code in sites:
            PlanSite.objects.create(plan=plan, site=sites[code], units=Decimal(5))
            ProcedureInjection.objects.create(
                procedure=procedure, site=sites[code], units=Decimal(5)
            )
    DiagnosticTarget.objects.create(
        plan=plan, trigger_site="occipital", side="both", marked_by=clinician
    )
    return plan


def seed(ctx) -> None:
    today = ctx.today
    clinician = ctx.staff.get("clinician") or next(iter(ctx.clinicians()), None)
    patient = _patient("Rosalind", "Whitcombe", today - timedelta(days=46 * 365))
    _work_up(
        patient,
        clinician,
        today - timedelta(days=200),  # the work-up sits before the first session
        [
            ("topiramate", "antiepileptic", 100, 1200, 12, "ineffective"),
            ("propranolol", "beta_blocker", 160, 1050, 10, "not_tolerated"),
        ],
    )
    first = today - timedelta(days=560)
    _sessions(patient, clinician, [first, first + timedelta(days=84), first + timedelta(days=168)])
    block_on = today - timedelta(days=340)
    diagnostic_on = today - timedelta(days=300)
    operated_on = today - timedelta(days=200)

    def per_28(on: date) -> int:
        if on < first:
            return 18  # baseline
        if on < diagnostic_on:
            return 12  # a partial response to PREEMPT
        if on < operated_on - timedelta(days=30):
            return 5  # the targeted occipital injection helped
        if on < operated_on:
            return 14  # worn off before the operation
        return 4  # after surgery

    _diary(patient, first - timedelta(days=35), today, per_28)
    block = NerveBlock.objects.create(
        patient=patient,
        performed_on=block_on,
        trigger_site="lesser_occipital",
        nerve="lesser occipital nerve",
        side="right",
        agent="lidocaine 1%",
        volume_ml=Decimal("2.00"),
        dose_mg=Decimal("20.00"),
        diagnostic=True,
        consent_obtained=True,
        billing=billing_lines("lesser occipital nerve", "right"),
        clinician=clinician,
        status="signed",
        signed_at=timezone.make_aware(datetime.combine(block_on, time(12))),
        signed_by=clinician,
    )
    block.signed_note = {"performed_on": block_on.isoformat(), "nerve": block.nerve}
    block.save(update_fields=["signed_note"])
    _targeted_session(patient, clinician, diagnostic_on)
    SurgicalWorkup.objects.create(
        patient=patient,
        recorded_on=operated_on - timedelta(days=40),
        trigger_site="occipital",
        pain_point="yes",
        appropriate_symptoms="yes",
        symptoms="Pain starts at the back of the head and neck, worse with neck posture.",
        attack_start="Both sides of the back of the head, where the greater occipital nerves emerge.",
        recorded_by=clinician,
    )
    SurgicalOperation.objects.create(
        patient=patient,
        performed_on=operated_on,
        surgeon="Dr. Marcus Ellery (synthetic)",
        sites=[{"trigger_site": "occipital", "side": "both"}],
        technique="Greater occipital nerve decompression with partial semispinalis capitis "
        "resection, both sides (demo).",
        recorded_by=clinician,
    )
