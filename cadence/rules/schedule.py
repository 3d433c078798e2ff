"""The 12-week rhythm of treatment: due dates, courses, reviews, booking checks.

Source: clinic-reference.md section 3: "Re-treatment every 12 weeks (84 days) ... Default
earliest date = last session + 84 days; due window 84-98 days. A first course is two
sessions 12 weeks apart, then a response review at 24 weeks after the first session."

Interpretation choices (Cadence defaults, not from the reference):

- **Courses**: sessions are grouped into courses of ``COURSE_SESSIONS`` (2). A session
  starts a new course when the previous course already has 2 sessions, or when it comes
  more than ``NEW_COURSE_GAP_DAYS`` (180) days after the previous session (treatment
  lapsed: the patient starts over, with a new review). Each course's response review is
  due ``profile.review_weeks`` (24) weeks after the course's first session.
- **Status** (``ScheduleStatus``) relative to ``today``: ``not_started`` (no sessions),
  ``upcoming`` (before the due window, i.e. before day 84), ``due`` (day 84-98, both
  included), ``overdue`` (after day 98, up to day 180), ``lapsed`` (more than 180 days:
  the next session starts a new course).
- **Earliest date** = last session + ``profile.min_interval_days`` (84 by default).
- **Due** (clinic-reference.md section 7: "The payer's minimum interval drives the 'due'
  status as well as the earliest date, so 'due' never shows on a day when booking would
  be refused"): ``next_due`` = last session + the longer of the clinical 84 days and the
  payer's ``min_interval_days`` (``due_after_days``); the window ends on day 98, or on
  ``next_due`` itself when a payer's interval is longer than that. With a 90-day payer
  the patient is due on days 90-98, never on day 85.
- **Booking before the earliest date** is refused unless a clinician records a non-blank
  override reason (e.g. documented wearing-off). Even with an override, a booking is never
  allowed before ``profile.shortened_interval_days`` if the payer defines one, otherwise
  before ``MIN_OVERRIDE_INTERVAL_DAYS`` (70 days = the reference's "shorten to 10 weeks",
  the shortest interval it mentions), and never on or before the last session.
- ``BOOKING_REMINDER_DAYS_AFTER_SESSION`` (70) is a Cadence default for the scheduling
  app's "book your next session" reminder, not a reference number.
- Sessions are the dates of *performed* sessions; order and duplicates do not matter.
- **Treatment stage** (``treatment_stage``): ``work_up`` (no session yet); ``first_course``
  (the response review of the first course, ``COURSE_REVIEW_WEEKS`` after the first
  session, is not reached yet); ``maintenance`` (review reached and the last session at
  most ``NEW_COURSE_GAP_DAYS`` (180) days ago); ``stopped`` (more than 180 days since the
  last session: treatment lapsed or stopped).

Public API
----------
- Constants ``RETREATMENT_WEEKS``, ``RETREATMENT_INTERVAL_DAYS``, ``COURSE_REVIEW_WEEKS``
  (defined in ``cadence.rules.payer``, where they are also a payer profile's defaults),
  ``DUE_WINDOW_END_DAYS``, ``COURSE_SESSIONS``, ``NEW_COURSE_GAP_DAYS``,
  ``MIN_OVERRIDE_INTERVAL_DAYS``, ``BOOKING_REMINDER_DAYS_AFTER_SESSION``
- ``ScheduleStatus``, ``TreatmentSchedule``, ``BookingDecision``, ``TreatmentStage``
- ``earliest_date(session_dates, *, profile=DEFAULT_PAYER_PROFILE) -> date | None``
- ``courses(session_dates) -> list[list[date]]``
- ``due_after_days(profile) -> int`` (the day "due" starts: max(84, payer interval))
- ``treatment_schedule(session_dates, *, today, profile=DEFAULT_PAYER_PROFILE)
  -> TreatmentSchedule``
- ``booking_check(session_dates, proposed, *, profile=DEFAULT_PAYER_PROFILE,
  override_reason=None) -> BookingDecision``
- ``treatment_stage(session_dates, today) -> TreatmentStage``
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from cadence.rules.payer import (
    COURSE_REVIEW_WEEKS,
    DEFAULT_PAYER_PROFILE,
    RETREATMENT_INTERVAL_DAYS,
    RETREATMENT_WEEKS,
    PayerProfile,
)

__all__ = [
    "BOOKING_REMINDER_DAYS_AFTER_SESSION",
    "COURSE_REVIEW_WEEKS",
    "COURSE_SESSIONS",
    "DUE_WINDOW_END_DAYS",
    "MIN_OVERRIDE_INTERVAL_DAYS",
    "NEW_COURSE_GAP_DAYS",
    "RETREATMENT_INTERVAL_DAYS",
    "RETREATMENT_WEEKS",
    "BookingDecision",
    "ScheduleStatus",
    "TreatmentSchedule",
    "TreatmentStage",
    "booking_check",
    "courses",
    "due_after_days",
    "earliest_date",
    "treatment_schedule",
    "treatment_stage",
]

#: "due window 84-98 days" (it opens on day ``RETREATMENT_INTERVAL_DAYS``).
DUE_WINDOW_END_DAYS = 98
#: "A first course is two sessions 12 weeks apart".
COURSE_SESSIONS = 2
#: Cadence default (not from the reference): a gap of more than 180 days since the last
#: session means treatment lapsed and the next session starts a new course.
NEW_COURSE_GAP_DAYS = 180
#: "some clinics shorten to 10 weeks for documented wearing-off": the floor for an
#: overridden booking when the payer defines no shortened interval.
MIN_OVERRIDE_INTERVAL_DAYS = 70
#: Cadence default (not from the reference): the scheduling app's booking reminder.
BOOKING_REMINDER_DAYS_AFTER_SESSION = 70


class ScheduleStatus(StrEnum):
    not_started = "not_started"
    upcoming = "upcoming"
    due = "due"
    overdue = "overdue"
    lapsed = "lapsed"


@dataclass(frozen=True, slots=True)
class TreatmentSchedule:
    last_session: date | None
    next_due: date | None
    earliest: date | None
    window_start: date | None
    window_end: date | None
    sessions_in_course: int
    course_first_session: date | None
    review_due: date | None
    status: ScheduleStatus
    course_number: int = 0
    booking_reminder_on: date | None = None


@dataclass(frozen=True, slots=True)
class BookingDecision:
    allowed: bool
    reason: str
    overridden: bool
    earliest: date | None = None


def earliest_date(
    session_dates: Iterable[date], *, profile: PayerProfile = DEFAULT_PAYER_PROFILE
) -> date | None:
    """The earliest re-treatment date: the last session + the payer's minimum interval
    (``profile.min_interval_days``, 84 days by default); None before the first session.
    The one computation of it: the schedule, booking and the procedure gate call it."""
    dates = list(session_dates)
    if not dates:
        return None
    return max(dates) + timedelta(days=profile.min_interval_days)


def courses(session_dates: Sequence[date]) -> list[list[date]]:
    """Sessions (sorted, de-duplicated) grouped into courses; see the module docstring."""
    result: list[list[date]] = []
    for day in sorted(set(session_dates)):
        if (
            not result
            or len(result[-1]) >= COURSE_SESSIONS
            or (day - result[-1][-1]).days > NEW_COURSE_GAP_DAYS
        ):
            result.append([day])
        else:
            result[-1].append(day)
    return result


def due_after_days(profile: PayerProfile = DEFAULT_PAYER_PROFILE) -> int:
    """Days after the last session on which a session is due: the clinical 84 days, or
    the payer's minimum interval when it is longer (section 7)."""
    return max(RETREATMENT_INTERVAL_DAYS, profile.min_interval_days)


