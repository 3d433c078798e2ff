"""The 12-week rhythm: due dates, courses, reviews and booking checks."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadence.rules.payer import DEFAULT_PAYER_PROFILE, PayerProfile, ResponderRule
from cadence.rules.schedule import (
    BOOKING_REMINDER_DAYS_AFTER_SESSION,
    COURSE_REVIEW_WEEKS,
    COURSE_SESSIONS,
    DUE_WINDOW_END_DAYS,
    NEW_COURSE_GAP_DAYS,
    RETREATMENT_INTERVAL_DAYS,
    RETREATMENT_WEEKS,
    ScheduleStatus,
    TreatmentStage,
    booking_check,
    courses,
    due_after_days,
    treatment_schedule,
    treatment_stage,
)

SHORTENED = PayerProfile("Wearing-off payer", shortened_interval_days=70)
D0 = date(2027, 1, 4)


def days(n):
    return timedelta(days=n)


def test_reference_numbers():
    assert (RETREATMENT_WEEKS, RETREATMENT_INTERVAL_DAYS, DUE_WINDOW_END_DAYS) == (12, 84, 98)
    assert (COURSE_SESSIONS, COURSE_REVIEW_WEEKS) == (2, 24)
    assert NEW_COURSE_GAP_DAYS == 180  # Cadence default
    assert DEFAULT_PAYER_PROFILE.min_interval_days == RETREATMENT_INTERVAL_DAYS
    assert DEFAULT_PAYER_PROFILE.review_weeks == COURSE_REVIEW_WEEKS
    assert DEFAULT_PAYER_PROFILE.min_preventive_classes == 2
    assert DEFAULT_PAYER_PROFILE.responder_rule is ResponderRule.percent_50
    assert BOOKING_REMINDER_DAYS_AFTER_SESSION == 70


@pytest.mark.parametrize(
    "kwargs",
    [
        {"min_preventive_classes": 0},
        {"min_interval_days": 0},
        {"shortened_interval_days": 90},
        {"review_weeks": 0},
        {"responder_rule": "percent_30"},
    ],
    ids=["classes", "interval", "shortened-longer", "review", "rule"],
)
def test_payer_profile_refuses_nonsense(kwargs):
    with pytest.raises(ValueError):
        PayerProfile("bad", **kwargs)


def test_no_sessions_is_not_started():
    schedule = treatment_schedule([], today=D0, profile=DEFAULT_PAYER_PROFILE)
    assert schedule.status is ScheduleStatus.not_started
    assert schedule.last_session is schedule.next_due is schedule.review_due is None
    assert schedule.sessions_in_course == 0


def test_one_session():
    s = treatment_schedule([D0], today=D0 + days(10), profile=DEFAULT_PAYER_PROFILE)
    assert s.last_session == D0
    assert s.next_due == s.earliest == s.window_start == date(2027, 3, 29)
    assert s.window_end == date(2027, 4, 12)
    assert (s.sessions_in_course, s.course_first_session, s.course_number) == (1, D0, 1)
    assert s.review_due == date(2027, 6, 21)  # 24 weeks after 2027-01-04
    assert s.booking_reminder_on == D0 + days(70)
    assert s.status is ScheduleStatus.upcoming


@pytest.mark.parametrize(
    ("sessions", "sessions_in_course", "first", "course_number", "review_due"),
    [
        ([D0, D0 + days(84)], 2, D0, 1, D0 + timedelta(weeks=24)),
        ([D0 + days(84), D0], 2, D0, 1, D0 + timedelta(weeks=24)),  # order does not matter
        ([D0, D0, D0 + days(84)], 2, D0, 1, D0 + timedelta(weeks=24)),  # duplicates ignored
        ([D0, D0 + days(84), D0 + days(168)], 1, D0 + days(168), 2, D0 + days(168 + 168)),
        ([D0, D0 + days(84), D0 + days(168), D0 + days(252)], 2, D0 + days(168), 2, D0 + days(336)),
        ([D0, D0 + days(180)], 2, D0, 1, D0 + days(168)),  # 180 days: same course
        ([D0, D0 + days(181)], 1, D0 + days(181), 2, D0 + days(181 + 168)),  # lapsed: new course
    ],
    ids=["two", "unordered", "duplicate", "third-starts-course-2", "fourth", "gap-180", "gap-181"],
)
def test_courses_and_reviews(sessions, sessions_in_course, first, course_number, review_due):
    s = treatment_schedule(sessions, today=max(sessions), profile=DEFAULT_PAYER_PROFILE)
    assert s.sessions_in_course == sessions_in_course
    assert s.course_first_session == first
    assert s.course_number == course_number == len(courses(sessions))
    assert s.review_due == review_due


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (0, ScheduleStatus.upcoming),
        (83, ScheduleStatus.upcoming),
        (84, ScheduleStatus.due),
        (98, ScheduleStatus.due),
        (99, ScheduleStatus.overdue),
        (180, ScheduleStatus.overdue),
        (181, ScheduleStatus.lapsed),
    ],
    ids=lambda v: f"day-{v}" if isinstance(v, int) else None,
)
def test_status_by_day_since_last_session(day, status):
    assert (
        treatment_schedule([D0], today=D0 + days(day), profile=DEFAULT_PAYER_PROFILE).status
        is status
    )


def test_payer_profile_sets_earliest_and_review():
    profile = PayerProfile("Lenient", min_interval_days=70, review_weeks=26)
    s = treatment_schedule([D0], today=D0, profile=profile)
    assert s.earliest == D0 + days(70)
    assert s.next_due == D0 + days(84)  # clinical rhythm unchanged
    assert s.review_due == D0 + timedelta(weeks=26)


@pytest.mark.parametrize(
    ("last", "next_due", "window_end"),
    [
        (date(2027, 12, 5), date(2028, 2, 27), date(2028, 3, 12)),
        (date(2027, 12, 7), date(2028, 2, 29), date(2028, 3, 14)),  # lands on leap day
        (date(2028, 2, 29), date(2028, 5, 23), date(2028, 6, 6)),
        (date(2026, 12, 7), date(2027, 3, 1), date(2027, 3, 15)),  # no leap day in 2027
        (date(2027, 10, 15), date(2028, 1, 7), date(2028, 1, 21)),  # across the year end
    ],
)
def test_due_dates_across_month_year_ends_and_leap_days(last, next_due, window_end):
    s = treatment_schedule([last], today=last, profile=DEFAULT_PAYER_PROFILE)
    assert (s.next_due, s.window_end) == (next_due, window_end)


# --- booking -----------------------------------------------------------------------------
LAST = date(2026, 12, 7)  # earliest = 2027-03-01


@pytest.mark.parametrize(
    ("profile", "proposed", "override", "allowed", "overridden", "reason_part"),
    [
        (
            DEFAULT_PAYER_PROFILE,
            date(2027, 3, 1),
            None,
            True,
            False,
            "84 days after the last session",
        ),
        (DEFAULT_PAYER_PROFILE, date(2027, 3, 20), None, True, False, "103 days after"),
        (
            DEFAULT_PAYER_PROFILE,
            date(2027, 3, 20),
            None,
            True,
            False,
            "after the 84-98 day due window",
        ),
        (DEFAULT_PAYER_PROFILE, date(2027, 7, 1), None, True, False, "starts a new course"),
        (
            DEFAULT_PAYER_PROFILE,
            date(2027, 2, 28),
            None,
            False,
            False,
            "Earliest date is 2027-03-01, 84 days after the last session on 2026-12-07; "
            "2027-02-28 is only 83 days after",
        ),
        (
            DEFAULT_PAYER_PROFILE,
            date(2027, 2, 28),
            "   ",
            False,
            False,
            "Earliest date is 2027-03-01",
        ),
        (
            DEFAULT_PAYER_PROFILE,
            date(2027, 2, 20),
            "documented wearing-off",
            True,
            True,
            "Allowed by override (documented wearing-off); earliest date is 2027-03-01",
        ),
        (DEFAULT_PAYER_PROFILE, date(2027, 2, 15), "wearing-off", True, True, "only 70 days"),
        (
            DEFAULT_PAYER_PROFILE,
            date(2027, 2, 14),
            "wearing-off",
            False,
            False,
            "an override cannot go below 70 days (10 weeks); the earliest overridable date is "
            "2027-02-15",
        ),
        (DEFAULT_PAYER_PROFILE, LAST, "same day", False, False, "Refused even with an override"),
        (DEFAULT_PAYER_PROFILE, date(2027, 3, 5), "not needed", True, False, "88 days after"),
        (SHORTENED, date(2027, 2, 15), "wearing-off", True, True, "Allowed by override"),
        (
            PayerProfile("Strict", shortened_interval_days=80),
            date(2027, 2, 20),
            "wearing-off",
            False,
            False,
            "Strict allows re-treatment no sooner than 80 days, even for documented wearing-off",
        ),
    ],
    ids=[
        "day-84",
        "day-103",
        "after-window",
        "new-course",
        "day-83-refused",
        "blank-override",
        "override",
        "override-day-70",
        "override-day-69",
        "same-day",
        "override-not-needed",
        "payer-shortened",
        "payer-floor",
    ],
)
def test_booking_check(profile, proposed, override, allowed, overridden, reason_part):
    decision = booking_check(
        [LAST, LAST - days(84)], proposed, profile=profile, override_reason=override
    )
    assert (decision.allowed, decision.overridden) == (allowed, overridden)
    assert reason_part in decision.reason
    assert decision.earliest == LAST + days(profile.min_interval_days)


def test_first_booking_is_always_allowed():
    decision = booking_check(
        [], date(2027, 1, 1), profile=DEFAULT_PAYER_PROFILE, override_reason=None
    )
    assert decision.allowed and not decision.overridden
    assert decision.earliest is None


# --- properties ----------------------------------------------------------------------------
DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
PROFILES = st.builds(
    PayerProfile,
    name=st.just("p"),
    min_interval_days=st.integers(min_value=1, max_value=84),
    review_weeks=st.integers(min_value=1, max_value=52),
)
ANY_INTERVAL_PROFILES = st.builds(
    PayerProfile, name=st.just("p"), min_interval_days=st.integers(min_value=1, max_value=120)
)

PAYER_90 = PayerProfile("90-day payer", min_interval_days=90)


@pytest.mark.parametrize(
    ("profile", "day", "status"),
    [
        (PAYER_90, 84, ScheduleStatus.upcoming),
        (PAYER_90, 85, ScheduleStatus.upcoming),
        (PAYER_90, 89, ScheduleStatus.upcoming),
        (PAYER_90, 90, ScheduleStatus.due),
        (PAYER_90, 98, ScheduleStatus.due),
        (PAYER_90, 99, ScheduleStatus.overdue),
        (PayerProfile("long", min_interval_days=100), 99, ScheduleStatus.upcoming),
        (PayerProfile("long", min_interval_days=100), 100, ScheduleStatus.due),
        (PayerProfile("long", min_interval_days=100), 101, ScheduleStatus.overdue),
        (PayerProfile("short", min_interval_days=70), 83, ScheduleStatus.upcoming),
        (PayerProfile("short", min_interval_days=70), 84, ScheduleStatus.due),
    ],
    ids=lambda v: str(v) if isinstance(v, int) else None,
)
def test_due_uses_the_payers_minimum_interval(profile, day, status):
    s = treatment_schedule([D0], today=D0 + days(day), profile=profile)
    assert s.status is status
    assert s.next_due == D0 + days(due_after_days(profile))
    assert s.next_due >= s.earliest


@settings(max_examples=300, deadline=None)
@given(DATES, st.integers(min_value=0, max_value=200), ANY_INTERVAL_PROFILES)
def test_due_never_shows_on_a_day_booking_is_refused(last, offset, profile):
    today = last + days(offset)
    s = treatment_schedule([last], today=today, profile=profile)
    if s.status in (ScheduleStatus.due, ScheduleStatus.overdue):
        assert booking_check([last], today, profile=profile).allowed


@settings(max_examples=300, deadline=None)
@given(DATES, st.integers(min_value=-30, max_value=400), PROFILES)
def test_schedule_arithmetic_for_any_date(last, offset, profile):
    s = treatment_schedule([last], today=last + days(offset), profile=profile)
    assert (s.next_due - last).days == max(RETREATMENT_INTERVAL_DAYS, profile.min_interval_days)
    assert (s.window_end - last).days == DUE_WINDOW_END_DAYS
    assert s.window_start == s.next_due
    assert s.earliest <= s.next_due <= s.window_end
    assert (s.review_due - s.course_first_session).days == 7 * profile.review_weeks


@settings(max_examples=200, deadline=None)
@given(st.lists(DATES, min_size=1, max_size=8), DATES)
def test_courses_partition_the_sessions(sessions, today):
    grouped = courses(sessions)
    assert [d for course in grouped for d in course] == sorted(set(sessions))
    assert all(1 <= len(course) <= COURSE_SESSIONS for course in grouped)
    s = treatment_schedule(sessions, today=today, profile=DEFAULT_PAYER_PROFILE)
    assert s.last_session == max(sessions)
    assert 1 <= s.sessions_in_course <= COURSE_SESSIONS


@settings(max_examples=300, deadline=None)
@given(DATES, st.integers(min_value=-10, max_value=200), st.sampled_from([None, "", "wearing-off"]))
def test_booking_is_allowed_exactly_from_the_earliest_date(last, offset, override):
    proposed = last + days(offset)
    decision = booking_check(
        [last], proposed, profile=DEFAULT_PAYER_PROFILE, override_reason=override
    )
    if offset >= 84:
        assert decision.allowed and not decision.overridden
    elif override and offset >= 70:
        assert decision.allowed and decision.overridden
    else:
        assert not decision.allowed and not decision.overridden
        assert decision.earliest.isoformat() in decision.reason


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
