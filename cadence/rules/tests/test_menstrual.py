"""Perimenstrual windows (ICHD-3 A1.1.1/A1.1.2): day -2 to +3 of the first day."""

from __future__ import annotations

from datetime import date, timedelta

from cadence.rules.menstrual import cycle_summary, first_days, perimenstrual_days

FIRST = date(2026, 4, 10)


def period(first: date, length: int = 5) -> list[date]:
    return [first + timedelta(days=n) for n in range(length)]


def test_the_first_day_is_the_day_after_a_day_without_bleeding():
    assert first_days(period(FIRST) + period(FIRST + timedelta(days=28))) == [
        FIRST,
        FIRST + timedelta(days=28),
    ]


def test_the_window_runs_from_two_days_before_to_two_days_after_the_first_day():
    window = perimenstrual_days(period(FIRST))
    assert window == {FIRST + timedelta(days=n) for n in range(-2, 3)}
    # ICHD-3 counts this as days -2, -1, +1, +2, +3 (no day 0): five days.
    assert len(window) == 5
    assert FIRST - timedelta(days=3) not in window
    assert FIRST + timedelta(days=3) not in window


def test_headache_days_in_the_window_against_other_days():
    second = FIRST + timedelta(days=28)
    recorded = {FIRST + timedelta(days=n): False for n in range(-5, 40)}
    recorded[FIRST - timedelta(days=2)] = True  # edge of the first window
    recorded[FIRST + timedelta(days=2)] = True  # other edge
    recorded[FIRST + timedelta(days=3)] = True  # just outside
    recorded[FIRST + timedelta(days=15)] = True
    summary = cycle_summary(recorded, period(FIRST) + period(second))
    assert summary.cycles == 2
    assert summary.window_days == 10
    assert summary.window_headache_days == 2
    assert summary.other_days == len(recorded) - 10
    assert summary.other_headache_days == 2
    assert summary.cycles_with_headache_in_window == 1
    assert summary.window_share == 2 / 10
