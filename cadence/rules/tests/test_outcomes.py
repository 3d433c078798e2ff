"""Response measurement, overuse, effect curve, wearing-off (sections 1, 3, 4). No Django."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadence.rules.diary import AcuteDrugClass, DayClassification, DiaryDayFacts, PeakSeverity
from cadence.rules.outcomes import (
    ALT_RESPONDER_DAYS,
    MIN_RECORDED_DAYS,
    PARTIAL_PERCENT,
    PERIOD_DAYS,
    PREEMPT,
    RESPONDER_PERCENT,
    EffectCurve,
    PeriodMetrics,
    RecordedDay,
    ResponderRule,
    ResponseStatus,
    WeekPoint,
    baseline_window,
    cycle_effect_curve,
    follow_up_windows,
    medication_overuse,
    outcome_summary,
    period_metrics,
    recorded_day,
    response,
    wearing_off,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing() -> None:
    """Shadow the root conftest's Django-only autouse fixture (tests run with -p no:django)."""


D0 = date(2025, 1, 1)
HEADACHE = DayClassification(
    is_headache_day=True,
    is_migraine_day=True,
    is_moderate_severe_day=True,
    is_acute_medication_day=True,
    is_triptan_day=True,
)
FREE = DayClassification()
C = AcuteDrugClass


def rec(
    on: date,
    headache: bool = False,
    hours: float | None = None,
    classes: frozenset[AcuteDrugClass] | set[AcuteDrugClass] = frozenset(),
) -> RecordedDay:
    return RecordedDay(
        on=on,
        classification=HEADACHE if headache else FREE,
        headache_hours=(6.0 if headache else 0.0) if hours is None else hours,
        acute_drug_classes=frozenset(classes),
    )


def span(start: date, n: int, headache_days: int = 0) -> list[RecordedDay]:
    """``n`` consecutive recorded days from ``start``; the first ``headache_days`` ache."""
    return [rec(start + timedelta(days=i), i < headache_days) for i in range(n)]


def metrics(headache_days: float | None, start: date = D0, complete: bool = True) -> PeriodMetrics:
    return PeriodMetrics(
        start=start,
        end=start + timedelta(days=27),
        days_recorded=28 if headache_days is not None else 10,
        headache_days=headache_days,
        migraine_days=headache_days,
        moderate_severe_days=headache_days,
        acute_medication_days=headache_days,
        triptan_days=headache_days,
        headache_hours=None if headache_days is None else headache_days * 6,
        coverage=1.0 if headache_days is not None else 0.357,
        complete=complete,
    )


def test_constants_quote_the_reference() -> None:
    assert (PERIOD_DAYS, MIN_RECORDED_DAYS) == (28, 20)
    assert (RESPONDER_PERCENT, PARTIAL_PERCENT, ALT_RESPONDER_DAYS) == (50, 30, 7)
    assert PREEMPT.headache_day_change_active == -8.4
    assert PREEMPT.headache_day_change_placebo == -6.6
    assert (PREEMPT.responder_rate_active_percent, PREEMPT.responder_rate_placebo_percent) == (
        47.0,
        35.0,
    )
    assert PREEMPT.baseline_headache_days == 20.0


# --- period metrics ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n_recorded", "n_headache", "expected_days", "expected_hours", "scaled"),
    [
        pytest.param(28, 14, 14.0, 84.0, False, id="full-coverage-no-scaling"),
        pytest.param(20, 10, 14.0, 84.0, True, id="20-days-scaled"),
        pytest.param(21, 7, 9.3, 56.0, True, id="21-days-rounded-1-decimal"),
        pytest.param(20, 20, 28.0, 168.0, True, id="all-headache-scaled-caps-at-28"),
        pytest.param(19, 19, None, None, False, id="19-days-insufficient"),
        pytest.param(0, 0, None, None, False, id="empty"),
    ],
)
def test_period_metrics_scaling(
    n_recorded: int,
    n_headache: int,
    expected_days: float | None,
    expected_hours: float | None,
    scaled: bool,
) -> None:
    m = period_metrics(span(D0, n_recorded, n_headache), D0, D0 + timedelta(days=27))
    assert m.days_recorded == n_recorded
    assert m.headache_days == expected_days
    assert m.migraine_days == expected_days
    assert m.triptan_days == expected_days
    assert m.headache_hours == expected_hours
    assert m.scaled is scaled
    assert m.coverage == round(n_recorded / 28, 3)
    assert m.raw.headache_days == n_headache


