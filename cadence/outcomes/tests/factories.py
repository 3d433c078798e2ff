"""Write diary days and procedures directly (the diary and treatments apps' services are
being built in parallel). Classification columns come from the pure rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from cadence.diary.models import DiaryDay
from cadence.patients.models import PayerProfile
from cadence.rules.diary import (
    CLASSIFICATION_COLUMNS,
    OVERUSE_COLUMNS,
    AcuteMedicationTaken,
    DiaryDayFacts,
    PeakSeverity,
    classify_day,
)
from cadence.rules.overuse import overuse_day_flags
from cadence.treatments.models import Procedure, ProcedureStatus

NO_HEADACHE = DiaryDayFacts(headache_hours=0)
MIGRAINE = DiaryDayFacts(
    headache_hours=8,
    peak_severity=PeakSeverity.severe,
    unilateral=True,
    pulsating=True,
    nausea=True,
)
TENSION = DiaryDayFacts(headache_hours=5, peak_severity=PeakSeverity.mild)
TRIPTAN_MIGRAINE = DiaryDayFacts(
    headache_hours=6,
    peak_severity=PeakSeverity.moderate,
    pulsating=True,
    unilateral=True,
    acute_medications=(AcuteMedicationTaken("sumatriptan", "triptan", True),),
)
SIMPLE_ANALGESIC = DiaryDayFacts(
    headache_hours=5,
    peak_severity=PeakSeverity.mild,
    acute_medications=(AcuteMedicationTaken("ibuprofen", "simple_analgesic", False),),
)


def diary_row(patient, on: date, facts: DiaryDayFacts) -> DiaryDay:
    classified = classify_day(facts)
    overuse = overuse_day_flags(m.drug_class for m in facts.acute_medications)
    return DiaryDay(
        patient=patient,
        date=on,
        headache_hours=float(facts.headache_hours),
        peak_severity=str(facts.peak_severity),
        unilateral=facts.unilateral,
        pulsating=facts.pulsating,
        worse_with_activity=facts.worse_with_activity,
        nausea=facts.nausea,
        vomiting=facts.vomiting,
        photophobia=facts.photophobia,
        phonophobia=facts.phonophobia,
        aura=facts.aura,
        acute_medications=[
            {"name": m.name, "drug_class": str(m.drug_class), "relieved": m.relieved}
            for m in facts.acute_medications
        ],
        **{name: getattr(classified, name) for name in CLASSIFICATION_COLUMNS},
        **{name: getattr(overuse, name) for name in OVERUSE_COLUMNS},
    )


def write_days(patient, days: Iterable[tuple[date, DiaryDayFacts]]) -> list[DiaryDay]:
    return DiaryDay.objects.bulk_create([diary_row(patient, on, facts) for on, facts in days])


def write_pattern(patient, start: date, end: date, headache_on) -> list[DiaryDay]:
    """One diary day per date; ``headache_on(date) -> DiaryDayFacts | None`` (None = not
    recorded)."""
    days = []
    on = start
    while on <= end:
        facts = headache_on(on)
        if facts is not None:
            days.append((on, facts))
        on += timedelta(days=1)
    return write_days(patient, days)


def session(
    patient, on: date, *, units: str = "155", wasted: str = "45", status=ProcedureStatus.SIGNED
):
    return Procedure.objects.create(
        patient=patient,
        performed_on=on,
        total_units=Decimal(units),
        wasted_units=Decimal(wasted),
        status=status,
    )


def every_nth(n: int, facts: DiaryDayFacts = MIGRAINE):
    """A headache on every n-th day (by ordinal), otherwise a recorded headache-free day."""
    return lambda on: facts if on.toordinal() % n == 0 else NO_HEADACHE


def build_story(patient, today: date, *, kind: str, sessions: int = 4, seed: int = 7):
    """A demo-like patient: baseline ~20 headache days/28, then ``kind``:
    "responder" (about 6 a period), "wearing_off" (good weeks 2-8, bad weeks 9-12),
    "non_responder" (about 18). Sessions every 84 days; the last one ~30 days ago."""
    first = today - timedelta(days=84 * (sessions - 1) + 30)
    session_dates = [first + timedelta(days=84 * k) for k in range(sessions)]
    for on in session_dates:
        session(patient, on)

    def facts_for(on: date):
        # Deterministic: a fixed number of headache days in every 28 (or 7) consecutive days.
        if on < first:
            return MIGRAINE if on.toordinal() % 28 < 20 else NO_HEADACHE
        last = max(s for s in session_dates if s <= on)
        week = (on - last).days // 7 + 1
        if kind == "responder":
            return MIGRAINE if on.toordinal() % 28 < 6 else NO_HEADACHE
        if kind == "wearing_off":
            return MIGRAINE if on.toordinal() % 7 < (1 if week <= 8 else 5) else NO_HEADACHE
        return MIGRAINE if (on.toordinal() + seed) % 28 < 18 else NO_HEADACHE

    write_pattern(patient, first - timedelta(days=40), today, facts_for)
    return session_dates


def put_on_payer_rule(patient, rule: str) -> PayerProfile:
    """Put the patient on a payer profile of their own with this responder rule (the
    reference's 84-day interval and 24-week review)."""
    patient.payer_profile = PayerProfile.objects.create(
        name=f"Payer {patient.pk} with rule {rule}",
        min_preventive_classes=2,
        min_interval_days=84,
        responder_rule=rule,
        review_weeks=24,
    )
    patient.save(update_fields=["payer_profile"])
    return patient.payer_profile
