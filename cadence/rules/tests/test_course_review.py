"""The course review and stopping rules (clinic-reference.md sections 4 and 7): table tests
at the boundaries. No Django."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadence.rules.course_review import (
    EPISODIC_BELOW_HEADACHE_DAYS,
    NEW_BASELINE_AFTER_LAPSE_DAYS,
    Recommendation,
    course_review,
    course_start,
    is_episodic,
)
from cadence.rules.outcomes import PeriodCounts, follow_up_windows, period_from_counts
from cadence.rules.payer import PayerProfile, ResponderRule, StoppingRules

FIRST = date(2025, 1, 6)
SECOND = FIRST + timedelta(days=84)
REVIEW_DAY = FIRST + timedelta(weeks=24)
US = PayerProfile(name="US")
US_7 = PayerProfile(name="US 7 days", responder_rule=ResponderRule.fewer_7_days)
NICE = PayerProfile(name="NICE", min_preventive_classes=3, stopping_rules=StoppingRules.nice_ta260)


@pytest.fixture(autouse=True)
def _fast_password_hashing() -> None:
    """Shadow the root conftest's Django-only autouse fixture (tests run with -p no:django)."""


def period(start: date, headache_days: int, recorded: int = 28, *, today: date = REVIEW_DAY):
    end = start + timedelta(days=27)
    return period_from_counts(
        start, end, recorded, PeriodCounts(headache_days=headache_days), as_of=today
    )


def baseline(headache_days: int = 20, recorded: int = 28):
    return period(FIRST - timedelta(days=28), headache_days, recorded)


def follow_up(values: list[int | tuple[int, int]], today: date = REVIEW_DAY):
    """Follow-up periods from FIRST; a value is headache days (28 recorded) or
    (headache days, days recorded)."""
    windows = follow_up_windows(FIRST, today)
    result = []
    for (start, _end), value in zip(windows, values, strict=False):
        days, recorded = value if isinstance(value, tuple) else (value, 28)
        result.append(period(start, days, recorded, today=today))
    return result


def review(profile, base, periods, *, sessions=(FIRST, SECOND), today=REVIEW_DAY, failed=3):
    return course_review(
        baseline=base,
        periods=periods,
        sessions=sessions,
        today=today,
        profile=profile,
        failed_preventives=failed,
    )


# The review period is the 6th follow-up period (weeks 21-24). Earlier periods 16+ days
# keep NICE's episodic rule quiet unless a row says otherwise.
CHRONIC = [18, 17, 16, 16, 16]


@pytest.mark.parametrize(
    ("profile", "base", "review_days", "expected"),
    [
        # US, 50%: exactly 50% fewer is a responder -> continue.
        (US, 20, 10, Recommendation.continue_treatment),
        (US, 20, 11, Recommendation.review),  # 45%: partial -> review
        (US, 20, 14, Recommendation.review),  # exactly 30%: partial -> review
        (US, 20, 15, Recommendation.stop),  # 25%: non-responder -> stop
        (US, 20, 22, Recommendation.stop),  # worse
        # US, 7 fewer days: exactly 7 fewer -> continue; 6 fewer with 30% -> review.
        (US_7, 20, 13, Recommendation.continue_treatment),
        (US_7, 20, 14, Recommendation.review),
        (US_7, 10, 6, Recommendation.review),  # 40% but only 4 fewer: partial
        (US_7, 20, 15, Recommendation.stop),
        # NICE: stop under 30% fewer; exactly 30% continues.
        (NICE, 20, 14, Recommendation.continue_treatment),
        (NICE, 20, 15, Recommendation.stop),  # 25%
        (NICE, 10, 8, Recommendation.stop),  # 20%
        (NICE, 10, 7, Recommendation.continue_treatment),  # exactly 30%
        (NICE, 27, 19, Recommendation.stop),  # 29.6%
        (NICE, 20, 10, Recommendation.continue_treatment),
    ],
)
def test_the_review_period_against_the_baseline(profile, base, review_days, expected):
    result = review(profile, baseline(base), follow_up([*CHRONIC, review_days]))
    assert result.recommendation is expected
    assert result.reached
    assert result.review_period is not None
    assert result.review_period.start == FIRST + timedelta(days=140)
    assert result.review_period.end == REVIEW_DAY - timedelta(days=1)
    assert any(e.code == "response" for e in result.evidence)


def test_exactly_fifty_percent_on_short_coverage_is_a_responder():
    """10 of 21 baseline days against 5 of 21: exactly 50% fewer (section 7)."""
    result = review(US, baseline(10, 21), follow_up([*CHRONIC, (5, 21)]))
    assert result.recommendation is Recommendation.continue_treatment


def test_the_review_uses_weeks_21_to_24_not_the_latest_period():
    """A wearing-off period after the review period does not change the review."""
    today = REVIEW_DAY + timedelta(days=30)
    periods = follow_up([*CHRONIC, 8, 19], today=today)
    result = review(US, baseline(20), periods, sessions=(FIRST, SECOND), today=today)
    assert result.recommendation is Recommendation.continue_treatment


def test_nothing_is_recommended_before_the_review():
    day_before = REVIEW_DAY - timedelta(days=1)
    result = review(US, baseline(20), follow_up(CHRONIC, today=day_before), today=day_before)
    assert result.recommendation is None
    assert not result.reached
    assert result.due_on == REVIEW_DAY
    assert "due on" in result.summary