def test_period_end_is_inclusive_and_outside_days_ignored() -> None:
    days = span(D0 - timedelta(days=5), 40, headache_days=40)
    m = period_metrics(days, D0, D0 + timedelta(days=27))
    assert m.days_recorded == 28
    assert m.headache_days == 28.0
    single = period_metrics(days, D0, D0)
    assert single.days_recorded == 1 and single.headache_days is None


def test_duplicate_dates_count_once() -> None:
    days = span(D0, 28) + [rec(D0, headache=True)]
    m = period_metrics(days, D0, D0 + timedelta(days=27))
    assert (m.days_recorded, m.headache_days) == (28, 1.0)


def test_period_accepts_mapping() -> None:
    days = {d.on: d for d in span(D0, 28, 3)}
    assert period_metrics(days, D0, D0 + timedelta(days=27)).headache_days == 3.0


@pytest.mark.parametrize(
    ("as_of", "complete"),
    [
        pytest.param(None, True, id="historical"),
        pytest.param(D0 + timedelta(days=27), False, id="on-last-day-not-ended"),
        pytest.param(D0 + timedelta(days=28), True, id="day-after-end"),
        pytest.param(D0 + timedelta(days=3), False, id="running"),
    ],
)
def test_period_complete(as_of: date | None, complete: bool) -> None:
    assert period_metrics([], D0, D0 + timedelta(days=27), as_of=as_of).complete is complete


def test_period_rejects_reversed_range() -> None:
    with pytest.raises(ValueError):
        period_metrics([], D0, D0 - timedelta(days=1))


def test_recorded_day_from_facts() -> None:
    from cadence.rules.diary import AcuteMedicationTaken

    facts = DiaryDayFacts(
        headache_hours=5,
        peak_severity=PeakSeverity.severe,
        nausea=True,
        acute_medications=(AcuteMedicationTaken("sumatriptan", C.triptan, True),),
    )
    r = recorded_day(D0, facts)
    assert r.classification.is_migraine_day and r.classification.is_triptan_day
    assert r.acute_drug_classes == frozenset({C.triptan})
    assert r.headache_hours == 5.0


# --- windows ------------------------------------------------------------------------------


def test_baseline_window() -> None:
    assert baseline_window(date(2025, 3, 1)) == (date(2025, 2, 1), date(2025, 2, 28))


@pytest.mark.parametrize(
    ("until", "count"),
    [
        pytest.param(D0 - timedelta(days=1), 0, id="before-first"),
        pytest.param(D0, 1, id="on-first-day"),
        pytest.param(D0 + timedelta(days=27), 1, id="end-of-first"),
        pytest.param(D0 + timedelta(days=28), 2, id="start-of-second"),
        pytest.param(D0 + timedelta(days=168), 7, id="24-weeks"),
    ],
)
def test_follow_up_windows(until: date, count: int) -> None:
    windows = follow_up_windows(D0, until)
    assert len(windows) == count
    for i, (start, end) in enumerate(windows):
        assert start == D0 + timedelta(days=28 * i)
        assert (end - start).days == 27


# --- response -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "follow_up", "rule", "status", "change", "percent"),
    [
        pytest.param(20, 10, "percent_50", "responder", -10.0, -50.0, id="exactly-50pct"),
        pytest.param(20, 10.1, "percent_50", "partial", -9.9, -49.5, id="just-under-50pct"),
        pytest.param(20, 14, "percent_50", "partial", -6.0, -30.0, id="exactly-30pct-partial"),
        pytest.param(20, 14.1, "percent_50", "non_responder", -5.9, -29.5, id="just-under-30"),
        pytest.param(20, 25, "percent_50", "non_responder", 5.0, 25.0, id="worse"),
        pytest.param(18.7, 9.3, "percent_50", "responder", -9.4, -50.3, id="scaled-values"),
        pytest.param(20, 13, "fewer_7_days", "responder", -7.0, -35.0, id="7-fewer"),
        pytest.param(20, 13.1, "fewer_7_days", "partial", -6.9, -34.5, id="6.9-fewer-partial"),
        pytest.param(10, 4, "fewer_7_days", "partial", -6.0, -60.0, id="60pct-but-6-days"),
        pytest.param(25, 19, "fewer_7_days", "non_responder", -6.0, -24.0, id="6-of-25"),
        pytest.param(1, 0, "percent_50", "responder", -1.0, -100.0, id="1-to-0"),
    ],
)
def test_response(
    baseline: float,
    follow_up: float,
    rule: str,
    status: str,
    change: float,
    percent: float,
) -> None:
    result = response(metrics(baseline), [metrics(follow_up, D0 + timedelta(days=28))], rule)
    assert result.status == ResponseStatus(status)
    assert result.headache_day_change == change
    assert result.percent_change == percent
    assert result.reason


