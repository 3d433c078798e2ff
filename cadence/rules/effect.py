"""The course after a session: the effect curve and wearing-off (clinic-reference.md
section 3).

Pure Python: no Django, no I/O. Input is ``RecordedDay`` records
(``cadence.rules.outcomes.recorded_day``) and session dates, or weekly counts as SQL
aggregates return them (``effect_curve_from_counts`` gives the same curve).

Public API
----------
Data
    ``WeekPoint``, ``EffectCurve``, ``CycleWearingOff``, ``WearingOff``.
Functions
    ``cycle_effect_curve(days, session_date, next_session_date=None, as_of=None, ...)
        -> EffectCurve``
    ``effect_curve_from_counts(session_date, next_session_date, as_of, week_counts,
    pre_session=None) -> EffectCurve``
        ``week_counts``: ``{week: (days_recorded, headache_days)}``; ``pre_session``:
        ``(days_recorded, headache_days)`` of the 28 days before the session. Delegates to
        ``cycle_effect_curve`` (onset, best week and completeness stay its rules).
    ``wearing_off(curves, recent_cycles=2, ...) -> WearingOff``
    ``shorter_interval_suggestion(detected, shortened_interval_days) -> str | None``
Constants
    ``EFFECT_CURVE_WEEKS`` (the 12-week re-treatment interval), the effect-curve and
    wearing-off thresholds (below).

Conventions and interpretation choices
--------------------------------------
* **Effect curve**: week ``n`` (1-12) covers days ``7(n-1) .. 7n-1`` after the session
  (day 0 is the session date). A week needs ``MIN_RECORDED_DAYS_PER_WEEK`` (4) recorded
  days, otherwise its ``headache_days`` is ``None``; ``headache_days`` is scaled to 7 days
  (``raw * 7 / days_recorded``, 1 decimal). Days on or after the next session belong to
  the next cycle. The **pre-session baseline rate** is headache days per week over the
  28 days before the session (needs ``MIN_RECORDED_DAYS`` recorded days, else ``None``).
  **Onset week** = first week whose rate is clearly below that baseline: at least
  ``ONSET_MIN_DROP_DAYS_PER_WEEK`` (1) fewer headache days per week AND at least
  ``ONSET_MIN_DROP_PERCENT`` (30 %, the reference's partial-response size) lower.
  **Best week** = the week with the fewest headache days (earliest on ties).
* **Wearing-off**: mean headache days per week in weeks 9-12 ("late") vs weeks 3-8
  ("middle"), section 3. Detected when, in **each** of the ``recent_cycles`` most recent
  complete cycles, the late mean is at least ``WEARING_OFF_MIN_INCREASE_DAYS`` (1
  headache day per week) higher AND at least ``WEARING_OFF_MIN_INCREASE_PERCENT`` (50 %)
  higher than the middle mean. The reference gives no number: these thresholds are a
  conservative Cadence default, configurable through the function's parameters. A cycle
  needs ``WEARING_OFF_MIN_MIDDLE_WEEKS`` (3) middle weeks and
  ``WEARING_OFF_MIN_LATE_WEEKS`` (2) late weeks with data to be judged.
* **Shorter interval**: section 3, wearing-off "can justify a shorter interval where
  payers allow": the suggestion names the payer's shortened interval, if it has one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cadence.rules.diary import NO_HEADACHE, DayClassification
from cadence.rules.outcomes import (
    MIN_RECORDED_DAYS,
    PARTIAL_PERCENT,
    PERIOD_DAYS,
    RecordedDay,
    days_by_date,
)
from cadence.rules.payer import RETREATMENT_WEEKS

__all__ = [
    "EFFECT_CURVE_WEEKS",
    "MIN_RECORDED_DAYS_PER_WEEK",
    "ONSET_MIN_DROP_DAYS_PER_WEEK",
    "ONSET_MIN_DROP_PERCENT",
    "WEARING_OFF_LATE_WEEKS",
    "WEARING_OFF_MIDDLE_WEEKS",
    "WEARING_OFF_MIN_INCREASE_DAYS",
    "WEARING_OFF_MIN_INCREASE_PERCENT",
    "WEARING_OFF_MIN_LATE_WEEKS",
    "WEARING_OFF_MIN_MIDDLE_WEEKS",
    "WEARING_OFF_RECENT_CYCLES",
    "CycleWearingOff",
    "EffectCurve",
    "WearingOff",
    "WeekPoint",
    "cycle_effect_curve",
    "effect_curve_from_counts",
    "shorter_interval_suggestion",
    "wearing_off",
]

# --- Section 3: the course after a session ---------------------------------------------
#: Re-treatment every 12 weeks: the effect curve spans weeks 1-12.
EFFECT_CURVE_WEEKS: int = RETREATMENT_WEEKS
_DAYS_PER_WEEK = 7
#: A week of the effect curve needs this many recorded days (Cadence default).
MIN_RECORDED_DAYS_PER_WEEK: int = 4
#: Onset = first week at least this many headache days/week below the pre-session rate...
ONSET_MIN_DROP_DAYS_PER_WEEK: float = 1.0
#: ... and at least this many percent below it (the reference's "partial" size).
ONSET_MIN_DROP_PERCENT: float = PARTIAL_PERCENT
#: "weeks 9-12 compared with the middle weeks (weeks 3-8)" (section 3).
WEARING_OFF_LATE_WEEKS: tuple[int, ...] = (9, 10, 11, 12)
WEARING_OFF_MIDDLE_WEEKS: tuple[int, ...] = (3, 4, 5, 6, 7, 8)
#: Conservative Cadence defaults (the reference gives no number).
WEARING_OFF_MIN_INCREASE_DAYS: float = 1.0
WEARING_OFF_MIN_INCREASE_PERCENT: float = 50.0
WEARING_OFF_RECENT_CYCLES: int = 2
WEARING_OFF_MIN_MIDDLE_WEEKS: int = 3
WEARING_OFF_MIN_LATE_WEEKS: int = 2

_EPS = 1e-9


# =======================================================================================
# Effect curve and wearing-off
# =======================================================================================


@dataclass(frozen=True, slots=True)
class WeekPoint:
    """Headache days in one week after a session (scaled to 7 days; ``None`` if sparse)."""

    week: int
    headache_days: float | None
    days_recorded: int
    raw_headache_days: int = 0


@dataclass(frozen=True, slots=True)
class EffectCurve:
    """Headache days per week across one treatment cycle."""

    weeks: list[WeekPoint]
    onset_week: int | None
    best_week: int | None
    session_date: date | None = None
    next_session_date: date | None = None
    baseline_rate: float | None = None  # headache days/week in the 28 days before
    complete: bool = False

    def week(self, n: int) -> WeekPoint | None:
        """The point for week ``n`` (1-based), or ``None`` if beyond the curve."""
        return self.weeks[n - 1] if 1 <= n <= len(self.weeks) else None


def cycle_effect_curve(
    days: Iterable[RecordedDay] | Mapping[object, RecordedDay],
    session_date: date,
    next_session_date: date | None = None,
    as_of: date | None = None,
    *,
    min_days_per_week: int = MIN_RECORDED_DAYS_PER_WEEK,
    weeks: int = EFFECT_CURVE_WEEKS,
    baseline_rate: float | None = None,
    onset_min_drop_days: float = ONSET_MIN_DROP_DAYS_PER_WEEK,
    onset_min_drop_percent: float = ONSET_MIN_DROP_PERCENT,
) -> EffectCurve:
    """Weekly headache days after ``session_date`` (see module docstring).

    ``baseline_rate`` overrides the pre-session rate computed from the 28 days before the
    session. The cycle is ``complete`` when the next session is known or ``as_of`` is past
    the last curve week.
    """
    if min_days_per_week < 1:
        raise ValueError("min_days_per_week must be at least 1")
    by_date = days_by_date(days)
    if baseline_rate is None:
        pre = [
            by_date[d]
            for k in range(1, PERIOD_DAYS + 1)
            if (d := session_date - timedelta(days=k)) in by_date
        ]
        if len(pre) >= MIN_RECORDED_DAYS:
            baseline_rate = round(
                sum(x.classification.is_headache_day for x in pre) * _DAYS_PER_WEEK / len(pre), 2
            )
    points: list[WeekPoint] = []
    for n in range(1, weeks + 1):
        first = session_date + timedelta(days=_DAYS_PER_WEEK * (n - 1))
        in_week = []
        for k in range(_DAYS_PER_WEEK):
            on = first + timedelta(days=k)
            if next_session_date is not None and on >= next_session_date:
                break
            if as_of is not None and on > as_of:
                break
            if on in by_date:
                in_week.append(by_date[on])
        raw = sum(d.classification.is_headache_day for d in in_week)
        value = (
            round(raw * _DAYS_PER_WEEK / len(in_week), 1)
            if len(in_week) >= min_days_per_week
            else None
        )
        points.append(
            WeekPoint(
                week=n, headache_days=value, days_recorded=len(in_week), raw_headache_days=raw
            )
        )
    onset: int | None = None
    if baseline_rate is not None:
        for p in points:
            if p.headache_days is None:
                continue
            drop = baseline_rate - p.headache_days
            if drop >= onset_min_drop_days - _EPS and drop * 100 >= (
                onset_min_drop_percent * baseline_rate - _EPS
            ):
                onset = p.week
                break
    with_data = [p for p in points if p.headache_days is not None]
    best = min(with_data, key=lambda p: (p.headache_days, p.week)).week if with_data else None
    last_day = session_date + timedelta(days=_DAYS_PER_WEEK * weeks - 1)
    complete = next_session_date is not None or (as_of is not None and as_of > last_day)
    return EffectCurve(
        weeks=points,
        onset_week=onset,
        best_week=best,
        session_date=session_date,
        next_session_date=next_session_date,
        baseline_rate=baseline_rate,
        complete=complete,
    )


@dataclass(frozen=True, slots=True)
class CycleWearingOff:
    """The wearing-off comparison for one cycle."""

    session_date: date | None
    middle_mean: float | None
    late_mean: float | None
    worse: bool
    note: str


@dataclass(frozen=True, slots=True)
class WearingOff:
    """Whether headache frequency rises in weeks 9-12 vs weeks 3-8 (section 3)."""

    detected: bool
    evidence: str
    late_mean: float | None
    middle_mean: float | None
    cycles_considered: int
    cycles: tuple[CycleWearingOff, ...] = ()


def _mean_of(curve: EffectCurve, week_numbers: Sequence[int]) -> tuple[float | None, int]:
    values = [
        p.headache_days
        for n in week_numbers
        if (p := curve.week(n)) is not None and p.headache_days is not None
    ]
    return (sum(values) / len(values) if values else None), len(values)


def wearing_off(
    curves: Sequence[EffectCurve],
    recent_cycles: int = WEARING_OFF_RECENT_CYCLES,
    *,
    min_increase_days: float = WEARING_OFF_MIN_INCREASE_DAYS,
    min_increase_percent: float = WEARING_OFF_MIN_INCREASE_PERCENT,
    min_middle_weeks: int = WEARING_OFF_MIN_MIDDLE_WEEKS,
    min_late_weeks: int = WEARING_OFF_MIN_LATE_WEEKS,
) -> WearingOff:
    """Detect wearing-off in the ``recent_cycles`` most recent complete cycles.

    Curves are ordered by ``session_date`` (curves without one keep their given order and
    come first). Incomplete cycles are ignored. Every considered cycle must have enough
    data and be "clearly worse" late than in the middle weeks (see module docstring).
    """
    if recent_cycles < 1:
        raise ValueError("recent_cycles must be at least 1")
    complete = [c for c in curves if c.complete]
    ordered = sorted(
        enumerate(complete),
        key=lambda ic: (ic[1].session_date is not None, ic[1].session_date or date.min, ic[0]),
    )
    considered = [c for _, c in ordered][-recent_cycles:]
    results: list[CycleWearingOff] = []
    for curve in considered:
        middle, n_middle = _mean_of(curve, WEARING_OFF_MIDDLE_WEEKS)
        late, n_late = _mean_of(curve, WEARING_OFF_LATE_WEEKS)
        if middle is None or late is None or n_middle < min_middle_weeks or n_late < min_late_weeks:
            results.append(
                CycleWearingOff(
                    curve.session_date,
                    middle,
                    late,
                    False,
                    f"not enough diary data ({n_middle} middle weeks, {n_late} late weeks; "
                    f"{min_middle_weeks} and {min_late_weeks} needed)",
                )
            )
            continue
        increase = late - middle
        worse = increase >= min_increase_days - _EPS and late * 100 >= (
            middle * (100 + min_increase_percent) - _EPS
        )
        results.append(
            CycleWearingOff(
                curve.session_date,
                round(middle, 2),
                round(late, 2),
                worse,
                f"weeks 9-12 mean {late:.1f} vs weeks 3-8 mean {middle:.1f} headache days/week",
            )
        )
    judged = [r for r in results if r.middle_mean is not None and r.late_mean is not None]
    middle_mean = (
        round(sum(r.middle_mean for r in judged) / len(judged), 2) if judged else None  # type: ignore[misc]
    )
    late_mean = (
        round(sum(r.late_mean for r in judged) / len(judged), 2) if judged else None  # type: ignore[misc]
    )
    if len(considered) < recent_cycles:
        detected = False
        evidence = (
            f"only {len(considered)} complete cycle(s) recorded; {recent_cycles} needed to "
            f"judge wearing-off"
        )
    else:
        detected = all(r.worse for r in results)
        verdict = (
            "headache days rise clearly in weeks 9-12 in each of the last "
            if detected
            else "no clear wearing-off across the last "
        )
        evidence = (
            verdict
            + f"{len(results)} complete cycle(s). "
            + "; ".join(
                f"{r.session_date.isoformat() if r.session_date else 'cycle'}: {r.note}"
                for r in results
            )
        )
    return WearingOff(
        detected=detected,
        evidence=evidence,
        late_mean=late_mean,
        middle_mean=middle_mean,
        cycles_considered=len(considered),
        cycles=tuple(results),
    )


# =======================================================================================
# From counts (SQL aggregates)
# =======================================================================================


_HEADACHE = DayClassification(is_headache_day=True)


def _representative_days(first: date, recorded: int, headache: int) -> list[RecordedDay]:
    """``recorded`` days from ``first`` on, the first ``headache`` of them headache days.

    The effect-curve rule only counts recorded and headache days per week (and per
    pre-session window), so representative days give the same curve as the real ones.
    """
    recorded = max(0, int(recorded))
    headache = max(0, min(int(headache), recorded))
    return [
        RecordedDay(
            on=first + timedelta(days=i), classification=_HEADACHE if i < headache else NO_HEADACHE
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
        if not 1 <= int(week) <= EFFECT_CURVE_WEEKS:
            continue
        first = session_date + timedelta(days=_DAYS_PER_WEEK * (int(week) - 1))
        days.extend(_representative_days(first, min(int(recorded), _DAYS_PER_WEEK), headache))
    if pre_session is not None:
        recorded, headache = pre_session
        first = session_date - timedelta(days=PERIOD_DAYS)
        days.extend(_representative_days(first, min(int(recorded), PERIOD_DAYS), headache))
    return cycle_effect_curve(days, session_date, next_session_date, as_of)


# =======================================================================================
# What to suggest
# =======================================================================================


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
        f"wearing-off and consider other options within the {RETREATMENT_WEEKS}-week rhythm."
    )
