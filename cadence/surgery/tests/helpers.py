"""Test helpers: diary days and a signed targeted session, written straight to the
tables (no audit entries), like the project's fixtures."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from cadence.diary.models import DiaryDay
from cadence.treatments.models import (
    InjectionSite,
    PlanSite,
    Procedure,
    ProcedureInjection,
    TreatmentPlan,
)


def diary_window(
    patient, start: date, days: int, headache_days: int, regions=("back_of_head_left",)
):
    """``days`` recorded days from ``start``; the first ``headache_days`` are headache
    days with ``regions``; the rest headache-free."""
    for i in range(days):
        headache = i < headache_days
        DiaryDay.objects.update_or_create(
            patient=patient,
            date=start + timedelta(days=i),
            defaults={
                "headache_hours": 8 if headache else 0,
                "peak_severity": "severe" if headache else "none",
                "pain_regions": list(regions) if headache else [],
                "is_headache_day": headache,
                "is_migraine_day": headache,
            },
        )


def targeted_session(
    patient, clinician, *, on: date, site_codes=("occipitalis_left_ftp_1",), sign=True
):
    plan = TreatmentPlan.objects.create(
        patient=patient,
        template="custom",
        planned_for=on,
        total_units=Decimal(5) * len(site_codes),
        site_count=len(site_codes),
        created_by=clinician,
    )
    sites = {s.code: s for s in InjectionSite.objects.filter(code__in=site_codes)}
    for code in site_codes:
        PlanSite.objects.create(plan=plan, site=sites[code], units=Decimal(5))
    procedure = Procedure.objects.create(
        patient=patient,
        performed_on=on,
        clinician=clinician,
        plan=plan,
        total_units=Decimal(5) * len(site_codes),
        drawn_units=Decimal(100),
        wasted_units=Decimal(100) - Decimal(5) * len(site_codes),
        consent_obtained=True,
        status="signed" if sign else "draft",
        signed_at=timezone.now() if sign else None,
        signed_by=clinician if sign else None,
    )
    for code in site_codes:
        ProcedureInjection.objects.create(procedure=procedure, site=sites[code], units=Decimal(5))
    return plan, procedure


def responded_occipital(patient, clinician, today: date):
    """A patient whose left occipital site responded to a diagnostic session 40 days ago:
    10 headache days there in the 28 days before, 3 in the 28 after."""
    injected = today - timedelta(days=40)
    diary_window(patient, injected - timedelta(days=28), 28, 10)
    diary_window(patient, injected, 28, 3)
    diary_window(patient, injected + timedelta(days=28), 13, 4)  # to today
    plan, _ = targeted_session(patient, clinician, on=injected)
    return plan, injected
