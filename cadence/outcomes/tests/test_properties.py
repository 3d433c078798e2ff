"""Hypothesis: the SQL-counted outcomes equal the pure rules on the same random diary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadence.outcomes import selectors
from cadence.outcomes.tests.factories import session, write_days
from cadence.rules import outcomes as rules
from cadence.rules.diary import AcuteMedicationTaken, DiaryDayFacts, PeakSeverity
from cadence.rules.effect import cycle_effect_curve
from cadence.rules.overuse import medication_overuse

pytestmark = pytest.mark.django_db

TODAY = date(2025, 9, 30)
FIRST = date(2025, 3, 3)
CLASSES = ["triptan", "ergot", "opioid", "simple_analgesic", "gepant", "other"]

facts = st.builds(
    DiaryDayFacts,
    headache_hours=st.sampled_from([0, 0, 0, 2, 4, 5.5, 9, 24]),
    peak_severity=st.sampled_from(list(PeakSeverity)),
    unilateral=st.booleans(),
    pulsating=st.booleans(),
    nausea=st.booleans(),
    acute_medications=st.lists(
        st.builds(
            AcuteMedicationTaken,
            name=st.just("x"),
            drug_class=st.sampled_from(CLASSES),
            relieved=st.booleans(),
        ),
        max_size=2,
    ).map(tuple),
)
# day offsets from 40 days before the first session to TODAY
diaries = st.dictionaries(st.integers(0, (TODAY - FIRST).days + 40), facts, max_size=260)
second_sessions = st.one_of(st.none(), st.integers(70, 100))


class Rollback(Exception):
    pass


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(diary=diaries, second=second_sessions)
def test_sql_outcomes_equal_the_pure_rules(make_patient, diary, second):
    origin = FIRST - timedelta(days=40)
    days = [(origin + timedelta(days=k), f) for k, f in diary.items()]
    sessions = [FIRST] + ([FIRST + timedelta(days=second)] if second else [])
    try:
        with transaction.atomic():
            patient = make_patient()
            for on in sessions:
                session(patient, on)
            write_days(patient, days)
            got = selectors.outcome_summary_for(patient, today=TODAY)
            raise Rollback
    except Rollback:
        pass
    recorded = [rules.recorded_day(on, f) for on, f in days]
    expected = rules.outcome_summary(recorded, sessions, TODAY)
    assert got.summary == expected
    assert got.overuse.flagged == medication_overuse(recorded, TODAY).flagged
    for index, curve in enumerate(got.curves):
        following = sessions[index + 1] if index + 1 < len(sessions) else None
        assert curve == cycle_effect_curve(recorded, sessions[index], following, TODAY)