@pytest.mark.parametrize(
    ("baseline", "periods", "reason_fragment"),
    [
        pytest.param(None, [metrics(5)], "no baseline", id="no-baseline"),
        pytest.param(
            metrics(None), [metrics(5)], "baseline diary covers only", id="baseline-sparse"
        ),
        pytest.param(metrics(0), [metrics(0)], "no headache days", id="baseline-zero"),
        pytest.param(metrics(20), [], "no follow-up period has ended", id="no-periods"),
        pytest.param(
            metrics(20), [metrics(5, complete=False)], "has ended", id="only-running-period"
        ),
        pytest.param(
            metrics(20), [metrics(None)], f"at least {MIN_RECORDED_DAYS}", id="period-sparse"
        ),
    ],
)
def test_response_insufficient(
    baseline: PeriodMetrics | None, periods: list[PeriodMetrics], reason_fragment: str
) -> None:
    result = response(baseline, periods)
    assert result.status == ResponseStatus.insufficient_data
    assert result.headache_day_change is None and result.percent_change is None
    assert reason_fragment in result.reason


def test_response_uses_latest_ended_sufficient_period() -> None:
    p1 = metrics(8, D0 + timedelta(days=28))
    p2 = metrics(15, D0 + timedelta(days=56))
    p3 = metrics(None, D0 + timedelta(days=84))
    p4 = metrics(2, D0 + timedelta(days=112), complete=False)
    result = response(metrics(20), [p2, p1, p3, p4])
    assert result.compared_period == p2
    assert result.status == ResponseStatus.non_responder


def test_outcome_summary_end_to_end() -> None:
    first = date(2025, 3, 1)
    b_start, _ = baseline_window(first)
    days = span(b_start, 28, headache_days=20)
    days += span(first, 28, headache_days=12) + span(first + timedelta(days=28), 22, 5)
    summary = outcome_summary(
        days, [first + timedelta(days=84), first], as_of=first + timedelta(60)
    )
    assert summary.baseline is not None and summary.baseline.headache_days == 20.0
    assert [p.complete for p in summary.periods] == [True, True, False]
    assert summary.periods[1].headache_days == round(5 * 28 / 22, 1)
    assert summary.response.status == ResponseStatus.responder
    assert summary.response.compared_period == summary.periods[1]


def test_outcome_summary_without_procedures() -> None:
    summary = outcome_summary(span(D0, 30, 10), [], as_of=D0 + timedelta(days=40))
    assert summary.baseline is None and summary.periods == ()
    assert summary.response.status == ResponseStatus.insufficient_data


# --- medication overuse ------------------------------------------------------------------

AS_OF = date(2025, 6, 30)


def overuse_days(per_period: list[tuple[int, frozenset[AcuteDrugClass]]]) -> list[RecordedDay]:
    """For each of the 3 periods ending AS_OF (oldest first): n days with these classes."""
    days = []
    for index, (n, classes) in enumerate(per_period):
        end = AS_OF - timedelta(days=28 * (2 - index))
        start = end - timedelta(days=27)
        days += [
            rec(start + timedelta(days=i), True, classes=classes if i < n else frozenset())
            for i in range(28)
        ]
    return days


TRIP = frozenset({C.triptan})
SIMPLE = frozenset({C.simple_analgesic})
MIX = frozenset({C.simple_analgesic, C.gepant})


@pytest.mark.parametrize(
    ("pattern", "flagged"),
    [
        pytest.param([(10, TRIP)] * 3, True, id="triptan-10-days-x3"),
        pytest.param([(9, TRIP)] * 3, False, id="triptan-9-days"),
        pytest.param([(10, TRIP), (10, TRIP), (9, TRIP)], False, id="last-period-short"),
        pytest.param([(9, TRIP), (10, TRIP), (10, TRIP)], False, id="only-2-periods"),
        pytest.param([(10, frozenset({C.ergot}))] * 3, True, id="ergot"),
        pytest.param([(10, frozenset({C.opioid}))] * 3, True, id="opioid"),
        pytest.param([(10, frozenset({C.combination_analgesic}))] * 3, True, id="combination"),
        pytest.param([(10, frozenset({C.gepant}))] * 3, False, id="gepant-alone-not-counted"),
        pytest.param([(15, SIMPLE)] * 3, True, id="simple-15-days"),
        pytest.param([(14, SIMPLE)] * 3, False, id="simple-14-days"),
        pytest.param([(10, MIX)] * 3, True, id="mix-of-classes-10-days"),
        pytest.param([(9, MIX)] * 3, False, id="mix-9-days"),
        pytest.param(
            [(14, frozenset({C.simple_analgesic, C.antiemetic}))] * 3,
            False,
            id="antiemetic-does-not-make-a-mix",
        ),
        pytest.param([(28, frozenset({C.other}))] * 3, False, id="other-only"),
    ],
)
def test_medication_overuse(
    pattern: list[tuple[int, frozenset[AcuteDrugClass]]], flagged: bool
) -> None:
    result = medication_overuse(overuse_days(pattern), AS_OF)
    assert result.flagged is flagged
    assert len(result.periods) == 3
    assert result.periods[-1].end == AS_OF
    assert result.detail


