"""Periods and response (sections 1, 4): period metrics, windows, responder status. No
Django."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadence.rules.diary import (
    AcuteDrugClass,
    AcuteMedicationTaken,
    DayClassification,
    DiaryDayFacts,
    PeakSeverity,
)
from cadence.rules.outcomes import (
    ALT_RESPONDER_DAYS,
    MIN_RECORDED_DAYS,
    PARTIAL_PERCENT,
    PERIOD_DAYS,
    PREEMPT,
    RESPONDER_PERCENT,
    WEEK_24_PERIOD_INDEX,
    PeriodCounts,
    PeriodMetrics,
    RecordedDay,
    ResponderRule,
    ResponseStatus,
    baseline_window,
    exact_count,
    exact_per_period,
    follow_up_windows,
    outcome_summary,
    period_from_counts,
    period_metrics,
    recorded_day,
    response,
    response_status,
    week_24_response,
)
from cadence.rules.payer import ResponderRule as PayerResponderRule
from cadence.rules.tests.recorded import D0, rec, span

C = AcuteDrugClass


@pytest.fixture(autouse=True)
def _fast_password_hashing() -> None:
    """Shadow the root conftest's Django-only autouse fixture (tests run with -p no:django)."""


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


def test_the_responder_rule_is_the_payer_profiles() -> None:
    assert ResponderRule is PayerResponderRule


def test_week_24_is_the_sixth_period() -> None:
    assert WEEK_24_PERIOD_INDEX == 5
    assert (WEEK_24_PERIOD_INDEX + 1) * PERIOD_DAYS == 24 * 7


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
@given(diary=diary_strategy, offset=st.integers(0, 90), as_of_offset=st.integers(0, 130))
def test_period_from_counts_equals_period_metrics(diary, offset, as_of_offset) -> None:
    days = recorded(diary)
    start = START + timedelta(days=offset)
    end = start + timedelta(days=27)
    as_of = START + timedelta(days=as_of_offset)
    expected = period_metrics(days, start, end, as_of=as_of)
    in_range = [d for d in days if start <= d.on <= end]
    counts = PeriodCounts(
        headache_days=sum(d.classification.is_headache_day for d in in_range),
        migraine_days=sum(d.classification.is_migraine_day for d in in_range),
        moderate_severe_days=sum(d.classification.is_moderate_severe_day for d in in_range),
        acute_medication_days=sum(d.classification.is_acute_medication_day for d in in_range),
        triptan_days=sum(d.classification.is_triptan_day for d in in_range),
        headache_hours=sum(d.headache_hours for d in in_range),
    )
    assert period_from_counts(start, end, len(in_range), counts, as_of=as_of) == expected


def test_short_period_counts_are_null_and_never_divide_by_zero() -> None:
    metrics = period_from_counts(START, START + timedelta(days=27), 0, PeriodCounts())
    assert metrics.headache_days is None and metrics.coverage == 0


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


# --- exact response (clinic-reference.md section 7) ----------------------------------------


def counted(start: date, headache: int, recorded: int, **raw: int) -> PeriodMetrics:
    """A period of ``recorded`` diary days with ``headache`` headache days (raw counts)."""
    counts = PeriodCounts(
        headache_days=headache,
        migraine_days=raw.get("migraine", headache),
        moderate_severe_days=raw.get("moderate", headache),
        acute_medication_days=raw.get("acute", headache),
        triptan_days=raw.get("triptan", 0),
    )
    return period_from_counts(start, start + timedelta(days=27), recorded, counts)


FOLLOW = D0 + timedelta(days=28)


@pytest.mark.parametrize(
    ("base", "base_n", "follow", "follow_n", "rule", "status"),
    [
        pytest.param(10, 21, 5, 21, "percent_50", "responder", id="10/21-vs-5/21-exactly-50pct"),
        pytest.param(19, 20, 10, 21, "percent_50", "partial", id="19/20-vs-10/21-49.9pct"),
        pytest.param(20, 28, 10, 28, "percent_50", "responder", id="exactly-50pct-28-days"),
        pytest.param(20, 20, 10, 20, "percent_50", "responder", id="exactly-50pct-20-days"),
        pytest.param(10, 20, 7, 20, "percent_50", "partial", id="exactly-30pct-20-days"),
        pytest.param(10, 21, 7, 21, "percent_50", "partial", id="exactly-30pct-21-days"),
        pytest.param(
            15, 23, 11, 24, "percent_50", "non_responder", id="29.7pct-rounded-would-be-30"
        ),
        pytest.param(20, 28, 13, 28, "fewer_7_days", "responder", id="exactly-7-fewer"),
        pytest.param(17, 21, 14, 25, "fewer_7_days", "partial", id="6.99-fewer-rounds-to-7"),
        pytest.param(10, 19, 0, 28, "percent_50", "insufficient_data", id="baseline-19-days"),
        pytest.param(10, 20, 0, 19, "percent_50", "insufficient_data", id="follow-up-19-days"),
    ],
)
def test_response_is_decided_on_exact_values(base, base_n, follow, follow_n, rule, status):
    result = response(counted(D0, base, base_n), [counted(FOLLOW, follow, follow_n)], rule)
    assert result.status == ResponseStatus(status)


def test_the_49_9_percent_case_still_displays_rounded_numbers():
    result = response(counted(D0, 19, 20), [counted(FOLLOW, 10, 21)])
    assert result.status == ResponseStatus.partial
    # 26.6 -> 13.3 per 28 days: -13.3 days and -49.9% are display values only
    assert (result.headache_day_change, result.percent_change) == (-13.3, -49.9)