def treatment_schedule(
    session_dates: Sequence[date],
    *,
    today: date,
    profile: PayerProfile = DEFAULT_PAYER_PROFILE,
) -> TreatmentSchedule:
    """Where the patient is in the 12-week rhythm on ``today``."""
    grouped = courses(session_dates)
    if not grouped:
        return TreatmentSchedule(
            last_session=None,
            next_due=None,
            earliest=None,
            window_start=None,
            window_end=None,
            sessions_in_course=0,
            course_first_session=None,
            review_due=None,
            status=ScheduleStatus.not_started,
        )
    course = grouped[-1]
    last = course[-1]
    due_days = due_after_days(profile)
    next_due = last + timedelta(days=due_days)
    window_end = last + timedelta(days=max(DUE_WINDOW_END_DAYS, due_days))
    days_since = (today - last).days
    if days_since > NEW_COURSE_GAP_DAYS:
        status = ScheduleStatus.lapsed
    elif today > window_end:
        status = ScheduleStatus.overdue
    elif today >= next_due:
        status = ScheduleStatus.due
    else:
        status = ScheduleStatus.upcoming
    return TreatmentSchedule(
        last_session=last,
        next_due=next_due,
        earliest=earliest_date(course, profile=profile),
        window_start=next_due,
        window_end=window_end,
        sessions_in_course=len(course),
        course_first_session=course[0],
        review_due=course[0] + timedelta(weeks=profile.review_weeks),
        status=status,
        course_number=len(grouped),
        booking_reminder_on=last + timedelta(days=BOOKING_REMINDER_DAYS_AFTER_SESSION),
    )


