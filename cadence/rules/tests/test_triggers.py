"""The trigger summary: counted honestly, and no claim below the minimum."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cadence.rules.triggers import MIN_TRIGGER_OCCURRENCES, Trigger, trigger_summary

START = date(2026, 1, 1)


def diary(pattern):
    """pattern: list of (triggers, headache) for consecutive days."""
    return {
        START + timedelta(days=i): (codes, headache) for i, (codes, headache) in enumerate(pattern)
    }


@pytest.mark.parametrize(
    ("occurrences", "enough"),
    [
        (MIN_TRIGGER_OCCURRENCES - 1, False),
        (MIN_TRIGGER_OCCURRENCES, True),
        (MIN_TRIGGER_OCCURRENCES + 1, True),
    ],
)
def test_no_claim_below_the_minimum_count(occurrences, enough):
    # Each alcohol day followed by a headache day.
    pattern = []
    for _ in range(occurrences):
        pattern += [(["alcohol"], False), ([], True)]
    pattern.append(([], False))
    [line], _base = trigger_summary(diary(pattern))
    assert line.trigger is Trigger.alcohol
    assert line.occurrences == occurrences
    assert line.enough is enough
    assert line.share == (1.0 if enough else None)


def test_it_counts_the_days_a_trigger_did_not_precede_a_headache():
    pattern = [
        (["stress"], True),  # same-day headache: followed
        (["stress"], False),  # next day headache-free: not followed
        ([], False),
        (["stress"], False),  # next day a headache: followed
        ([], True),
        (["stress"], False),  # next day not recorded: not judged
    ]
    [line], base = trigger_summary(diary(pattern))
    assert (line.occurrences, line.followed, line.not_followed) == (3, 2, 1)
    # Base rate over the judged days 0-4 (day 5 has no recorded next day):
    # day 0 yes, 1 no, 2 no, 3 yes, 4 yes.
    assert base == 3 / 5


def test_unknown_codes_and_repeats_count_once():
    lines, _ = trigger_summary(diary([(["stress", "stress", "nonsense"], True)]))
    assert [(line.trigger, line.occurrences) for line in lines] == [(Trigger.stress, 1)]
