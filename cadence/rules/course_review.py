"""The 24-week course review and the stopping rules (clinic-reference.md sections 3, 4
and 7 "Stopping and continuing").

Pure Python: no Django, no I/O. ``course_review(...)`` answers what the payer's rule set
recommends for the current course -- continue, stop or review (a clinician looks at it:
the rule cannot decide or the evidence is mixed) -- with the evidence behind it. The
clinician records the decision; this module only recommends.

Rule sets (``cadence.rules.payer.StoppingRules``, chosen by the payer profile):

- ``us_responder`` (US payers, "responder as section 4"): the review period is compared
  with the baseline by the profile's responder rule (``percent_50``: at least 50% fewer
  headache days, or ``fewer_7_days``: at least 7 fewer). Responder -> continue; partial
  (at least 30% fewer) -> review; non-responder -> stop.
- ``nice_ta260`` (NHS England, NICE TA260): stop when headache days fell by less than 30%
  after two cycles (the review period); stop when the migraine has become episodic (fewer
  than 15 headache days a month) for three consecutive months; otherwise continue. NICE
  funds Botox after 3 failed preventives: a course whose record shows fewer is sent to
  review rather than continued.

Interpretation choices (Cadence's, stated so they can be checked):

* **The review period** is the follow-up period of weeks 21-24 of the course
  (clinic-reference.md section 7: "The 24-week course review uses the period of weeks
  21-24 (the second cycle's)"), i.e. the 28-day window ending the day before
  ``first session + review_weeks``. The review is *reached* on that day (when the
  period has ended). Its response is decided by ``cadence.rules.outcomes.response`` (the
  one responder function, on exact values).
* **"After two cycles"**: the course must have had ``COURSE_SESSIONS`` (2) sessions by the
  end of the review period; with fewer the recommendation is review.
* **"A month"** of the episodic rule is a 28-day period (the trial convention every other
  count in Cadence uses); "three consecutive months" are the three latest ended follow-up
  periods of the course, each with at least 20 recorded diary days, each with fewer than
  15 headache days per 28 days counted exactly (raw days x 28 / days recorded, not the
  rounded display value). The rule is checked at any time in the course, not only at the
  review: NICE says to stop whenever the pattern has become episodic.
* A period without enough diary never counts towards a rule that stops treatment:
  stopping needs evidence, missing diary gives review.

Public API
----------
- ``Recommendation`` (``continue``, ``stop``, ``review``), ``Evidence``, ``CourseReview``
- ``course_review(*, baseline, periods, sessions, today, profile,
  failed_preventives=None) -> CourseReview``
- ``is_episodic(period) -> bool | None``
- ``course_start(sessions, lapse_days=NEW_BASELINE_AFTER_LAPSE_DAYS) -> date | None``:
  the first session of the current course of treatment, i.e. the first session after
  the last gap of more than ``lapse_days`` (180, a clinic default) between two sessions.
  The baseline (the 28 days before it) and the follow-up periods start from it, so a
  patient who comes back after a lapse gets a new baseline.
- Constants ``NICE_MIN_FAILED_PREVENTIVES`` (3), ``NICE_STOP_BELOW_PERCENT`` (30),
  ``EPISODIC_BELOW_HEADACHE_DAYS`` (15), ``EPISODIC_CONSECUTIVE_PERIODS`` (3)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from cadence.rules.outcomes import (
    MIN_RECORDED_DAYS,
    PARTIAL_PERCENT,
    PERIOD_DAYS,
    PeriodMetrics,
    ResponderRule,
    Response,
    ResponseStatus,
    exact_count,
    response,
)
from cadence.rules.payer import PayerProfile, StoppingRules
from cadence.rules.schedule import COURSE_SESSIONS, NEW_COURSE_GAP_DAYS

__all__ = [
    "EPISODIC_BELOW_HEADACHE_DAYS",
    "EPISODIC_CONSECUTIVE_PERIODS",
    "NICE_MIN_FAILED_PREVENTIVES",
    "NEW_BASELINE_AFTER_LAPSE_DAYS",
    "NICE_STOP_BELOW_PERCENT",
    "CourseReview",
    "Evidence",
    "Recommendation",
    "course_review",
    "course_start",
    "is_episodic",
]

#: NICE TA260: "Botox after 3 failed preventives".
NICE_MIN_FAILED_PREVENTIVES = 3
#: NICE TA260: "stop when headache days fall by less than 30% after two cycles" (the same
#: 30% as section 4's "partial").
NICE_STOP_BELOW_PERCENT = PARTIAL_PERCENT
#: NICE TA260: "episodic (fewer than 15 headache days a month)".
EPISODIC_BELOW_HEADACHE_DAYS = 15
#: NICE TA260: "for three consecutive months".
EPISODIC_CONSECUTIVE_PERIODS = 3


#: Cadence (clinic) default, not a reference number: a course that begins more than 180
#: days after the previous session starts again from a new baseline (the same lapse that
#: starts a new course in ``cadence.rules.schedule``). A clinic may change it (setting
#: ``CADENCE_NEW_BASELINE_LAPSE_DAYS``).
NEW_BASELINE_AFTER_LAPSE_DAYS = NEW_COURSE_GAP_DAYS


def course_start(
    sessions: Sequence[date], lapse_days: int = NEW_BASELINE_AFTER_LAPSE_DAYS
) -> date | None:
    """The first session after the last lapse of more than ``lapse_days``; None without
    sessions."""
    ordered = sorted(set(sessions))
    if not ordered:
        return None
    start = ordered[0]
    for previous, current in zip(ordered, ordered[1:], strict=False):
        if (current - previous).days > lapse_days:
            start = current
    return start


class Recommendation(StrEnum):
    continue_treatment = "continue"
    stop = "stop"
    review = "review"

    @property
    def label(self) -> str:
        return {
            "continue": "Continue treatment",
            "stop": "Stop treatment",
            "review": "Review with the clinician",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One finding behind the recommendation, in a whole sentence."""

    code: str
    finding: str