def booking_check(
    session_dates: Sequence[date],
    proposed: date,
    *,
    profile: PayerProfile = DEFAULT_PAYER_PROFILE,
    override_reason: str | None = None,
) -> BookingDecision:
    """May a session be booked on ``proposed``? See the module docstring for the rules."""
    if not session_dates:
        return BookingDecision(True, "First session: no interval applies", False)
    last = max(session_dates)
    earliest = earliest_date(session_dates, profile=profile)
    assert earliest is not None  # there are sessions
    days = (proposed - last).days
    after_last = f"{days} days after the last session on {last.isoformat()}"
    if proposed >= earliest:
        if days > NEW_COURSE_GAP_DAYS:
            note = f"; more than {NEW_COURSE_GAP_DAYS} days, so it starts a new course"
        elif days > DUE_WINDOW_END_DAYS:
            note = f"; after the {RETREATMENT_INTERVAL_DAYS}-{DUE_WINDOW_END_DAYS} day due window"
        else:
            note = ""
        return BookingDecision(
            True, f"{proposed.isoformat()} is {after_last}{note}", False, earliest
        )

    refusal = (
        f"earliest date is {earliest.isoformat()}, {profile.min_interval_days} days after the "
        f"last session on {last.isoformat()}; {proposed.isoformat()} is only {days} days after"
    )
    reason = (override_reason or "").strip()
    if not reason:
        return BookingDecision(False, refusal[0].upper() + refusal[1:], False, earliest)
    floor_days = (
        profile.shortened_interval_days
        if profile.shortened_interval_days is not None
        else MIN_OVERRIDE_INTERVAL_DAYS
    )
    floor = last + timedelta(days=floor_days)
    if proposed < floor:
        source = (
            f"{profile.name} allows re-treatment no sooner than {floor_days} days, even for "
            "documented wearing-off"
            if profile.shortened_interval_days is not None
            else f"an override cannot go below {floor_days} days (10 weeks)"
        )
        return BookingDecision(
            False,
            f"Refused even with an override: {source}; the earliest overridable date is "
            f"{floor.isoformat()}, {floor_days} days after the last session on "
            f"{last.isoformat()}; {proposed.isoformat()} is only {days} days after (without "
            f"an override the earliest date is {earliest.isoformat()})",
            False,
            earliest,
        )
    return BookingDecision(True, f"Allowed by override ({reason}); {refusal}", True, earliest)


class TreatmentStage(StrEnum):
    """Where the patient is in treatment (see the module docstring)."""

    work_up = "work_up"
    first_course = "first_course"
    maintenance = "maintenance"
    stopped = "stopped"

    @property
    def label(self) -> str:
        return {
            "work_up": "Work-up (no session yet)",
            "first_course": "First course",
            "maintenance": "Maintenance",
            "stopped": "Stopped or lapsed",
        }[self.value]


def treatment_stage(session_dates: Iterable[date], today: date) -> TreatmentStage:
    """Where the patient is in treatment (see the module docstring)."""
    sessions = sorted(set(session_dates))
    if not sessions:
        return TreatmentStage.work_up
    if (today - sessions[-1]).days > NEW_COURSE_GAP_DAYS:
        return TreatmentStage.stopped
    if today < sessions[0] + timedelta(weeks=COURSE_REVIEW_WEEKS):
        return TreatmentStage.first_course
    return TreatmentStage.maintenance
