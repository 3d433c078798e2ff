"""Attacks: days touched and a day's hours and peak from its attacks, across midnight.

Attack times are local wall-clock date-times (naive by design, see rules.attacks).
"""
# ruff: noqa: DTZ001

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadence.rules.attacks import (
    Attack,
    attack_problems,
    day_from_attacks,
    days_touched,
    hours_on,
    peak_on,
)
from cadence.rules.diary import DiaryDayFacts, PeakSeverity, classify_day

S = PeakSeverity
NOW = datetime(2026, 3, 10, 12, 0)
D1, D2, D3 = date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


@pytest.mark.parametrize(
    ("attack", "days"),
    [
        pytest.param(Attack(at(D1, 9), at(D1, 15)), [D1], id="same-day"),
        pytest.param(Attack(at(D1, 22), at(D2, 3)), [D1, D2], id="across-midnight"),
        pytest.param(Attack(at(D1, 22), at(D2, 0)), [D1], id="ends-at-midnight"),
        pytest.param(Attack(at(D1, 20), at(D3, 1)), [D1, D2, D3], id="three-days"),
        pytest.param(Attack(at(D3, 23)), [D3, date(2026, 3, 10)], id="still-going"),
    ],
)
def test_an_attack_touches_every_day_it_spans(attack, days):
    assert days_touched(attack, NOW) == days


def test_an_attack_across_midnight_counts_on_each_day():
    attack = Attack(at(D1, 22), at(D2, 3), S.severe)
    assert hours_on(D1, [attack], NOW) == 2
    assert hours_on(D2, [attack], NOW) == 3
    assert peak_on(D1, [attack], NOW) is S.severe
    assert peak_on(D2, [attack], NOW) is S.severe
    assert hours_on(D3, [attack], NOW) == 0


def test_the_days_classification_comes_from_its_attacks_across_midnight():
    # 20:00 to 02:00: 4 h on the first day (a headache day), 2 h on the second (not).
    attack = Attack(at(D1, 20), at(D2, 2), S.moderate)
    classified = {}
    for day in (D1, D2):
        hours, peak = day_from_attacks(
            day, [attack], recorded_hours=0, recorded_peak=S.none, now=NOW
        )
        classified[day] = classify_day(DiaryDayFacts(headache_hours=hours, peak_severity=peak))
    assert classified[D1].is_headache_day and classified[D1].is_moderate_severe_day
    assert not classified[D2].is_headache_day


def test_a_long_night_attack_makes_two_headache_days():
    attack = Attack(at(D1, 18), at(D2, 6), S.severe)
    for day in (D1, D2):
        hours, peak = day_from_attacks(
            day, [attack], recorded_hours=0, recorded_peak=S.none, now=NOW
        )
        assert hours == 6
        assert classify_day(DiaryDayFacts(headache_hours=hours, peak_severity=peak)).is_headache_day


def test_overlapping_attacks_are_not_counted_twice():
    attacks = [Attack(at(D1, 8), at(D1, 12)), Attack(at(D1, 10), at(D1, 14))]
    assert hours_on(D1, attacks, NOW) == 6


def test_an_ongoing_attack_counts_up_to_now():
    assert hours_on(NOW.date(), [Attack(at(NOW.date(), 9))], NOW) == 3


def test_attacks_never_lower_what_the_patient_recorded_for_the_day():
    attack = Attack(at(D1, 9), at(D1, 10), S.mild)
    assert day_from_attacks(D1, [attack], recorded_hours=5, recorded_peak=S.severe, now=NOW) == (
        5,
        S.severe,
    )


@pytest.mark.parametrize(
    ("attack", "fields"),
    [
        (Attack(at(D1, 9), at(D1, 8)), ["ended_at"]),
        (Attack(datetime(2026, 3, 11, 9)), ["started_at"]),
        (Attack(at(D1, 9), datetime(2026, 3, 11, 9)), ["ended_at"]),
        (Attack(datetime(2026, 2, 1, 9), at(D1, 9)), ["ended_at"]),
        (Attack(at(D1, 9), at(D1, 9)), []),
    ],
)
def test_attack_problems(attack, fields):
    assert [f for f, _ in attack_problems(attack, NOW)] == fields


@given(
    start=st.datetimes(min_value=datetime(2026, 3, 1), max_value=datetime(2026, 3, 9)),
    minutes=st.integers(min_value=0, max_value=3 * 24 * 60),
)
def test_hours_over_the_days_touched_add_up_to_the_attack(start, minutes):
    from datetime import timedelta

    attack = Attack(start, start + timedelta(minutes=minutes))
    total = sum(hours_on(day, [attack], NOW) for day in days_touched(attack, NOW))
    assert total == pytest.approx(minutes / 60)