def test_overuse_mixed_single_and_mix_days_add_up() -> None:
    """5 triptan days + 5 mix days (different days) reach the 10-day threshold."""
    days = []
    for k in range(3):
        end = AS_OF - timedelta(days=28 * k)
        start = end - timedelta(days=27)
        days += [rec(start + timedelta(days=i), True, classes=TRIP) for i in range(5)]
        days += [rec(start + timedelta(days=5 + i), True, classes=MIX) for i in range(5)]
    result = medication_overuse(days, AS_OF)
    assert result.flagged
    assert all(p.specific_or_mix_days == 10 and p.mix_days == 5 for p in result.periods)


def test_overuse_counts_medicine_on_headache_free_days() -> None:
    days = [rec(AS_OF - timedelta(days=i), False, classes=TRIP) for i in range(84)]
    assert medication_overuse(days, AS_OF).flagged


def test_overuse_ignores_days_after_as_of() -> None:
    days = [rec(AS_OF + timedelta(days=i), True, classes=TRIP) for i in range(1, 90)]
    assert not medication_overuse(days, AS_OF).flagged


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


# --- properties ---------------------------------------------------------------------------

classifications = st.builds(
    DayClassification,
    is_headache_day=st.booleans(),
    is_migraine_day=st.booleans(),
    is_probable_migraine_day=st.booleans(),
    is_moderate_severe_day=st.booleans(),
    is_acute_medication_day=st.booleans(),
    is_triptan_day=st.booleans(),
    is_treated_day=st.booleans(),
)
diaries = st.dictionaries(
    st.integers(-10, 40).map(lambda k: D0 + timedelta(days=k)),
    st.tuples(classifications, st.floats(0, 24)),
    max_size=50,
).map(lambda d: [RecordedDay(on, c, h) for on, (c, h) in d.items()])
COUNT_FIELDS = (
    "headache_days",
    "migraine_days",
    "moderate_severe_days",
    "acute_medication_days",
    "triptan_days",
)


@given(diaries, st.integers(0, 30), st.integers(0, 30))
def test_counts_never_exceed_days(days: list[RecordedDay], a: int, length: int) -> None:
    start = D0 + timedelta(days=a - 5)
    end = start + timedelta(days=length)
    m = period_metrics(days, start, end)
    assert m.days_recorded <= length + 1
    for name in COUNT_FIELDS:
        raw = getattr(m.raw, name)
        assert raw <= m.days_recorded
        value = getattr(m, name)
        if value is not None:
            assert 0 <= value <= PERIOD_DAYS
    if m.headache_hours is not None:
        assert m.headache_hours <= PERIOD_DAYS * 24


@given(diaries, st.integers(-10, 40))
def test_adding_headache_free_day_never_raises_a_count(days: list[RecordedDay], k: int) -> None:
    on = D0 + timedelta(days=k)
    if any(d.on == on for d in days):
        return
    end = D0 + timedelta(days=27)
    before = period_metrics(days, D0, end)
    after = period_metrics([*days, rec(on)], D0, end)
    for name in COUNT_FIELDS:
        assert getattr(after.raw, name) == getattr(before.raw, name)
        b, a = getattr(before, name), getattr(after, name)
        if b is not None:
            assert a is not None and a <= b


@given(
    st.integers(0, 280).map(lambda x: x / 10),
    st.integers(0, 280).map(lambda x: x / 10),
    st.sampled_from(list(ResponderRule)),
)
def test_responder_has_enough_fewer_days(base: float, follow: float, rule: ResponderRule) -> None:
    result = response(metrics(base), [metrics(follow, D0 + timedelta(days=28))], rule)
    if base == 0:
        assert result.status == ResponseStatus.insufficient_data
        return
    if result.status == ResponseStatus.responder:
        if rule is ResponderRule.percent_50:
            assert follow * 2 <= base + 1e-9
        else:
            assert base - follow >= 7 - 1e-9
    if result.status in (ResponseStatus.responder, ResponseStatus.partial):
        assert follow < base
    if follow >= base:
        assert result.status == ResponseStatus.non_responder
