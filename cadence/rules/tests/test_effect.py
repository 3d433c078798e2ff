"""The course after a session (section 3): effect curve, wearing-off and the shorter-
interval suggestion; the same curve from counts. No Django."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadence.rules.diary import AcuteMedicationTaken, DiaryDayFacts, PeakSeverity
from cadence.rules.effect import (
    EFFECT_CURVE_WEEKS,
    WEARING_OFF_LATE_WEEKS,
    WEARING_OFF_MIDDLE_WEEKS,
    EffectCurve,
    WeekPoint,
    cycle_effect_curve,
    effect_curve_from_counts,
    shorter_interval_suggestion,
    wearing_off,
)
from cadence.rules.outcomes import RecordedDay, recorded_day
from cadence.rules.payer import RETREATMENT_WEEKS
from cadence.rules.tests.recorded import rec


def test_constants_quote_the_reference() -> None:
    assert EFFECT_CURVE_WEEKS == RETREATMENT_WEEKS == 12
    assert WEARING_OFF_LATE_WEEKS == (9, 10, 11, 12)
    assert WEARING_OFF_MIDDLE_WEEKS == (3, 4, 5, 6, 7, 8)


# --- effect curve -------------------------------------------------------------------------

SESSION = date(2025, 4, 1)


def cycle_days(
    weekly: list[int | None], baseline_per_week: int | None = 4, session: date = SESSION
) -> list[RecordedDay]:
    """Diary: 28 pre-session days at ``baseline_per_week``, then per-week headache counts."""
    days = []
    if baseline_per_week is not None:
        for w in range(4):
            start = session - timedelta(days=28 - 7 * w)
            days += [rec(start + timedelta(days=i), i < baseline_per_week) for i in range(7)]
    for w, count in enumerate(weekly):
        if count is None:
            continue
        start = session + timedelta(days=7 * w)
        days += [rec(start + timedelta(days=i), i < count) for i in range(7)]
    return days


def test_effect_curve_weeks_onset_best() -> None:
    weekly = [4, 3, 2, 1, 1, 0, 1, 2, 3, 4, 4, 4]
    curve = cycle_effect_curve(cycle_days(weekly), SESSION, SESSION + timedelta(days=84))
    assert [p.week for p in curve.weeks] == list(range(1, 13))
    assert [p.headache_days for p in curve.weeks] == [float(x) for x in weekly]
    assert curve.baseline_rate == 4.0
    # week 2: 3 vs 4 is 1 fewer but only 25 % -> not clear; week 3: 2 (50 %) -> onset
    assert curve.onset_week == 3
    assert curve.best_week == 6
    assert curve.complete


def test_effect_curve_week_boundaries() -> None:
    days = [rec(SESSION, True), rec(SESSION + timedelta(days=6), True)]
    days += [rec(SESSION + timedelta(days=i), False) for i in (1, 2)]
    days += [rec(SESSION + timedelta(days=7), True)]
    curve = cycle_effect_curve(days, SESSION)
    assert curve.weeks[0].days_recorded == 4 and curve.weeks[0].raw_headache_days == 2
    assert curve.weeks[0].headache_days == 3.5  # 2 of 4 days, scaled to 7
    assert curve.weeks[1].days_recorded == 1 and curve.weeks[1].headache_days is None


@pytest.mark.parametrize(
    ("recorded", "expected"),
    [pytest.param(3, None, id="3-days-too-few"), pytest.param(4, 0.0, id="4-days-enough")],
)
def test_effect_curve_min_days_per_week(recorded: int, expected: float | None) -> None:
    days = [rec(SESSION + timedelta(days=i)) for i in range(recorded)]
    assert cycle_effect_curve(days, SESSION).weeks[0].headache_days == expected


def test_effect_curve_stops_at_next_session() -> None:
    days = cycle_days([1] * 12)
    curve = cycle_effect_curve(days, SESSION, SESSION + timedelta(days=70))
    assert curve.weeks[9].headache_days == 1.0
    assert curve.weeks[10].headache_days is None and curve.weeks[10].days_recorded == 0


def test_effect_curve_without_baseline_has_no_onset() -> None:
    curve = cycle_effect_curve(cycle_days([0] * 12, baseline_per_week=None), SESSION)
    assert curve.baseline_rate is None and curve.onset_week is None
    assert curve.best_week == 1
    assert not curve.complete


@pytest.mark.parametrize(
    ("as_of", "complete"),
    [
        pytest.param(SESSION + timedelta(days=83), False, id="week-12-running"),
        pytest.param(SESSION + timedelta(days=84), True, id="week-12-ended"),
    ],
)
def test_effect_curve_complete_by_date(as_of: date, complete: bool) -> None:
    assert cycle_effect_curve([], SESSION, as_of=as_of).complete is complete


def test_effect_curve_explicit_baseline_rate() -> None:
    curve = cycle_effect_curve(cycle_days([3] * 12, None), SESSION, baseline_rate=5.0)
    assert curve.onset_week == 1


# --- wearing-off --------------------------------------------------------------------------


def curve_from(weekly: list[float | None], session: date, complete: bool = True) -> EffectCurve:
    return EffectCurve(
        weeks=[
            WeekPoint(week=i + 1, headache_days=v, days_recorded=7 if v is not None else 0)
            for i, v in enumerate(weekly)
        ],
        onset_week=None,
        best_week=None,
        session_date=session,
        complete=complete,
    )


MIDDLE_2 = [3, 3, 2, 2, 2, 2, 2, 2]  # weeks 1-8; weeks 3-8 mean 2.0
WORSE = MIDDLE_2 + [3, 3, 3, 3]  # late mean 3.0: +1 day and +50 %
SLIGHTLY = MIDDLE_2 + [2.5, 3, 3, 2.5]  # late mean 2.75: +0.75 day
FLAT = MIDDLE_2 + [2, 2, 2, 2]
S1, S2, S3 = date(2025, 1, 1), date(2025, 3, 26), date(2025, 6, 18)


@pytest.mark.parametrize(
    ("curves", "detected", "considered"),
    [
        pytest.param([curve_from(WORSE, S1), curve_from(WORSE, S2)], True, 2, id="both-worse"),
        pytest.param([curve_from(WORSE, S1), curve_from(FLAT, S2)], False, 2, id="one-flat"),
        pytest.param(
            [curve_from(SLIGHTLY, S1), curve_from(SLIGHTLY, S2)],
            False,
            2,
            id="below-1-day-threshold",
        ),
        pytest.param([curve_from(WORSE, S1)], False, 1, id="only-one-cycle"),
        pytest.param(
            [curve_from(FLAT, S1), curve_from(WORSE, S2), curve_from(WORSE, S3)],
            True,
            2,
            id="old-flat-cycle-ignored",
        ),
        pytest.param(
            [curve_from(WORSE, S3), curve_from(WORSE, S2), curve_from(FLAT, S1)],
            True,
            2,
            id="ordered-by-session-date",
        ),
        pytest.param(
            [curve_from(WORSE, S1), curve_from(WORSE, S2), curve_from(FLAT, S3, complete=False)],
            True,
            2,
            id="running-cycle-ignored",
        ),
        pytest.param(
            [curve_from(WORSE, S1), curve_from(MIDDLE_2 + [3, None, None, None], S2)],
            False,
            2,
            id="sparse-late-weeks",
        ),
        pytest.param(
            [curve_from([0] * 8 + [1] * 4, S1), curve_from([0] * 8 + [1] * 4, S2)],
            True,
            2,
            id="zero-middle-no-division",
        ),
        pytest.param(
            [curve_from([4] * 8 + [5] * 4, S1), curve_from([4] * 8 + [5] * 4, S2)],
            False,
            2,
            id="1-day-but-only-25pct",
        ),
    ],
)
def test_wearing_off(curves: list[EffectCurve], detected: bool, considered: int) -> None:
    result = wearing_off(curves)
    assert result.detected is detected
    assert result.cycles_considered == considered
    assert result.evidence


def test_wearing_off_means_and_parameters() -> None:
    curves = [curve_from(SLIGHTLY, S1), curve_from(SLIGHTLY, S2)]
    result = wearing_off(curves)
    assert (result.middle_mean, result.late_mean) == (2.0, 2.75)
    relaxed = wearing_off(curves, min_increase_days=0.5, min_increase_percent=30)
    assert relaxed.detected
    assert wearing_off([curve_from(WORSE, S2)], recent_cycles=1).detected


def test_wearing_off_from_diary() -> None:
    weekly = [4, 3, 2, 2, 2, 2, 2, 2, 4, 4, 4, 4]
    curves = [
        cycle_effect_curve(cycle_days(weekly, session=s), s, s + timedelta(days=84))
        for s in (S1, S1 + timedelta(days=84))
    ]
    assert wearing_off(curves).detected


# --- from counts (SQL aggregates) --------------------------------------------------------

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


def recorded(diary: dict[int, DiaryDayFacts]) -> list[RecordedDay]:
    return [recorded_day(START + timedelta(days=k), facts) for k, facts in diary.items()]


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
    expected = cycle_effect_curve(days, session, following, as_of)
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


# --- what to suggest ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("detected", "days", "expected"),
    [(False, 70, None), (True, 70, "after 70 days (10 weeks)"), (True, None, "does not allow")],
)
def test_shorter_interval_suggestion(detected, days, expected):
    text = shorter_interval_suggestion(detected, days)
    assert text is None if expected is None else expected in text