@dataclass(frozen=True, slots=True)
class CourseReview:
    """The course review of one course on ``today``.

    ``recommendation`` is ``None`` while the review is not reached and no stop rule has
    fired (nothing to decide yet)."""

    rules: StoppingRules
    course_first_session: date | None
    due_on: date | None
    reached: bool
    recommendation: Recommendation | None
    evidence: tuple[Evidence, ...]
    review_period: PeriodMetrics | None = None
    response: Response | None = None

    @property
    def summary(self) -> str:
        if self.recommendation is None:
            if self.due_on is None:
                return "No course has started: nothing to review."
            return f"The course review is due on {self.due_on:%d %b %Y}."
        return f"{self.recommendation.label}: " + " ".join(e.finding for e in self.evidence)


def _exact_headache_days(period: PeriodMetrics) -> Fraction | None:
    if period.days_recorded < MIN_RECORDED_DAYS:
        return None
    return exact_count(period, "headache_days")


def is_episodic(period: PeriodMetrics) -> bool | None:
    """Fewer than 15 headache days per 28 days, exactly; None without enough diary."""
    days = _exact_headache_days(period)
    return None if days is None else days < EPISODIC_BELOW_HEADACHE_DAYS


def _fmt(value: Fraction) -> str:
    return f"{round(float(value), 1):g}"


def _episodic_run(periods: Sequence[PeriodMetrics]) -> tuple[bool, Evidence | None]:
    ended = [p for p in periods if p.complete]
    latest = ended[-EPISODIC_CONSECUTIVE_PERIODS:]
    if len(latest) < EPISODIC_CONSECUTIVE_PERIODS:
        return False, None
    if all(is_episodic(p) for p in latest):
        days = ", ".join(_fmt(_exact_headache_days(p)) for p in latest)  # type: ignore[arg-type]
        return True, Evidence(
            "episodic",
            f"Episodic migraine for {EPISODIC_CONSECUTIVE_PERIODS} consecutive 28-day "
            f"periods ({latest[0].start:%d %b %Y} to {latest[-1].end:%d %b %Y}: {days} "
            f"headache days, each fewer than {EPISODIC_BELOW_HEADACHE_DAYS}).",
        )
    return False, None


def _review_period(
    periods: Sequence[PeriodMetrics], first: date, profile: PayerProfile
) -> PeriodMetrics | None:
    end = first + timedelta(weeks=profile.review_weeks) - timedelta(days=1)
    start = end - timedelta(days=PERIOD_DAYS - 1)
    for period in periods:
        if period.start == start and period.end == end:
            return period
    return None


