"""Issue 16: the clinic report takes each patient's course and baseline from the patient
page's owner (``selectors.patient``): the course that started after the last lapse of
more than 180 days (``new_baseline_lapse_days()``), and a recorded historical baseline in
place of too short a diary baseline in the first course here. Patient by patient, the
report's week-24 status is the patient page's ``week_24_response``."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cadence.outcomes import selectors
from cadence.outcomes.selectors.clinic import _clinic_session_rows
from cadence.outcomes.tests.factories import MIGRAINE, NO_HEADACHE, session, write_pattern
from cadence.patients.models import HistoricalBaseline
from cadence.rules.course_review import course_start
from cadence.treatments.models import ProcedureStatus

pytestmark = pytest.mark.django_db


def per_28(n: int):
    """``n`` headache days in every 28 consecutive days, every day recorded."""
    return lambda on: MIGRAINE if on.toordinal() % 28 < n else NO_HEADACHE


def assert_report_agrees_with_patient_pages(patients, today) -> dict[int, str]:
    """The report's week-24 status of every patient is the patient page's; patients
    whose course's weeks 21-24 have not ended are not in the report's review."""
    statuses = selectors.week_24_statuses(today)
    for patient in patients:
        outcome = selectors.patient_outcomes(patient, today=today, with_alerts=False)
        review = outcome.week_24_response
        if patient.pk in statuses:
            assert statuses[patient.pk] == review.status, patient
        else:
            assert review.status == "insufficient_data", patient
            assert "not ended" in review.reason or not outcome.session_dates, patient
    return statuses


# Signed sessions as days before today (negative: after today), drafts apart.
SESSION_PATTERNS = [
    pytest.param([400, 220], [], id="exactly 180 days: one course"),
    pytest.param([401, 220], [], id="181 days: a new course"),
    pytest.param([900, 700, 400, 100], [], id="three lapses"),
    pytest.param([600, 516, 100, 16], [], id="a lapse, then every 84 days"),
    pytest.param([300, 300, 216], [], id="two notes signed the same day"),
    pytest.param([500, -10], [], id="a session after today does not count"),
    pytest.param([500, 300], [400], id="a draft note inside the lapse is not a session"),
]


@pytest.mark.parametrize(("signed", "drafts"), SESSION_PATTERNS)
def test_the_report_finds_each_course_start_as_the_patient_page_does(patient, signed, drafts):
    today = timezone.localdate()
    for days in signed:
        session(patient, today - timedelta(days=days))
    for days in drafts:
        session(patient, today - timedelta(days=days), status=ProcedureStatus.DRAFT)
    (row,) = _clinic_session_rows(today)
    expected = course_start([today - timedelta(days=d) for d in signed if d >= 0])
    assert row.course_start == expected
    assert row.course_start == selectors.patient_outcomes(patient, today=today).course_start


def test_the_lapse_comes_from_the_one_setting(settings, make_patient):
    """``CADENCE_NEW_BASELINE_LAPSE_DAYS`` moves the report's course start as it moves
    the patient page's."""
    settings.CADENCE_NEW_BASELINE_LAPSE_DAYS = 90
    today = timezone.localdate()
    patient = make_patient()
    session(patient, today - timedelta(days=300))
    session(patient, today - timedelta(days=200))  # 100 days later: a new course here
    (row,) = _clinic_session_rows(today)
    assert row.course_start == today - timedelta(days=200)
    assert selectors.patient_outcomes(patient, today=today).course_start == row.course_start


def test_a_restarted_course_is_reviewed_on_its_own_weeks_21_to_24(make_patient):
    """A responder in the old course who restarted after a 200-day lapse and does not
    respond in the new one: the report counts the new course against its own baseline."""
    today = timezone.localdate()
    restart = today - timedelta(days=24 * 7 + 2)
    old = [restart - timedelta(days=200 + 84), restart - timedelta(days=200)]
    patient = make_patient()
    for on in [*old, restart, restart + timedelta(days=84)]:
        session(patient, on)

    def facts(on):
        if on < old[0]:
            return per_28(20)(on)  # old baseline
        if on < restart - timedelta(days=28):
            return per_28(4)(on)  # old course: a responder
        if on < restart:
            return per_28(10)(on)  # new baseline
        return per_28(9)(on)  # new course: 10% fewer

    write_pattern(patient, old[0] - timedelta(days=28), today, facts)
    statuses = assert_report_agrees_with_patient_pages([patient], today)
    assert statuses == {patient.pk: "non_responder"}
    ((_pk, course, base_n, base_hd, *_rest),) = selectors.week_24_counts(today)
    assert (course, base_n, base_hd) == (restart, 28, 10)


