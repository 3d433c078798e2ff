"""One baseline: the outcome page and API, the candidacy page and API, and the FHIR and
CSV exports give the same baseline (start, end, headache days) for a patient with a draft
note before their first signed session. A draft note is not a session: the baseline is
the 28 days before the signed one."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cadence.candidacy.selectors import candidacy_for
from cadence.diary.models import DiaryDay
from cadence.interop.tests.helpers import resources_of, response_json
from cadence.outcomes import selectors
from cadence.treatments.models import Procedure, ProcedureStatus

pytestmark = pytest.mark.django_db


def headache_day(patient, on, *, headache: bool) -> DiaryDay:
    """A diary day with its facts and the stored flags the diary service derives."""
    return DiaryDay(
        patient=patient,
        date=on,
        headache_hours=6 if headache else 0,
        peak_severity="moderate" if headache else "none",
        is_headache_day=headache,
        is_moderate_severe_day=headache,
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def treated(patient, clinician, today):
    """A draft note 40 days before the first signed session; every day a headache before
    the draft, one day in two between the draft and the signed session, none after."""
    signed_on = today - timedelta(days=70)
    draft_on = signed_on - timedelta(days=40)
    Procedure.objects.create(
        patient=patient,
        performed_on=draft_on,
        total_units=Decimal(155),
        status=ProcedureStatus.DRAFT,
        clinician=clinician,
    )
    Procedure.objects.create(
        patient=patient,
        performed_on=signed_on,
        total_units=Decimal(155),
        status=ProcedureStatus.SIGNED,
        clinician=clinician,
    )
    days = []
    on = draft_on - timedelta(days=28)
    while on < today:
        if on < draft_on:
            headache = True
        elif on < signed_on:
            headache = (on - draft_on).days % 2 == 0
        else:
            headache = False
        days.append(headache_day(patient, on, headache=headache))
        on += timedelta(days=1)
    DiaryDay.objects.bulk_create(days)
    return patient


def test_every_surface_shows_the_same_baseline(api_for, clinician, treated, today):
    signed_on = today - timedelta(days=70)
    expected = (signed_on - timedelta(days=28), signed_on - timedelta(days=1), 14.0)

    # The outcome page (its selector) and the outcomes API.
    page = selectors.patient_outcomes(treated, today=today).baseline
    assert (page.start, page.end, page.headache_days) == expected
    api = api_for(clinician).get(f"/patients/{treated.pk}/outcomes").json()["baseline"]
    assert (api["start"], api["end"], api["headache_days"]) == (
        expected[0].isoformat(),
        expected[1].isoformat(),
        expected[2],
    )

    # Candidacy: the same baseline, and the chronic-migraine criterion judged from it.
    candidacy = candidacy_for(treated, today=today)
    baseline = candidacy.baseline
    assert (baseline.start, baseline.end, baseline.headache_days) == expected
    assert not baseline.provisional
    body = api_for(clinician).get(f"/patients/{treated.pk}/candidacy").json()
    chronic = next(c for c in body["criteria"] if c["code"] == "chronic_migraine")
    assert body["chronic_source"] == "diary" and "14 headache days" in chronic["detail"]

    # FHIR: the baseline period Observation.
    bundle = response_json(api_for(clinician).get(f"/fhir/r4/Patient/{treated.pk}/$everything"))
    baselines = [
        o
        for o in resources_of(bundle, "Observation")
        if o["id"].startswith("period-")
        and any(
            comp["code"]["coding"][0]["code"] == "period-baseline" and comp["valueBoolean"]
            for comp in o["component"]
        )
    ]
    assert len(baselines) == 1
    fhir = baselines[0]
    headache_days = next(
        comp["valueQuantity"]["value"]
        for comp in fhir["component"]
        if comp["code"]["coding"][0]["code"] == "headache-days"
    )
    assert (fhir["effectivePeriod"]["start"], fhir["effectivePeriod"]["end"]) == (
        expected[0].isoformat(),
        expected[1].isoformat(),
    )
    assert headache_days == expected[2]

    # CSV: one session (the draft is not one), first session the signed one, same baseline.
    response = api_for(clinician).get("/fhir/r4/export/outcomes.csv")
    header, *rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    row = dict(zip(header, rows[0], strict=True))
    assert len(rows) == 1
    assert (row["sessions"], row["first_session"], float(row["baseline_headache_days"])) == (
        "1",
        signed_on.isoformat(),
        expected[2],
    )


def test_before_any_signed_session_candidacy_reads_the_28_days_before_today(
    patient, clinician, today
):
    draft_on = today - timedelta(days=10)
    Procedure.objects.create(
        patient=patient,
        performed_on=draft_on,
        total_units=Decimal(155),
        status=ProcedureStatus.DRAFT,
        clinician=clinician,
    )
    DiaryDay.objects.bulk_create(
        headache_day(patient, today - timedelta(days=n), headache=n % 2 == 0) for n in range(1, 60)
    )
    assert selectors.patient_outcomes(patient, today=today).baseline is None
    baseline = candidacy_for(patient, today=today).baseline
    assert baseline.provisional
    assert (baseline.start, baseline.end, baseline.days_recorded, baseline.headache_days) == (
        today - timedelta(days=28),
        today - timedelta(days=1),
        28,
        14.0,
    )
