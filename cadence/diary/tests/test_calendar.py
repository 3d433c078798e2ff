"""Calendar arithmetic: gaps, reminders and month counts (hypothesis properties)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cadence.diary.calendar import (
    BACKFILL_DAYS,
    DayMark,
    backfill_window,
    longest_gap,
    missing_days,
    month_calendar,
    needs_reminder,
)

TODAY = date(2026, 3, 18)
days_2026 = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))
marks = st.dictionaries(
    days_2026,
    st.builds(DayMark, is_headache_day=st.booleans(), is_migraine_day=st.booleans()),
    max_size=120,
)


@given(
    marks,
    days_2026,
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=2025, max_value=2027),
)
def test_month_counts_never_exceed_the_days_in_the_month(recorded, today, month, year):
    cal = month_calendar(year, month, recorded, today)
    assert cal.migraine_days <= cal.recorded_days <= cal.days_in_month
    assert cal.headache_days <= cal.recorded_days
    cells = [c for week in cal.weeks for c in week if c is not None]
    assert len(cells) == cal.days_in_month
    assert all(len(week) == 7 for week in cal.weeks)
    in_month = [d for d in recorded if (d.year, d.month) == (year, month)]
    assert cal.recorded_days == len(in_month)


@given(st.sets(days_2026, max_size=60), days_2026, st.integers(min_value=0, max_value=40))
def test_missing_and_recorded_days_partition_the_range(recorded, start, length):
    end = start + timedelta(days=length)
    missing = missing_days(recorded, start, end)
    in_range = {d for d in recorded if start <= d <= end}
    assert len(missing) + len(in_range) == length + 1
    assert not set(missing) & recorded
    assert 0 <= longest_gap(recorded, start, end) <= len(missing)


def test_the_backfill_window_is_the_two_weeks_before_today():
    start, end = backfill_window(TODAY)
    assert (end - start).days + 1 == BACKFILL_DAYS and end == TODAY - timedelta(days=1)


def test_a_gap_of_three_days_raises_a_reminder():
    start, end = backfill_window(TODAY)
    every_day = {start + timedelta(days=n) for n in range(BACKFILL_DAYS)}
    assert not needs_reminder(every_day, TODAY)
    two_missing = every_day - {end, end - timedelta(days=1)}
    assert not needs_reminder(two_missing, TODAY)
    three_missing = two_missing - {end - timedelta(days=2)}
    assert needs_reminder(three_missing, TODAY)


def test_future_days_are_marked_and_not_counted():
    cal = month_calendar(2026, 3, {TODAY: DayMark(True, True)}, TODAY)
    cells = {c.day: c for week in cal.weeks for c in week if c}
    assert cells[TODAY].is_today and cells[TODAY].state == "migraine"
    assert cells[TODAY + timedelta(days=1)].state == "future"
    assert (cal.recorded_days, cal.headache_days, cal.migraine_days) == (1, 1, 1)