def test_one_cycle_only_goes_to_review():
    result = review(US, baseline(20), follow_up([*CHRONIC, 5]), sessions=(FIRST,))
    assert result.recommendation is Recommendation.review
    assert result.evidence[0].code == "cycles"


@pytest.mark.parametrize("profile", [US, NICE])
def test_a_review_period_without_enough_diary_goes_to_review(profile):
    result = review(profile, baseline(20), follow_up([*CHRONIC, (2, 19)]))
    assert result.recommendation is Recommendation.review
    assert "cannot be judged" in result.evidence[0].finding


def test_no_baseline_goes_to_review():
    result = review(US, None, follow_up([*CHRONIC, 5]))
    assert result.recommendation is Recommendation.review


def test_no_sessions_no_review():
    result = review(US, None, [], sessions=())
    assert result.recommendation is None
    assert result.due_on is None


@pytest.mark.parametrize(
    ("failed", "expected"),
    [
        (3, Recommendation.continue_treatment),
        (2, Recommendation.review),
        (None, Recommendation.review),
    ],
)
def test_nice_funds_after_three_failed_preventives(failed, expected):
    result = review(NICE, baseline(20), follow_up([*CHRONIC, 10]), failed=failed)
    assert result.recommendation is expected


def test_us_rules_ignore_the_preventive_count():
    result = review(US, baseline(20), follow_up([*CHRONIC, 10]), failed=0)
    assert result.recommendation is Recommendation.continue_treatment


# --- NICE: episodic for three consecutive months ----------------------------------------
@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([18, 14, 14, 14], Recommendation.stop),  # three latest < 15 -> stop
        ([18, 14, 15, 14], None),  # exactly 15 is not episodic
        ([18, 18, 14, 14], None),  # only two
        ([18, 14, (9, 19), 14], None),  # a period without enough diary does not count
        ([14, 14, 14, 18], None),  # relapsed: the latest three are not all episodic
        # 10 headache days in 20 recorded days = exactly 14 per 28 days: episodic.
        ([18, (10, 20), (10, 20), (10, 20)], Recommendation.stop),
        # 11 in 20 recorded days = 15.4 per 28 days: not episodic.
        ([18, (10, 20), (11, 20), (10, 20)], None),
    ],
)
def test_nice_stops_when_episodic_for_three_periods(values, expected):
    today = FIRST + timedelta(days=28 * len(values))  # all periods ended, before the review
    result = review(NICE, baseline(20), follow_up(values, today=today), today=today)
    assert result.recommendation is expected
    if result.recommendation is Recommendation.stop:
        assert result.evidence[0].code == "episodic"
        assert not result.reached  # NICE's episodic rule fires before the review too


def test_exact_episodic_boundary_uses_unrounded_days():
    # 11 of 21 recorded days = 14.67 per 28 days: episodic; 15 of 28 is not.
    assert is_episodic(period(FIRST, 11, 21)) is True
    assert is_episodic(period(FIRST, 15, 28)) is False
    assert is_episodic(period(FIRST, 3, 19)) is None


def test_us_rules_have_no_episodic_stop():
    today = FIRST + timedelta(days=28 * 4)
    result = review(US, baseline(20), follow_up([14, 14, 14, 14], today=today), today=today)
    assert result.recommendation is None


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.integers(min_value=1, max_value=28),
    better=st.integers(min_value=0, max_value=28),
    worse_by=st.integers(min_value=0, max_value=28),
)
def test_fewer_headache_days_never_moves_towards_stopping(base, better, worse_by):
    """Monotonic: a review period with fewer headache days never gives a "stronger stop"."""
    order = {
        Recommendation.continue_treatment: 0,
        Recommendation.review: 1,
        Recommendation.stop: 2,
    }
    worse = min(better + worse_by, 28)
    for profile in (US, US_7, NICE):
        good = review(profile, baseline(base), follow_up([*CHRONIC, better]))
        bad = review(profile, baseline(base), follow_up([*CHRONIC, worse]))
        assert order[good.recommendation] <= order[bad.recommendation]


def test_episodic_threshold_is_named():
    assert EPISODIC_BELOW_HEADACHE_DAYS == 15


# --- A new course after a lapse gets a new baseline ---------------------------------------
@pytest.mark.parametrize(
    ("gaps", "expected_index"),
    [
        ([], 0),
        ([84, 84], 0),
        ([84, 180], 0),  # exactly 180 days: the same course
        ([84, 181], 2),  # more than 180: a new course from the third session
        ([181, 84, 200, 84], 3),  # the last lapse wins
    ],
)
def test_course_start_after_a_lapse(gaps, expected_index):
    sessions = [FIRST]
    for gap in gaps:
        sessions.append(sessions[-1] + timedelta(days=gap))
    assert course_start(list(reversed(sessions))) == sessions[expected_index]


def test_no_sessions_no_course_start():
    assert course_start([]) is None
    assert NEW_BASELINE_AFTER_LAPSE_DAYS == 180
    assert course_start([FIRST, FIRST + timedelta(days=100)], lapse_days=90) == FIRST + timedelta(
        days=100
    )