def test_exact_per_period_matches_the_period_scaling():
    assert exact_per_period(10, 21) == Fraction(40, 3)
    assert exact_per_period(10, 19) is None
    assert exact_per_period(28, 28) == 28
    period = counted(D0, 10, 21)
    assert exact_count(period) == Fraction(40, 3) and period.headache_days == 13.3


@given(
    st.integers(MIN_RECORDED_DAYS, PERIOD_DAYS),
    st.integers(MIN_RECORDED_DAYS, PERIOD_DAYS),
    st.data(),
    st.sampled_from(list(ResponderRule)),
)
def test_exact_response_is_monotonic(base_n, follow_n, data, rule):
    """Fewer follow-up headache days never make the status worse (exact counts)."""
    base = data.draw(st.integers(1, base_n))
    more = data.draw(st.integers(0, follow_n))
    fewer = data.draw(st.integers(0, more))
    order = [ResponseStatus.non_responder, ResponseStatus.partial, ResponseStatus.responder]
    worse = response(counted(D0, base, base_n), [counted(FOLLOW, more, follow_n)], rule)
    better = response(counted(D0, base, base_n), [counted(FOLLOW, fewer, follow_n)], rule)
    assert order.index(better.status) >= order.index(worse.status)
    # and more baseline days never make it worse either
    if base < base_n:
        higher = response(counted(D0, base + 1, base_n), [counted(FOLLOW, more, follow_n)], rule)
        assert order.index(higher.status) >= order.index(worse.status)


@given(
    st.integers(MIN_RECORDED_DAYS, PERIOD_DAYS),
    st.integers(MIN_RECORDED_DAYS, PERIOD_DAYS),
    st.data(),
    st.sampled_from(list(ResponderRule)),
)
def test_rounding_happens_only_in_display(base_n, follow_n, data, rule):
    """The status is the exact fractions' status; the shown numbers are those rounded."""
    base = data.draw(st.integers(1, base_n))
    follow = data.draw(st.integers(0, follow_n))
    result = response(counted(D0, base, base_n), [counted(FOLLOW, follow, follow_n)], rule)
    exact_base = Fraction(base * PERIOD_DAYS, base_n)
    exact_follow = Fraction(follow * PERIOD_DAYS, follow_n)
    assert result.status == response_status(exact_base, exact_follow, rule)
    reduction = (exact_base - exact_follow) / exact_base * 100
    if rule is ResponderRule.percent_50:
        assert (result.status == ResponseStatus.responder) is (reduction >= 50)
    else:
        assert (result.status == ResponseStatus.responder) is (exact_base - exact_follow >= 7)
    assert result.headache_day_change == round(float(exact_follow - exact_base), 1)
    assert result.percent_change == round(float(-reduction), 1)


# --- more than headache days (item 11) ------------------------------------------------------


def test_response_measures_migraine_moderate_severe_and_acute_medication_days():
    baseline = counted(D0, 20, 28, migraine=16, moderate=12, acute=14)
    follow = counted(FOLLOW, 10, 28, migraine=6, moderate=3, acute=0)
    result = response(baseline, [follow])
    by_name = {m.name: m for m in result.measures}
    assert list(by_name) == [
        "headache_days",
        "migraine_days",
        "moderate_severe_days",
        "acute_medication_days",
    ]
    assert (by_name["migraine_days"].change, by_name["migraine_days"].percent_change) == (
        -10.0,
        -62.5,
    )
    assert by_name["moderate_severe_days"].percent_change == -75.0
    assert by_name["acute_medication_days"].change == -14.0
    assert by_name["headache_days"].change == result.headache_day_change


def test_a_measure_with_a_zero_baseline_has_no_percent():
    result = response(counted(D0, 20, 28, acute=0), [counted(FOLLOW, 10, 28, acute=3)])
    acute = result.measure("acute_medication_days")
    assert acute is not None and acute.change == 3.0 and acute.percent_change is None


def test_migraine_days_may_exceed_headache_days_in_a_period():
    period = counted(D0, 15, 28, migraine=23)
    assert (period.headache_days, period.migraine_days) == (15.0, 23.0)


# --- the 24-week review (item 5) ------------------------------------------------------------


def test_week_24_review_uses_weeks_21_to_24_not_the_latest_period():
    first = date(2025, 3, 3)
    baseline = counted(first - timedelta(days=28), 20, 28)
    periods = [counted(first + timedelta(days=28 * i), 12, 28) for i in range(7)]
    periods[WEEK_24_PERIOD_INDEX] = counted(
        first + timedelta(days=28 * WEEK_24_PERIOD_INDEX), 8, 28
    )
    periods[6] = counted(first + timedelta(days=168), 19, 28)  # wearing-off after week 24
    review = week_24_response(baseline, periods)
    assert review.status == ResponseStatus.responder
    assert review.compared_period == periods[WEEK_24_PERIOD_INDEX]
    assert review.compared_period.start == first + timedelta(weeks=20)
    assert review.compared_period.end == first + timedelta(weeks=24, days=-1)
    assert response(baseline, periods).status == ResponseStatus.non_responder  # the latest


def test_week_24_review_waits_for_its_period():
    first = date(2025, 3, 3)
    baseline = counted(first - timedelta(days=28), 20, 28)
    periods = [counted(first + timedelta(days=28 * i), 8, 28) for i in range(5)]
    assert "not ended" in week_24_response(baseline, periods).reason
    periods.append(counted(first + timedelta(days=140), 8, 19))
    sparse = week_24_response(baseline, periods)
    assert sparse.status == ResponseStatus.insufficient_data
    assert "19 recorded diary days" in sparse.reason
