"""Issue 20: the clinic report at 100,000 patients. Its query reads each review window
once (PostgreSQL: one LATERAL range read per window counting days recorded and headache
days; SQLite: four correlated counts), decides each distinct combination of counts and
rule once, and its SQL floor (``bench/report_floor.py``) reads exactly the numbers the
report reads, so that the report / floor ratio stays honest."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from bench import report_floor
from cadence.outcomes import selectors
from cadence.outcomes.selectors.clinic import _clinic_session_rows
from cadence.outcomes.selectors.patient import as_date
from cadence.outcomes.tests.factories import (
    MIGRAINE,
    NO_HEADACHE,
    put_on_payer_rule,
    session,
    write_pattern,
)
from cadence.patients.models import HistoricalBaseline, Patient

pytestmark = pytest.mark.django_db

COVERING_INDEX = "diary_day_patient_date_incl_headache"


def headache_days_per_28(n: int):
    """``n`` headache days in every 28 consecutive days, every day recorded."""
    return lambda on: MIGRAINE if on.toordinal() % 28 < n else NO_HEADACHE


def reviewed(make_patient, today, *, baseline: int, follow_up: int, rule: str | None = None):
    """A patient whose first session was 170 days ago (weeks 21-24 ended), ``baseline``
    headache days in every 28 before it and ``follow_up`` in every 28 since."""
    patient = make_patient()
    if rule:
        put_on_payer_rule(patient, rule)
    first = today - timedelta(days=24 * 7 + 2)
    session(patient, first)
    session(patient, first + timedelta(days=84))
    write_pattern(
        patient,
        first - timedelta(days=28),
        first - timedelta(days=1),
        headache_days_per_28(baseline),
    )
    write_pattern(patient, first, today, headache_days_per_28(follow_up))
    return patient


def test_the_same_counts_under_different_rules_are_decided_by_each_patients_rule(make_patient):
    """20 -> 13 headache days: 7 fewer (a responder under "7 fewer days"), 35% fewer (a
    partial responder under "50% fewer"). Deciding once per distinct counts must keep
    the rule in what is decided."""
    today = timezone.localdate()
    fifty = reviewed(make_patient, today, baseline=20, follow_up=13)
    seven = reviewed(make_patient, today, baseline=20, follow_up=13, rule="fewer_7_days")
    also_fifty = reviewed(make_patient, today, baseline=20, follow_up=13)
    statuses = selectors.week_24_statuses(today)
    assert statuses == {
        fifty.pk: "partial",
        seven.pk: "responder",
        also_fifty.pk: "partial",
    }
    for patient in (fifty, seven, also_fifty):
        outcome = selectors.patient_outcomes(patient, today=today, with_alerts=False)
        assert outcome.week_24_response.status == statuses[patient.pk]
    report = selectors.clinic_report(today)
    assert report.status_counts_24_weeks["partial"] == 2
    assert report.status_counts_24_weeks["responder"] == 1


def test_patients_sharing_first_and_last_session_are_each_counted_in_their_stage(make_patient):
    today = timezone.localdate()
    for _n in range(3):
        patient = make_patient()
        session(patient, today - timedelta(days=30))  # first course
    stopped = make_patient()
    session(stopped, today - timedelta(days=400))  # stopped
    make_patient()  # work-up
    stages = selectors.clinic_report(today).stage_counts
    assert (stages["first_course"], stages["stopped"], stages["work_up"]) == (3, 1, 1)


def _clinic(make_patient, today):
    """Review patients (one on a payer rule, one transferred with a historical baseline,
    one restarted after a lapse), a patient not yet in review and one with no session."""
    reviewed(make_patient, today, baseline=12, follow_up=5)
    reviewed(make_patient, today, baseline=20, follow_up=13, rule="fewer_7_days")
    transferred = make_patient()
    first = today - timedelta(days=24 * 7 + 2)
    session(transferred, first)
    write_pattern(transferred, first - timedelta(days=5), today, headache_days_per_28(9))
    HistoricalBaseline.objects.create(
        patient=transferred,
        headache_days=Decimal("19"),
        source="Referral letter",
        recorded_on=first - timedelta(days=60),
    )
    restarted = make_patient()
    for on in [first - timedelta(days=400), first, first + timedelta(days=84)]:
        session(restarted, on)
    write_pattern(restarted, first - timedelta(days=430), today, headache_days_per_28(11))
    recent = make_patient()
    session(recent, today - timedelta(days=20))
    write_pattern(recent, today - timedelta(days=60), today, headache_days_per_28(8))
    make_patient()


@pytest.mark.parametrize("shape", sorted(report_floor.SHAPES))
def test_the_sql_floor_reads_the_numbers_the_report_reads(make_patient, shape):
    today = timezone.localdate()
    _clinic(make_patient, today)
    report_rows = {row.patient_id: row for row in _clinic_session_rows(today)}
    floor_rows = report_floor.run(today, shape)
    assert len(floor_rows) == len(report_rows) == 5
    assert sum(row.base_n is not None for row in report_rows.values()) == 4
    for pk, first, last, course, patients, *counts, rule, historical in floor_rows:
        row = report_rows[pk]
        assert patients == Patient.objects.count()
        assert (as_date(first), as_date(last), as_date(course)) == (
            row.first_session,
            row.last_session,
            row.course_start,
        )
        assert (rule, bool(historical)) == (row.rule, row.has_historical_baseline)
        if row.base_n is not None:
            assert tuple(counts) == (row.base_n, row.base_hd, row.w24_n, row.w24_hd)


def test_the_report_windows_have_their_covering_index_on_postgresql_only():
    """Diary migration 0006: PostgreSQL carries ``is_headache_day`` in a (patient, date)
    index for index-only window reads; SQLite (no INCLUDE) is left as it was."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [COVERING_INDEX])
            (definition,) = cursor.fetchone()
            assert "(patient_id, date) INCLUDE (is_headache_day)" in definition
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            names = {name for (name,) in cursor.fetchall()}
            assert COVERING_INDEX not in names
            assert any("diary" in name for name in names)