def course_review(
    *,
    baseline: PeriodMetrics | None,
    periods: Sequence[PeriodMetrics],
    sessions: Sequence[date],
    today: date,
    profile: PayerProfile,
    failed_preventives: int | None = None,
    review_period: PeriodMetrics | None = None,
) -> CourseReview:
    """The review of the course that began with ``sessions[0]``.

    ``periods`` are the consecutive 28-day follow-up periods of the treatment since the
    baseline (``cadence.rules.outcomes.follow_up_windows``), ``baseline`` its baseline
    period; ``failed_preventives`` the number of failed preventive classes that count
    (None: not known), read only by the NICE rule set. ``review_period`` is the course's
    weeks 21-24 period when it is not one of ``periods`` (a later course, whose first
    session is not the first of the treatment)."""
    rules = profile.stopping_rules
    course = sorted(set(sessions))
    if not course:
        return CourseReview(rules, None, None, False, None, ())
    first = course[0]
    due_on = first + timedelta(weeks=profile.review_weeks)
    reached = today >= due_on
    evidence: list[Evidence] = []

    if rules is StoppingRules.nice_ta260:
        episodic, finding = _episodic_run(periods)
        if episodic and finding is not None:
            evidence.append(finding)
            return CourseReview(rules, first, due_on, reached, Recommendation.stop, tuple(evidence))
    if not reached:
        return CourseReview(rules, first, due_on, False, None, ())

    period = review_period or _review_period(periods, first, profile)
    before_review_end = [d for d in course if period is None or d <= period.end]
    if len(before_review_end) < COURSE_SESSIONS:
        evidence.append(
            Evidence(
                "cycles",
                f"Only {len(before_review_end)} session in the course before the review "
                f"period ended; the rule judges the response after {COURSE_SESSIONS} cycles.",
            )
        )
        return CourseReview(
            rules, first, due_on, True, Recommendation.review, tuple(evidence), period
        )

    rule = (
        profile.responder_rule if rules is StoppingRules.us_responder else ResponderRule.percent_50
    )
    result = response(baseline, [period] if period is not None else [], rule)
    if result.status is ResponseStatus.insufficient_data:
        why = result.reason or "no review period"
        evidence.append(
            Evidence("response", f"The response in weeks 21-24 cannot be judged: {why}.")
        )
        return CourseReview(
            rules, first, due_on, True, Recommendation.review, tuple(evidence), period, result
        )
    evidence.append(Evidence("response", f"Weeks 21-24 against the baseline: {result.reason}."))

    if rules is StoppingRules.us_responder:
        recommendation = {
            ResponseStatus.responder: Recommendation.continue_treatment,
            ResponseStatus.partial: Recommendation.review,
            ResponseStatus.non_responder: Recommendation.stop,
        }[result.status]
        if recommendation is Recommendation.review:
            evidence.append(
                Evidence(
                    "partial",
                    f"A partial response (at least {PARTIAL_PERCENT}% fewer headache days) "
                    "does not meet the payer's responder rule.",
                )
            )
        return CourseReview(
            rules, first, due_on, True, recommendation, tuple(evidence), period, result
        )

    # NICE TA260: stop under 30% fewer after two cycles.
    if result.status is ResponseStatus.non_responder:
        evidence.append(
            Evidence(
                "nice_30_percent",
                f"Headache days fell by less than {NICE_STOP_BELOW_PERCENT}% after two "
                "cycles (NICE TA260: stop).",
            )
        )
        return CourseReview(
            rules, first, due_on, True, Recommendation.stop, tuple(evidence), period, result
        )
    evidence.append(
        Evidence(
            "nice_30_percent",
            f"Headache days fell by at least {NICE_STOP_BELOW_PERCENT}% after two cycles.",
        )
    )
    if failed_preventives is None or failed_preventives < NICE_MIN_FAILED_PREVENTIVES:
        known = "not recorded" if failed_preventives is None else f"{failed_preventives}"
        evidence.append(
            Evidence(
                "nice_preventives",
                f"NICE TA260 funds treatment after {NICE_MIN_FAILED_PREVENTIVES} failed "
                f"preventives; the record shows {known} that count.",
            )
        )
        return CourseReview(
            rules, first, due_on, True, Recommendation.review, tuple(evidence), period, result
        )
    return CourseReview(
        rules,
        first,
        due_on,
        True,
        Recommendation.continue_treatment,
        tuple(evidence),
        period,
        result,
    )
