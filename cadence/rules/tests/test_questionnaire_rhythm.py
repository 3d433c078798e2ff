"""MIDAS and HIT-6 on a rhythm: due before each session, change against the last and the
baseline. No Django."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cadence.rules.questionnaire_rhythm import (
    QUESTIONNAIRE_REMINDER_DAYS_BEFORE,
    due_instruments,
    is_due,
    questionnaire_rhythm,
)

S1 = date(2025, 3, 3)
S2 = S1 + timedelta(days=84)


@pytest.fixture(autouse=True)
def _fast_password_hashing() -> None:
    """Shadow the root conftest's Django-only autouse fixture (tests run with -p no:django)."""


@pytest.mark.parametrize(
    ("completed", "sessions", "today", "due"),
    [
        ([], [], S1, True),  # never completed: due (the baseline)
        ([S1 - timedelta(days=3)], [], S1, False),  # done before the first session
        ([S1 - timedelta(days=3)], [S1], S1 + timedelta(days=10), True),  # none since S1
        ([S1], [S1], S1 + timedelta(days=10), True),  # on the session day: that session's
        ([S1 + timedelta(days=1)], [S1], S1 + timedelta(days=10), False),  # since S1
        ([S1 + timedelta(days=80)], [S1, S2], S2 + timedelta(days=1), True),  # before S2
        ([S2 + timedelta(days=5)], [S1, S2], S2 + timedelta(days=1), True),  # future: ignored
    ],
)
def test_due_when_none_since_the_last_session(completed, sessions, today, due):
    assert is_due(completed, sessions, today) is due


def test_due_instruments_in_order():
    completed = {"HIT-6": [S1 + timedelta(days=2)]}
    assert due_instruments(completed, [S1], S1 + timedelta(days=30)) == ["MIDAS"]
    assert due_instruments({}, [S1], S1) == ["MIDAS", "HIT-6"]


def test_changes_against_the_last_and_the_baseline():
    scores = [
        (S1 - timedelta(days=5), 40),
        (S1 + timedelta(days=80), 30),
        (S2 + timedelta(days=80), 26),
    ]
    rhythm = questionnaire_rhythm(
        "MIDAS", scores, [S1, S2], S2 + timedelta(days=81), course_start=S1
    )
    assert rhythm.baseline == scores[0]
    assert rhythm.previous == scores[1]
    assert rhythm.since_previous.points == -4 and not rhythm.since_previous.meaningful  # 13% of 30
    assert rhythm.since_baseline.points == -14 and rhythm.since_baseline.meaningful  # 35% of 40
    assert rhythm.due is False


def test_hit6_five_points_is_meaningful():
    scores = [(S1 - timedelta(days=1), 66), (S1 + timedelta(days=70), 61)]
    rhythm = questionnaire_rhythm("HIT-6", scores, [S1], S1 + timedelta(days=71), course_start=S1)
    assert rhythm.since_baseline.points == -5 and rhythm.since_baseline.meaningful


def test_no_baseline_score_no_baseline_change():
    scores = [(S1 + timedelta(days=10), 20)]
    rhythm = questionnaire_rhythm("MIDAS", scores, [S1], S1 + timedelta(days=11), course_start=S1)
    assert (
        rhythm.baseline is None and rhythm.since_baseline is None and rhythm.since_previous is None
    )


def test_reminder_lead_time_is_named():
    assert QUESTIONNAIRE_REMINDER_DAYS_BEFORE == 7
