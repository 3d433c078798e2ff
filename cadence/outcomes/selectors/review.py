"""The course review of one patient (``cadence.rules.course_review``) from the outcomes
the patient page already computed, and the clinician's recorded decisions.

    course_review_for(outcome) -> CourseReview     (0 queries; 1 more for a NICE profile:
                                                    the preventive history)
    latest_course_review_decision(patient, course_first_session) -> CourseReviewDecision | None
    decided_courses(patient_ids) -> set[(patient_id, course_first_session)]
    questionnaire_rhythm_for(outcome) -> list[InstrumentRhythm]   (0 queries: MIDAS and
                                                    HIT-6 due before each session, change)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from cadence.outcomes.models import CourseReviewDecision
from cadence.outcomes.selectors.patient import _diary_buckets, _period
from cadence.patients import selectors as patient_selectors
from cadence.rules import outcomes as rules
from cadence.rules.candidacy import FAILED_OUTCOMES, ORAL_PREVENTIVE_CLASSES
from cadence.rules.course_review import CourseReview, course_review
from cadence.rules.payer import StoppingRules
from cadence.rules.questionnaire_rhythm import (
    INSTRUMENTS,
    InstrumentRhythm,
    questionnaire_rhythm,
)


def failed_preventive_classes(patient) -> int:
    """Distinct oral preventive classes that failed and count (an ineffective trial that
    was too short or below the usual dose does not; one of unknown adequacy does, as
    candidacy counts it)."""
    doses = patient_selectors.min_daily_doses_mg()
    classes = set()
    for trial in patient_selectors.confirmed_preventive_trials_for(patient):
        if trial.outcome not in FAILED_OUTCOMES or trial.drug_class not in ORAL_PREVENTIVE_CLASSES:
            continue
        if patient_selectors.trial_adequacy_for(trial, doses).adequacy.counts is False:
            continue
        classes.add(trial.drug_class)
    return len(classes)


def _later_course_review_period(patient, first: date, profile, today: date):
    """Weeks 21-24 of a course that began after the treatment's first session (the
    schedule's third session on): one diary query over that course's windows."""
    end = first + timedelta(weeks=profile.review_weeks) - timedelta(days=1)
    start = end - timedelta(days=rules.PERIOD_DAYS - 1)
    rows = _diary_buckets(patient, [first], [], min(end, today))
    index = (start - first).days // rules.PERIOD_DAYS + 1
    return _period(rows, index, start, end, as_of=today)


def course_review_for(outcome) -> CourseReview:
    """The payer's course review of the patient's current course (the schedule's course:
    two sessions, reviewed 24 weeks after its first), on ``outcome.today``, against the
    baseline of the treatment (``outcome.baseline``)."""
    start = outcome.course_start
    if start is None:
        return course_review(
            baseline=None, periods=(), sessions=(), today=outcome.today, profile=outcome.profile
        )
    first = max(outcome.schedule.course_first_session or start, start)
    sessions = [d for d in outcome.session_dates if d >= first]
    review_period = None
    if first != start and outcome.today >= first + timedelta(weeks=outcome.profile.review_weeks):
        review_period = _later_course_review_period(
            outcome.patient, first, outcome.profile, outcome.today
        )
    failed = None
    if outcome.profile.stopping_rules is StoppingRules.nice_ta260:
        failed = failed_preventive_classes(outcome.patient)
    return course_review(
        baseline=outcome.baseline,
        periods=outcome.periods,
        sessions=sessions,
        today=outcome.today,
        profile=outcome.profile,
        failed_preventives=failed,
        review_period=review_period,
    )


def latest_course_review_decision(
    patient, course_first_session: date | None
) -> CourseReviewDecision | None:
    """The latest decision recorded for that course (None without a course)."""
    if course_first_session is None:
        return None
    return (
        CourseReviewDecision.objects.filter(
            patient=patient, course_first_session=course_first_session
        )
        .select_related("decided_by")
        .first()
    )


def decided_courses(patient_ids: Iterable[int]) -> set[tuple[int, date]]:
    """(patient id, course first session) of every course with a recorded decision."""
    return set(
        CourseReviewDecision.objects.filter(patient_id__in=list(patient_ids)).values_list(
            "patient_id", "course_first_session"
        )
    )


def questionnaire_rhythm_for(outcome) -> list[InstrumentRhythm]:
    """MIDAS and HIT-6: due (none since the last session), the latest score, its change
    since the previous one and since the baseline (the latest on or before the course's
    first session), from the scores ``patient_outcomes`` already read."""
    return [
        questionnaire_rhythm(
            instrument,
            [
                (s.completed_on, s.score)
                for s in outcome.questionnaires
                if s.instrument == instrument
            ],
            outcome.session_dates,
            outcome.today,
            course_start=outcome.course_start,
        )
        for instrument in INSTRUMENTS
    ]
