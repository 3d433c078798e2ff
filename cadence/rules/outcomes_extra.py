"""Outcome computations from *counts* (as SQL aggregates return them), and the small rules
the outcomes app needs beyond ``cadence.rules.outcomes`` (clinic-reference.md sections 3, 4).

Pure Python: no Django, no I/O.

Why this module exists: the outcomes app counts diary days in the database (conditional
aggregates) instead of loading every diary row. These functions turn those counts into the
*same* result types the pure rules produce (``PeriodMetrics``, ``EffectCurve``,
``OveruseFlag``), so a SQL count and ``period_metrics`` on the same diary give equal
results (checked by hypothesis properties in tests/test_outcomes_extra.py).

Public API
----------
``period_from_counts(start, end, days_recorded, counts, as_of=None) -> PeriodMetrics``
    Same scaling and coverage rules as ``outcomes.period_metrics``.
``effect_curve_from_counts(session_date, next_session_date, as_of, week_counts,
pre_session=None) -> EffectCurve``
    ``week_counts``: ``{week: (days_recorded, headache_days)}``; ``pre_session``:
    ``(days_recorded, headache_days)`` of the 28 days before the session. Delegates to
    ``outcomes.cycle_effect_curve`` (onset, best week and completeness stay its rules).
``overuse_from_counts(periods, as_of) -> OveruseFlag``
    ``periods``: three ``OveruseCounts`` (oldest first) for the 28-day periods ending on
    ``as_of``; the same thresholds as ``outcomes.medication_overuse``.
``overuse_day_flags(drug_classes) -> (is_overuse_class_day, is_simple_analgesic_day)``
    The two stored diary columns medication-overuse counting needs, for the diary app.
``overuse_windows(as_of) -> list[(start, end)]``  the 3 periods ending on ``as_of``.
``treatment_stage(session_dates, today) -> TreatmentStage``
``WEEK_24_PERIOD_INDEX``: the follow-up period (0-based) that ends at week 24.
``shorter_interval_suggestion(detected, shortened_interval_days) -> str | None``

Interpretation choices (Cadence defaults, documented here)
----------------------------------------------------------
* **Stage**: ``work_up`` (no session yet); ``first_course`` (the response review of the
  first course, ``COURSE_REVIEW_WEEKS`` after the first session, is not reached yet);
  ``maintenance`` (review reached and the last session at most ``NEW_COURSE_GAP_DAYS``
  (180) days ago); ``stopped`` (more than 180 days since the last session: treatment
  lapsed or stopped).
* **Responder "at 24 weeks"**: the 6th consecutive 28-day follow-up period (days 140-167
  after the first session), i.e. the period ending at week 24 (PREEMPT's endpoint).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from cadence.rules.diary import AcuteDrugClass, DayClassification
from cadence.rules.outcomes import (
    OVERUSE_MIX_CLASSES,
    OVERUSE_PERIODS,
    OVERUSE_SIMPLE_ANALGESIC_DAYS,
    OVERUSE_SPECIFIC_CLASSES,
    OVERUSE_SPECIFIC_DAYS,
    PERIOD_DAYS,
    EffectCurve,
    OveruseFlag,
    OverusePeriod,
    RecordedDay,
    cycle_effect_curve,
    period_from_counts,
)
from cadence.rules.schedule import COURSE_REVIEW_WEEKS, NEW_COURSE_GAP_DAYS

__all__ = [
    "WEEK_24_PERIOD_INDEX",
    "OveruseCounts",
    "TreatmentStage",
    "effect_curve_from_counts",
    "overuse_day_flags",
    "overuse_from_counts",
    "overuse_windows",
    "period_from_counts",
    "shorter_interval_suggestion",
    "treatment_stage",
]

_MAX_HOURS_PER_DAY = 24
_DAYS_PER_WEEK = 7
#: Follow-up period index (0-based) whose end is week 24: (24 weeks x 7) / 28 - 1 = 5.
WEEK_24_PERIOD_INDEX: int = COURSE_REVIEW_WEEKS * _DAYS_PER_WEEK // PERIOD_DAYS - 1


_HEADACHE = DayClassification(is_headache_day=True)
_NO_HEADACHE = DayClassification()


def _representative_days(first: date, recorded: int, headache: int) -> list[RecordedDay]:
    """``recorded`` days from ``first`` on, the first ``headache`` of them headache days.

    The effect-curve rule only counts recorded and headache days per week (and per
    pre-session window), so representative days give the same curve as the real ones.
    """
    recorded = max(0, int(recorded))
    headache = max(0, min(int(headache), recorded))
    return [
        RecordedDay(
            on=first + timedelta(days=i), classification=_HEADACHE if i < headache else _NO_HEADACHE
        )
        for i in range(recorded)
    ]


def effect_curve_from_counts(
    session_date: date,
    next_session_date: date | None,
    as_of: date | None,
    week_counts: Mapping[int, tuple[int, int]],
    pre_session: tuple[int, int] | None = None,
) -> EffectCurve:
    """The cycle's ``EffectCurve`` from weekly ``(days_recorded, headache_days)`` counts.

    Counts must already respect the cycle's end (days before ``next_session_date`` and on
    or before ``as_of``), as the SQL in the outcomes app does.
    """
    days: list[RecordedDay] = []
    for week, (recorded, headache) in week_counts.items():
        if not 1 <= int(week) <= 12:
            continue
        first = session_date + timedelta(days=_DAYS_PER_WEEK * (int(week) - 1))
        days.extend(_representative_days(first, min(int(recorded), _DAYS_PER_WEEK), headache))
    if pre_session is not None:
        recorded, headache = pre_session
        first = session_date - timedelta(days=PERIOD_DAYS)
        days.extend(_representative_days(first, min(int(recorded), PERIOD_DAYS), headache))
    return cycle_effect_curve(days, session_date, next_session_date, as_of)


@dataclass(frozen=True, slots=True)
class OveruseCounts:
    """Raw medication-overuse counts of one 28-day period."""

    start: date
    end: date
    days_recorded: int
    specific_or_mix_days: int
    simple_analgesic_days: int


def overuse_windows(as_of: date) -> list[tuple[date, date]]:
    """The ``OVERUSE_PERIODS`` consecutive 28-day periods ending on ``as_of``, oldest first."""
    windows = []
    for k in range(OVERUSE_PERIODS - 1, -1, -1):
        end = as_of - timedelta(days=PERIOD_DAYS * k)
        windows.append((end - timedelta(days=PERIOD_DAYS - 1), end))
    return windows


def overuse_day_flags(drug_classes: Iterable[str]) -> tuple[bool, bool]:
    """``(is_overuse_class_day, is_simple_analgesic_day)`` for one day's acute classes.

    An overuse-class day is a day with a triptan, ergot, opioid or combination analgesic,
    or a mix of 2+ different classes from ``OVERUSE_MIX_CLASSES`` (as medication_overuse
    counts it)."""
    classes = set()
    for value in drug_classes:
        try:
            classes.add(AcuteDrugClass(value))
        except ValueError:
            continue
    mix = len(classes & OVERUSE_MIX_CLASSES) >= 2
    return bool(
        mix or classes & OVERUSE_SPECIFIC_CLASSES
    ), AcuteDrugClass.simple_analgesic in classes


def overuse_from_counts(periods: Sequence[OveruseCounts], as_of: date) -> OveruseFlag:
    """The medication-overuse flag from the counts of the 3 periods ending on ``as_of``."""
    built = tuple(
        OverusePeriod(
            start=p.start,
            end=p.end,
            days_recorded=p.days_recorded,
            specific_or_mix_days=p.specific_or_mix_days,
            simple_analgesic_days=p.simple_analgesic_days,
            mix_days=0,
            met=p.specific_or_mix_days >= OVERUSE_SPECIFIC_DAYS
            or p.simple_analgesic_days >= OVERUSE_SIMPLE_ANALGESIC_DAYS,
        )
        for p in periods
    )
    flagged = len(built) == OVERUSE_PERIODS and all(p.met for p in built)
    summary = "; ".join(
        f"{p.start.isoformat()} to {p.end.isoformat()}: {p.specific_or_mix_days} days of "
        f"triptans/ergots/opioids/combination analgesics or mixed classes, "
        f"{p.simple_analgesic_days} days of simple analgesics"
        for p in built
    )
    if flagged:
        head = (
            f"Possible medication-overuse headache: acute medicine at or above the ICHD-3 8.2 "
            f"threshold ({OVERUSE_SPECIFIC_DAYS}+ days of specific or mixed classes, or "
            f"{OVERUSE_SIMPLE_ANALGESIC_DAYS}+ days of simple analgesics) in each of the last "
            f"{OVERUSE_PERIODS} 28-day periods"
        )
    else:
        met = sum(p.met for p in built)
        head = f"No medication-overuse flag: threshold met in {met} of the last {OVERUSE_PERIODS} 28-day periods"
    return OveruseFlag(flagged=flagged, detail=f"{head}. {summary}", periods=built)


class TreatmentStage(StrEnum):
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
    """Where the patient is in treatment (see module docstring)."""
    sessions = sorted(set(session_dates))
    if not sessions:
        return TreatmentStage.work_up
    if (today - sessions[-1]).days > NEW_COURSE_GAP_DAYS:
        return TreatmentStage.stopped
    if today < sessions[0] + timedelta(weeks=COURSE_REVIEW_WEEKS):
        return TreatmentStage.first_course
    return TreatmentStage.maintenance


def shorter_interval_suggestion(detected: bool, shortened_interval_days: int | None) -> str | None:
    """What to suggest when wearing-off is detected (section 3: "it can justify a shorter
    interval where payers allow"). ``None`` when nothing is detected."""
    if not detected:
        return None
    if shortened_interval_days is not None:
        weeks = shortened_interval_days / _DAYS_PER_WEEK
        return (
            f"Consider a shorter interval: this patient's payer allows re-treatment after "
            f"{shortened_interval_days} days ({weeks:g} weeks) for documented wearing-off."
        )
    return (
        "This patient's payer profile does not allow a shorter interval; document the "
        "wearing-off and consider other options within the 12-week rhythm."
    )
