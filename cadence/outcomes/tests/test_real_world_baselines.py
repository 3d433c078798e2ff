"""Baselines that fit real patients: a new course after a lapse of more than 180 days gets
a new baseline; a patient transferring in gets a recorded historical baseline in place of
none. Outcomes, candidacy and the API read the same one."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cadence.outcomes import selectors
from cadence.outcomes.tests.factories import MIGRAINE, NO_HEADACHE, session, write_pattern
from cadence.patients.models import HistoricalBaseline

pytestmark = pytest.mark.django_db


def per_28(n: int):
    return lambda on: MIGRAINE if on.toordinal() % 28 < n else NO_HEADACHE


def test_a_course_after_a_lapse_gets_a_new_baseline(patient):
    today = timezone.localdate()
    restart = today - timedelta(days=30)
    old = [restart - timedelta(days=181 + 84), restart - timedelta(days=181)]
    for on in [*old, restart]:
        session(patient, on)
    # 20 headache days per 28 before the first course, 10 before the restart.
    write_pattern(
        patient,
        old[0] - timedelta(days=40),
        today,
        lambda on: per_28(20)(on) if on < old[0] else per_28(10)(on),
    )
    outcome = selectors.patient_outcomes(patient)
    assert outcome.course_start == restart
    assert outcome.baseline.start == restart - timedelta(days=28)
    assert outcome.baseline.headache_days == 10
    assert outcome.periods[0].start == restart
    assert str(outcome.baseline_source).startswith("diary")
    assert selectors.candidacy_baseline(patient, today=today).start == restart - timedelta(days=28)


def test_exactly_180_days_is_the_same_course(patient):
    today = timezone.localdate()
    first = today - timedelta(days=180 + 30)
    session(patient, first)
    session(patient, first + timedelta(days=180))
    outcome = selectors.patient_outcomes(patient)
    assert outcome.course_start == first


def test_a_transferred_patient_gets_the_historical_baseline_in_place_of_none(patient, clinician):
    today = timezone.localdate()
    first_here = today - timedelta(days=60)
    session(patient, first_here)
    write_pattern(patient, first_here, today, per_28(8))  # no diary before the session
    HistoricalBaseline.objects.create(
        patient=patient,
        headache_days=Decimal("18.5"),
        migraine_days=Decimal("12"),
        source="Referral letter, Northfield Headache Clinic",
        recorded_on=today - timedelta(days=400),
        recorded_by=clinician,
    )
    outcome = selectors.patient_outcomes(patient)
    assert outcome.baseline.headache_days == 18.5
    assert outcome.baseline.migraine_days == 12
    assert outcome.baseline_source.kind == "historical"
    assert "Northfield" in str(outcome.baseline_source)
    assert outcome.response.status == "responder"  # 8 against 18.5: 57% fewer
    assert selectors.candidacy_baseline(patient, today=today).headache_days == 18.5


def test_a_sufficient_diary_baseline_wins_over_the_historical_one(patient):
    today = timezone.localdate()
    first = today - timedelta(days=60)
    session(patient, first)
    write_pattern(patient, first - timedelta(days=28), today, per_28(20))
    HistoricalBaseline.objects.create(
        patient=patient, headache_days=Decimal(25), source="Letter", recorded_on=today
    )
    outcome = selectors.patient_outcomes(patient)
    assert outcome.baseline.headache_days == 20
    assert outcome.baseline_source.kind == "diary"


def test_the_historical_baseline_shows_in_the_outcomes_api(api_for, clinician, patient):
    today = timezone.localdate()
    session(patient, today - timedelta(days=40))
    HistoricalBaseline.objects.create(
        patient=patient, headache_days=Decimal(17), source="Letter", recorded_on=today
    )
    body = api_for(clinician).get(f"/patients/{patient.pk}/outcomes").json()
    assert body["baseline"]["headache_days"] == 17