def test_a_course_restarted_recently_is_not_yet_in_the_review(make_patient):
    """The old course's weeks 21-24 ended long ago, but the current course's have not:
    the patient page has no 24-week review yet, and neither has the report."""
    today = timezone.localdate()
    patient = make_patient()
    old_first = today - timedelta(days=700)
    for on in [old_first, old_first + timedelta(days=84), today - timedelta(days=30)]:
        session(patient, on)
    write_pattern(patient, old_first - timedelta(days=28), today, per_28(10))
    report = selectors.clinic_report(today)
    assert report.review_patients == 0
    assert selectors.week_24_counts(today) == []
    assert_report_agrees_with_patient_pages([patient], today)


def _transferred(make_patient, today, *, diary_days_before: int, headache_days: str):
    """Sessions here 170 and 86 days ago, ``diary_days_before`` diary days before the
    first, 9 headache days in every 28 since; a recorded historical baseline."""
    patient = make_patient()
    first = today - timedelta(days=24 * 7 + 2)
    session(patient, first)
    session(patient, first + timedelta(days=84))
    write_pattern(patient, first - timedelta(days=diary_days_before), today, per_28(9))
    HistoricalBaseline.objects.create(
        patient=patient,
        headache_days=Decimal(headache_days),
        source="Referral letter",
        recorded_on=first - timedelta(days=60),
    )
    return patient


def test_the_report_uses_the_historical_baseline_where_the_patient_page_does(make_patient):
    today = timezone.localdate()
    transferred = _transferred(make_patient, today, diary_days_before=0, headache_days="19")
    short_diary = _transferred(make_patient, today, diary_days_before=10, headache_days="13")
    # 28 diary days before the first session: the diary baseline wins (9 vs 9: none fewer)
    full_diary = _transferred(make_patient, today, diary_days_before=28, headache_days="25")
    statuses = assert_report_agrees_with_patient_pages(
        [transferred, short_diary, full_diary], today
    )
    assert statuses == {
        transferred.pk: "responder",  # 9 against 19: 52.6% fewer
        short_diary.pk: "partial",  # 10 diary days are too few: 9 against 13, 30.8% fewer
        full_diary.pk: "non_responder",
    }
    report = selectors.clinic_report(today)
    assert report.review_patients == report.evaluable_at_24_weeks == 3


def test_the_latest_historical_baseline_counts(make_patient):
    today = timezone.localdate()
    patient = _transferred(make_patient, today, diary_days_before=0, headache_days="10")
    HistoricalBaseline.objects.create(
        patient=patient,
        headache_days=Decimal("20"),
        source="Corrected referral letter",
        recorded_on=today - timedelta(days=200),
        created_at=timezone.now() + timedelta(minutes=1),
    )
    statuses = assert_report_agrees_with_patient_pages([patient], today)
    assert statuses == {patient.pk: "responder"}  # 9 against 20, not against 10


def test_a_historical_baseline_does_not_replace_a_later_course_baseline(make_patient):
    """The historical baseline stands for the first course here only: after a lapse the
    new course needs its own diary baseline (here too short: insufficient data)."""
    today = timezone.localdate()
    patient = make_patient()
    restart = today - timedelta(days=24 * 7 + 2)
    for on in [restart - timedelta(days=400), restart, restart + timedelta(days=84)]:
        session(patient, on)
    write_pattern(patient, restart - timedelta(days=5), today, per_28(9))
    HistoricalBaseline.objects.create(
        patient=patient, headache_days=Decimal(20), source="Letter", recorded_on=today
    )
    statuses = assert_report_agrees_with_patient_pages([patient], today)
    assert statuses == {patient.pk: "insufficient_data"}


@pytest.mark.parametrize("transferred", [1, 6])
def test_historical_baselines_cost_one_query_whatever_their_number(
    make_patient, transferred, django_assert_max_num_queries
):
    today = timezone.localdate()
    for _n in range(transferred):
        _transferred(make_patient, today, diary_days_before=0, headache_days="19")
    # patients, sessions + week-24 counts, the historical baselines, side-effect rates
    with django_assert_max_num_queries(4):
        report = selectors.clinic_report(today)
    assert report.status_counts_24_weeks["responder"] == transferred
