"""outcomes_extra: results from counts equal the pure rules on the same diary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadence.rules import outcomes as rules
from cadence.rules.diary import AcuteMedicationTaken, DiaryDayFacts, PeakSeverity
from cadence.rules.outcomes_extra import (
    WEEK_24_PERIOD_INDEX,
    OveruseCounts,
    TreatmentStage,
    effect_curve_from_counts,
    overuse_day_flags,
    overuse_from_counts,
    overuse_windows,
    period_from_counts,
    shorter_interval_suggestion,
    treatment_stage,
)

START = date(2025, 1, 1)
CLASSES = [
    "triptan",
    "ergot",
    "opioid",
    "combination_analgesic",
    "simple_analgesic",
    "gepant",
    "antiemetic",
    "other",
]

facts_strategy = st.builds(
    DiaryDayFacts,
    headache_hours=st.sampled_from([0, 0, 1, 3.5, 4, 6.25, 12, 24]),
    peak_severity=st.sampled_from(list(PeakSeverity)),
    unilateral=st.booleans(),
    pulsating=st.booleans(),
    nausea=st.booleans(),
    aura=st.booleans(),
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
diary_strategy = st.dictionaries(st.integers(0, 120), facts_strategy, max_size=121)


def recorded(diary: dict[int, DiaryDayFacts]) -> list[rules.RecordedDay]:
    return [rules.recorded_day(START + timedelta(days=k), facts) for k, facts in diary.items()]


@settings(max_examples=60, deadline=None)
@given(diary=diary_strategy, offset=st.integers(0, 90), as_of_offset=st.integers(0, 130))
def test_period_from_counts_equals_period_metrics(diary, offset, as_of_offset):
    days = recorded(diary)
    start = START + timedelta(days=offset)
    end = start + timedelta(days=27)
    as_of = START + timedelta(days=as_of_offset)
    expected = rules.period_metrics(days, start, end, as_of=as_of)
    in_range = [d for d in days if start <= d.on <= end]
    counts = rules.PeriodCounts(
        headache_days=sum(d.classification.is_headache_day for d in in_range),
        migraine_days=sum(d.classification.is_migraine_day for d in in_range),
        moderate_severe_days=sum(d.classification.is_moderate_severe_day for d in in_range),
        acute_medication_days=sum(d.classification.is_acute_medication_day for d in in_range),
        triptan_days=sum(d.classification.is_triptan_day for d in in_range),
        headache_hours=sum(d.headache_hours for d in in_range),
    )
    assert period_from_counts(start, end, len(in_range), counts, as_of=as_of) == expected


@settings(max_examples=60, deadline=None)
@given(
    diary=diary_strategy,
    gap=st.one_of(st.none(), st.integers(50, 90)),
    as_of_offset=st.integers(28, 120),
)
def test_effect_curve_from_counts_equals_cycle_effect_curve(diary, gap, as_of_offset):
    days = recorded(diary)
    session = START + timedelta(days=28)
    following = session + timedelta(days=gap) if gap else None
    as_of = START + timedelta(days=as_of_offset)
    expected = rules.cycle_effect_curve(days, session, following, as_of)
    weeks = {}
    for week in range(1, 13):
        first = session + timedelta(days=7 * (week - 1))
        in_week = [
            d
            for d in days
            if first <= d.on <= first + timedelta(days=6)
            and (following is None or d.on < following)
            and d.on <= as_of
        ]
        weeks[week] = (len(in_week), sum(d.classification.is_headache_day for d in in_week))
    pre = [d for d in days if session - timedelta(days=28) <= d.on < session]
    got = effect_curve_from_counts(
        session,
        following,
        as_of,
        weeks,
        (len(pre), sum(d.classification.is_headache_day for d in pre)),
    )
    assert got == expected


@settings(max_examples=60, deadline=None)
@given(diary=st.dictionaries(st.integers(0, 100), facts_strategy, max_size=101))
def test_overuse_from_counts_agrees_with_medication_overuse(diary):
    days = recorded(diary)
    as_of = START + timedelta(days=100)
    expected = rules.medication_overuse(days, as_of)
    periods = []
    for start, end in overuse_windows(as_of):
        in_range = [d for d in days if start <= d.on <= end]
        flags = [overuse_day_flags(d.acute_drug_classes) for d in in_range]
        periods.append(
            OveruseCounts(
                start, end, len(in_range), sum(f[0] for f in flags), sum(f[1] for f in flags)
            )
        )
    got = overuse_from_counts(periods, as_of)
    assert got.flagged == expected.flagged
    assert [p.met for p in got.periods] == [p.met for p in expected.periods]
    assert [p.specific_or_mix_days for p in got.periods] == [
        p.specific_or_mix_days for p in expected.periods
    ]


@pytest.mark.parametrize(
    ("classes", "flags"),
    [
        ([], (False, False)),
        (["triptan"], (True, False)),
        (["simple_analgesic"], (False, True)),
        (["simple_analgesic", "gepant"], (True, True)),
        (["antiemetic", "other"], (False, False)),
        (["gepant"], (False, False)),
        (["nonsense"], (False, False)),
    ],
)
def test_overuse_day_flags(classes, flags):
    assert overuse_day_flags(classes) == flags


@pytest.mark.parametrize(
    ("sessions", "today", "stage"),
    [
        ([], date(2025, 6, 1), TreatmentStage.work_up),
        ([date(2025, 1, 1)], date(2025, 3, 1), TreatmentStage.first_course),
        ([date(2025, 1, 1), date(2025, 3, 26)], date(2025, 6, 17), TreatmentStage.first_course),
        ([date(2025, 1, 1), date(2025, 3, 26)], date(2025, 6, 18), TreatmentStage.maintenance),
        ([date(2025, 1, 1)], date(2025, 7, 1), TreatmentStage.stopped),
    ],
)
def test_treatment_stage(sessions, today, stage):
    assert treatment_stage(sessions, today) == stage


def test_week_24_is_the_sixth_period():
    assert WEEK_24_PERIOD_INDEX == 5
    assert (WEEK_24_PERIOD_INDEX + 1) * rules.PERIOD_DAYS == 24 * 7


def test_short_period_counts_are_null_and_never_divide_by_zero():
    metrics = period_from_counts(START, START + timedelta(days=27), 0, rules.PeriodCounts())
    assert metrics.headache_days is None and metrics.coverage == 0


@pytest.mark.parametrize(
    ("detected", "days", "expected"),
    [(False, 70, None), (True, 70, "after 70 days (10 weeks)"), (True, None, "does not allow")],
)
def test_shorter_interval_suggestion(detected, days, expected):
    text = shorter_interval_suggestion(detected, days)
    assert text is None if expected is None else expected in text
