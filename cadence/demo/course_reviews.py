"""Demo seed step for the course review and real-world baselines (issue 16): two more
patients with their own records, so the demo clinic shows

- **a NICE-profile patient who converts to episodic migraine**: an NHS England payer
  profile (NICE TA260 stopping rules, 3 failed preventives), two sessions, and a diary
  that falls from 20 to 10 headache days per 28 days: episodic (fewer than 15) for three
  consecutive periods, so the stop rule fires on the patient page and the dashboard;
- **a patient transferred in with a historical baseline**: treated elsewhere before, no
  diary before the first session here, a recorded historical baseline (19.5 headache days
  per 28 days, from a synthetic transfer summary) that the outcomes use in place of none,
  and a CGRP antibody taken alongside (a concurrent preventive on the plan page).

All names and data are synthetic. ``seed(ctx)`` runs after the other steps.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from cadence.diary.models import DiaryDay, QuestionnaireResponse
from cadence.diary.services import DiaryEntry, diary_day_fields
from cadence.patients.models import (
    Answer,
    CandidacyDecision,
    Diagnosis,
    HistoricalBaseline,
    MedicalHistory,
    Patient,
    PayerProfile,
    PreventiveTrial,
    Sex,
)
from cadence.rules.diary import AcuteDrugClass, AcuteMedicationTaken, PeakSeverity
from cadence.rules.payer import StoppingRules
from cadence.treatments.models import Procedure, ProcedureStatus

NICE_PROFILE_NAME = "NHS England (NICE TA260)"

_MIGRAINE = DiaryEntry(
    headache_hours=8,
    peak_severity=PeakSeverity.severe.value,
    unilateral=True,
    pulsating=True,
    nausea=True,
    acute_medications=(AcuteMedicationTaken("Sumatriptan 50 mg", AcuteDrugClass.triptan, True),),
)
_NONE = DiaryEntry()


def _patient(first: str, last: str, born: date, **extra) -> Patient:
    return Patient.objects.create(
        first_name=first,
        last_name=last,
        date_of_birth=born,
        sex=Sex.FEMALE,
        email=f"{first}.{last}@example.invalid".lower(),
        phone="+1 202 555 0177",
        **extra,
    )


def _work_up(patient, clinician, today: date, trials) -> None:
    MedicalHistory.objects.create(
        patient=patient,
        headache_days_per_month=20,
        migraine_days_per_month=14,
        months_with_pattern=24,
        preventive_history_taken=True,
        **{
            name: Answer.NO
            for name in (
                "infection_at_site",
                "hypersensitivity",
                "neuromuscular_disease",
                "aminoglycosides",
                "swallowing_or_breathing_difficulty",
                "pregnant_or_breastfeeding",
            )
        },
        updated_by=clinician,
    )
    Diagnosis.objects.create(
        patient=patient,
        icd10_code="G43.709",
        confirmed_by_neurologist=True,
        neurologist="Dr. Hollis Penrose (synthetic)",
        confirmed_on=today - timedelta(days=420),
        recorded_by=clinician,
    )
    for drug, drug_class, mg, start_days, weeks, outcome in trials:
        start = today - timedelta(days=start_days)
        PreventiveTrial.objects.create(
            patient=patient,
            drug=drug,
            drug_class=drug_class,
            start=start,
            end=start + timedelta(weeks=weeks) if outcome != "ongoing" else None,
            daily_dose_mg=Decimal(mg) if mg else None,
            dose=f"{mg} mg daily" if mg else "",
            outcome=outcome,
            recorded_by=clinician,
        )
    CandidacyDecision.objects.create(
        patient=patient,
        decision="botox",
        note="Chronic migraine after failed preventives (demo).",
        eligible_when_decided=True,
        decided_by=clinician,
        decided_at=timezone.make_aware(datetime.combine(today - timedelta(days=380), time(10))),
    )


def _sessions(patient, clinician, dates: list[date]) -> None:
    for day in dates:
        at = timezone.make_aware(datetime.combine(day, time(10)))
        Procedure.objects.create(
            patient=patient,
            performed_on=day,
            performed_at=at,
            clinician=clinician,
            total_units=Decimal(155),
            drawn_units=Decimal(200),
            wasted_units=Decimal(45),
            status=ProcedureStatus.SIGNED,
            signed_at=at + timedelta(minutes=20),
            signed_by=clinician,
            consent_obtained=True,
        )


def _diary(patient, start: date, today: date, per_28) -> None:
    """A complete diary from ``start`` to ``today``; ``per_28(day)`` headache days in
    every 28 (spread through the period)."""
    rows = []
    on = start
    while on <= today:
        n = per_28(on)
        headache = (on.toordinal() * 11) % 28 < n
        rows.append(
            DiaryDay(patient=patient, date=on, **diary_day_fields(_MIGRAINE if headache else _NONE))
        )
        on += timedelta(days=1)
    DiaryDay.objects.bulk_create(rows, batch_size=1000)


def _questionnaire(patient, instrument: str, on: date, score: int) -> None:
    QuestionnaireResponse.objects.create(
        patient=patient, instrument=instrument, completed_on=on, score=score
    )


def seed(ctx) -> None:
    today = ctx.today
    clinician = ctx.staff.get("clinician") or next(iter(ctx.clinicians()), None)
    nice, _ = PayerProfile.objects.get_or_create(
        name=NICE_PROFILE_NAME,
        defaults={
            "min_preventive_classes": 3,
            "min_interval_days": 84,
            "responder_rule": "percent_50",
            "review_weeks": 24,
            "stopping_rules": StoppingRules.nice_ta260.value,
        },
    )

    # A NICE-profile patient who converts to episodic migraine (the stop rule fires).
    episodic = _patient("Imogen", "Ashcombe", today - timedelta(days=44 * 365), payer_profile=nice)
    _work_up(
        episodic,
        clinician,
        today,
        [
            ("topiramate", "antiepileptic", 100, 900, 12, "ineffective"),
            ("propranolol", "beta_blocker", 160, 760, 10, "ineffective"),
            ("amitriptyline", "tricyclic", 25, 620, 12, "not_tolerated"),
        ],
    )
    first = today - timedelta(days=150)
    _sessions(episodic, clinician, [first, first + timedelta(days=84)])
    _diary(episodic, first - timedelta(days=35), today, lambda on: 20 if on < first else 10)
    _questionnaire(episodic, "MIDAS", first - timedelta(days=3), 46)
    _questionnaire(episodic, "HIT-6", first - timedelta(days=3), 66)
    _questionnaire(episodic, "MIDAS", first + timedelta(days=82), 18)
    _questionnaire(episodic, "HIT-6", first + timedelta(days=82), 58)

    # A patient transferred in with a historical baseline (no diary before the first
    # session here) and a CGRP antibody taken alongside.
    transferred = _patient("Beatrix", "Hallorann", today - timedelta(days=51 * 365))
    _work_up(
        transferred,
        clinician,
        today,
        [
            ("topiramate", "antiepileptic", 100, 1500, 16, "ineffective"),
            ("candesartan", "arb_ace_inhibitor", 16, 1300, 12, "ineffective"),
            ("erenumab", "cgrp_antibody", 140, 400, 0, "ongoing"),
        ],
    )
    HistoricalBaseline.objects.create(
        patient=transferred,
        headache_days=Decimal("19.5"),
        migraine_days=Decimal("14"),
        source="Transfer summary from Riverside Neurology (synthetic)",
        recorded_on=today - timedelta(days=700),
        recorded_by=clinician,
    )
    here = today - timedelta(days=100)
    _sessions(transferred, clinician, [here, here + timedelta(days=84)])
    _diary(transferred, here, today, lambda on: 7)
