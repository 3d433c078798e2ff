"""Per-patient outcomes counted in SQL, through the selectors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cadence.outcomes import selectors
from cadence.outcomes.tests.factories import (
    MIGRAINE,
    NO_HEADACHE,
    SIMPLE_ANALGESIC,
    TENSION,
    TRIPTAN_MIGRAINE,
    build_story,
    every_nth,
    session,
    write_pattern,
)
from cadence.rules.schedule import TreatmentStage

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 30)
FIRST = date(2025, 1, 6)


def test_it_counts_every_metric_of_a_fully_recorded_period(patient):
    session(patient, FIRST)
    # baseline: 28 recorded days; 7 migraine, 7 tension-type, 14 free.
    pattern = {0: MIGRAINE, 1: TENSION, 2: NO_HEADACHE, 3: NO_HEADACHE}
    write_pattern(
        patient,
        FIRST - timedelta(days=28),
        FIRST - timedelta(days=1),
        lambda on: pattern[on.toordinal() % 4],
    )
    outcome = selectors.patient_outcomes(patient, today=TODAY)
    baseline = outcome.baseline
    assert baseline.days_recorded == 28
    assert baseline.headache_days == 14
    assert baseline.migraine_days == 7
    assert baseline.moderate_severe_days == 7
    assert baseline.acute_medication_days == 0
    assert baseline.headache_hours == 7 * 8 + 7 * 5
    assert baseline.scaled is False


def test_it_scales_a_short_period_to_28_days(patient):
    session(patient, FIRST)
    # 21 recorded days, 7 of them triptan-treated migraines.
    start = FIRST - timedelta(days=28)
    write_pattern(
        patient,
        start,
        FIRST - timedelta(days=8),
        lambda on: TRIPTAN_MIGRAINE if (on - start).days % 3 == 0 else NO_HEADACHE,
    )
    baseline = selectors.patient_outcomes(patient, today=TODAY).baseline
    assert baseline.days_recorded == 21
    assert baseline.raw.headache_days == 7
    assert baseline.headache_days == pytest.approx(9.3)
    assert baseline.triptan_days == pytest.approx(9.3)
    assert baseline.acute_medication_days == pytest.approx(9.3)
    assert baseline.scaled is True


@pytest.mark.parametrize(
    ("story", "expected_status", "reason_part"),
    [
        ("no_baseline", "insufficient_data", "baseline diary covers only 0"),
        ("thin_baseline", "insufficient_data", "covers only 19"),
        ("no_session", "insufficient_data", "no procedure"),
        ("empty_baseline", "insufficient_data", "no headache days"),
        ("gap_in_follow_up", "insufficient_data", "at least 20 recorded"),
        ("one_session_just_now", "insufficient_data", "no follow-up period has ended"),
    ],
)
def test_it_answers_insufficient_data_with_a_reason(patient, story, expected_status, reason_part):
    if story != "no_session":
        first = TODAY - timedelta(days=10) if story == "one_session_just_now" else FIRST
        session(patient, first)
    base_start, base_end = FIRST - timedelta(days=28), FIRST - timedelta(days=1)
    if story == "one_session_just_now":
        write_pattern(patient, first - timedelta(days=28), TODAY, every_nth(2))
    if story == "thin_baseline":
        write_pattern(patient, base_start, base_start + timedelta(days=18), every_nth(2))
    if story == "empty_baseline":
        write_pattern(patient, base_start, TODAY, lambda on: NO_HEADACHE)
    if story == "gap_in_follow_up":
        write_pattern(patient, base_start, base_end, every_nth(2))
        # only 10 days of every follow-up period recorded
        write_pattern(
            patient, FIRST, TODAY, lambda on: MIGRAINE if (on - FIRST).days % 28 < 10 else None
        )
    outcome = selectors.patient_outcomes(patient, today=TODAY)
    assert outcome.response.status == expected_status
    assert outcome.response.percent_change is None
    assert reason_part in outcome.response.reason


@pytest.mark.parametrize(
    ("follow_up_every", "status"),
    [(8, "responder"), (3, "partial"), (2, "non_responder")],
)
def test_it_decides_the_responder_status_against_the_baseline(patient, follow_up_every, status):
    # baseline: every 2nd day a headache (14/28); follow-up: every n-th day.
    session(patient, FIRST)
    write_pattern(patient, FIRST - timedelta(days=28), FIRST - timedelta(days=1), every_nth(2))
    write_pattern(patient, FIRST, TODAY, every_nth(follow_up_every))
    outcome = selectors.patient_outcomes(patient, today=TODAY)
    assert outcome.response.status == status
    assert outcome.response.headache_day_change <= 0


@pytest.mark.parametrize(
    ("rule", "status"), [("percent_50", "partial"), ("fewer_7_days", "responder")]
)
def test_it_applies_the_payer_responder_rule(patient, monkeypatch, rule, status):
    from cadence.outcomes.selectors import patient as patient_selectors
    from cadence.rules.payer import PayerProfile

    monkeypatch.setattr(
        patient_selectors,
        "payer_profile",
        lambda p: PayerProfile(name="Payer", responder_rule=rule),
    )
    session(patient, FIRST)
    # 20 headache days in the baseline, 12 in each follow-up period: 8 fewer, 40% fewer.
    write_pattern(
        patient,
        FIRST - timedelta(days=28),
        TODAY,
        lambda on: MIGRAINE if ((on - FIRST).days % 7 < (5 if on < FIRST else 3)) else NO_HEADACHE,
    )
    outcome = selectors.patient_outcomes(patient, today=TODAY)
    assert outcome.baseline.headache_days == 20
    assert outcome.response.headache_day_change == -8
    assert outcome.response.status == status


def test_it_flags_medication_overuse_over_three_periods(patient):
    write_pattern(
        patient,
        TODAY - timedelta(days=83),
        TODAY,
        lambda on: SIMPLE_ANALGESIC if on.day % 28 < 16 else NO_HEADACHE,
    )
    flagged = selectors.patient_outcomes(patient, today=TODAY).overuse
    assert [p.simple_analgesic_days >= 15 for p in flagged.periods] == [True, True, True]
    assert flagged.flagged


def test_it_does_not_flag_overuse_for_two_periods(patient):
    write_pattern(patient, TODAY - timedelta(days=55), TODAY, lambda on: SIMPLE_ANALGESIC)
    assert not selectors.patient_outcomes(patient, today=TODAY).overuse.flagged


def test_it_detects_wearing_off_in_recent_cycles(patient):
    build_story(patient, TODAY, kind="wearing_off")
    outcome = selectors.patient_outcomes(patient, today=TODAY)
    assert outcome.wearing_off.detected
    assert "weeks 9-12" in outcome.wearing_off.evidence
    assert outcome.alerts and outcome.alerts[-1][0] == "wearing_off"
    assert outcome.interval_suggestion


def test_a_responder_shows_no_wearing_off(patient):
    build_story(patient, TODAY, kind="responder")
    outcome = selectors.patient_outcomes(patient, today=TODAY)
    assert outcome.response.status == "responder"
    assert not outcome.wearing_off.detected
    assert outcome.interval_suggestion is None
    assert outcome.stage == TreatmentStage.maintenance
    assert outcome.schedule.next_due == outcome.session_dates[-1] + timedelta(days=84)


def test_effect_curve_has_onset_and_best_week(patient):
    build_story(patient, TODAY, kind="responder", sessions=2)
    curve = selectors.patient_outcomes(patient, today=TODAY).curves[0]
    assert curve.complete
    assert curve.onset_week is not None
    assert curve.best_week is not None
    assert len(curve.weeks) == 12


def test_draft_procedures_do_not_anchor_periods(patient):
    session(patient, FIRST, status="draft")
    assert selectors.patient_outcomes(patient, today=TODAY).baseline is None


def test_it_reads_the_diary_in_one_query(patient, django_assert_num_queries):
    build_story(patient, TODAY, kind="responder", sessions=9)
    with django_assert_num_queries(3):  # payer profile + sessions + diary counts
        selectors.outcome_summary_for(patient, today=TODAY)
