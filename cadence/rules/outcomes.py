"""Measure the response to treatment from diary days (clinic-reference.md sections 1, 3, 4).

Pure Python: no Django, no I/O. Input is plain data: ``RecordedDay`` records (one per
diary date; build them with ``recorded_day(on, facts)``) and procedure dates.

Public API
----------
Data
    ``RecordedDay(on, classification, headache_hours, acute_drug_classes)``
    ``PeriodCounts`` (raw integer counts), ``PeriodMetrics`` (one 28-day period),
    ``Response``, ``OverusePeriod``, ``OveruseFlag``, ``WeekPoint``, ``EffectCurve``,
    ``CycleWearingOff``, ``WearingOff``, ``OutcomeSummary``, ``PreemptReference``.
Enums
    ``ResponderRule`` (percent_50, fewer_7_days), ``ResponseStatus`` (responder, partial,
    non_responder, insufficient_data).
Functions
    ``recorded_day(on, facts) -> RecordedDay``
    ``period_metrics(days, start, end, as_of=None) -> PeriodMetrics``
    ``baseline_window(first_procedure) -> tuple[date, date]``
    ``follow_up_windows(first_procedure, until) -> list[tuple[date, date]]``
    ``response(baseline, periods, rule=ResponderRule.percent_50) -> Response``
    ``outcome_summary(days, procedure_dates, as_of, rule=...) -> OutcomeSummary``
        (baseline + follow-up periods + response: the API's "Outcomes" object)
    ``medication_overuse(days, as_of) -> OveruseFlag``
    ``cycle_effect_curve(days, session_date, next_session_date=None, as_of=None, ...)
        -> EffectCurve``
    ``wearing_off(curves, recent_cycles=2, ...) -> WearingOff``
Constants
    ``PERIOD_DAYS`` 28, ``MIN_RECORDED_DAYS`` 20, ``RESPONDER_PERCENT`` 50,
    ``PARTIAL_PERCENT`` 30, ``ALT_RESPONDER_DAYS`` 7, ``PREEMPT`` (benchmark),
    medication-overuse, effect-curve and wearing-off thresholds (below).

Conventions and interpretation choices
--------------------------------------
* **Periods are inclusive** of both ``start`` and ``end`` (a 28-day period is
  ``start .. start + 27``). ``days`` outside the range are ignored; a date recorded
  twice counts once (the last record wins). A day with no diary entry is *unrecorded*,
  not headache-free.
* **Scaling**: when a period has at least ``MIN_RECORDED_DAYS`` (20) recorded days, each
  count is ``raw * 28 / days_recorded`` rounded to 1 decimal and capped at 28 (headache
  hours are scaled the same way, capped at 28 x 24). With fewer recorded days every
  count is ``None`` (insufficient). ``coverage`` is ``days_recorded / period length``.
* **complete**: a period is complete when it has ended, i.e. ``as_of > end`` (the
  ``end`` day itself is still being lived on ``as_of == end``). With ``as_of=None`` the
  caller asserts the period is historical and it is marked complete.
* **Follow-up windows** are consecutive 28-day windows starting on the first procedure's
  date; every window that has started by ``until`` is listed (the last may be running).
* **Response** compares the latest *complete* follow-up period with non-null counts to
  the baseline. ``headache_day_change`` = period - baseline (negative is better);
  ``percent_change`` = change / baseline x 100. Both are rounded to 1 decimal for
  display; the status is decided on exact values. Status with rule ``percent_50``:
  responder at a reduction >= 50 %, partial at >= 30 % and < 50 %. With rule
  ``fewer_7_days``: responder at a change <= -7 days; otherwise partial when the
  reduction is >= 30 %. A baseline with 0 headache days gives ``insufficient_data``
  (percent change undefined; nothing to halve).
* **Medication overuse** (ICHD-3 8.2, section 1): a 28-day period "meets" the criterion
  when on >= 10 days the patient took a triptan, ergot, opioid or combination analgesic,
  *or* a mix of acute classes, or on >= 15 days a simple analgesic. A **mix day** is a
  day on which 2 or more *different* classes from ``OVERUSE_MIX_CLASSES`` (triptan,
  ergot, opioid, combination analgesic, simple analgesic, gepant -- antiemetics and
  "other" are adjuncts/unknown and do not make a mix) were taken; mix days count toward
  the 10-day threshold together with the single-class days above (each day once).
  "Sustained for more than 3 months" = the criterion is met in **each of the 3
  consecutive 28-day periods** ending on ``as_of`` (84 days). Days are counted raw
  (never scaled) and unrecorded days count as no medicine, so gaps can only hide, never
  create, a flag; medicine is counted from ``acute_drug_classes`` even on a day without
  headache.
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
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from cadence.rules.diary import AcuteDrugClass, DayClassification, DiaryDayFacts, classify_day

__all__ = [
    "ALT_RESPONDER_DAYS",
    "EFFECT_CURVE_WEEKS",
    "MIN_RECORDED_DAYS",
    "MIN_RECORDED_DAYS_PER_WEEK",
    "ONSET_MIN_DROP_DAYS_PER_WEEK",
    "ONSET_MIN_DROP_PERCENT",
    "OVERUSE_MIX_CLASSES",
    "OVERUSE_PERIODS",
    "OVERUSE_SIMPLE_ANALGESIC_DAYS",
    "OVERUSE_SPECIFIC_CLASSES",
    "OVERUSE_SPECIFIC_DAYS",
    "PARTIAL_PERCENT",
    "PERIOD_DAYS",
    "PREEMPT",
    "RESPONDER_PERCENT",
    "WEARING_OFF_LATE_WEEKS",
    "WEARING_OFF_MIDDLE_WEEKS",
    "WEARING_OFF_MIN_INCREASE_DAYS",
    "WEARING_OFF_MIN_INCREASE_PERCENT",
    "WEARING_OFF_MIN_LATE_WEEKS",
    "WEARING_OFF_MIN_MIDDLE_WEEKS",
    "WEARING_OFF_RECENT_CYCLES",
    "CycleWearingOff",
    "EffectCurve",
    "OutcomeSummary",
    "OveruseFlag",
    "OverusePeriod",
    "PeriodCounts",
    "PeriodMetrics",
    "PreemptReference",
    "RecordedDay",
    "ResponderRule",
    "Response",
    "ResponseStatus",
    "WearingOff",
    "WeekPoint",
    "baseline_window",
    "cycle_effect_curve",
    "follow_up_windows",
    "medication_overuse",
    "outcome_summary",
    "period_metrics",
    "recorded_day",
    "response",
    "wearing_off",
]

# --- Section 4: measuring the response -------------------------------------------------
#: "Periods are 28 days (trial convention)."
PERIOD_DAYS: int = 28
#: "A period counts only when the diary covers at least 20 of its 28 days."
MIN_RECORDED_DAYS: int = 20
#: "Responder ...: at least 50% fewer headache days than baseline."
RESPONDER_PERCENT: int = 50
#: "a 30% reduction is 'partial'."
PARTIAL_PERCENT: int = 30
#: "Alternative payer rule: at least 7 fewer headache days."
ALT_RESPONDER_DAYS: int = 7
_MAX_HOURS_PER_DAY = 24


@dataclass(frozen=True, slots=True)
class PreemptReference:
    """PREEMPT pooled week-24 benchmark (section 4), the reference line in reports."""

    baseline_headache_days: float = 20.0  # "from a baseline of about 20"
    headache_day_change_active: float = -8.4  # "fell by 8.4 a 28-day period"
    headache_day_change_placebo: float = -6.6  # "against 6.6 on placebo"
    responder_rate_active_percent: float = 47.0  # "roughly 47% ... 50% or greater reduction"
    responder_rate_placebo_percent: float = 35.0  # "against 35% on placebo"


PREEMPT = PreemptReference()

# --- Section 1: medication-overuse headache (ICHD-3 8.2) -------------------------------
#: "triptans, ergots, opioids, combination analgesics or a mix of acute classes on 10 or
#: more days" in a 28-day period.
OVERUSE_SPECIFIC_DAYS: int = 10
OVERUSE_SPECIFIC_CLASSES: frozenset[AcuteDrugClass] = frozenset(
    {
        AcuteDrugClass.triptan,
        AcuteDrugClass.ergot,
        AcuteDrugClass.opioid,
        AcuteDrugClass.combination_analgesic,
    }
)
#: Classes whose combination on one day makes a "mix of acute classes" day (see docstring).
OVERUSE_MIX_CLASSES: frozenset[AcuteDrugClass] = OVERUSE_SPECIFIC_CLASSES | {
    AcuteDrugClass.simple_analgesic,
    AcuteDrugClass.gepant,
}
#: "simple analgesics (paracetamol, NSAIDs, aspirin) on 15 or more days".
OVERUSE_SIMPLE_ANALGESIC_DAYS: int = 15
#: "sustained for more than 3 months" = met in each of the last 3 consecutive 28-day periods.
OVERUSE_PERIODS: int = 3

# --- Section 3: the course after a session ---------------------------------------------
#: Re-treatment every 12 weeks: the effect curve spans weeks 1-12.
EFFECT_CURVE_WEEKS: int = 12
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
# Data
# =======================================================================================


@dataclass(frozen=True, slots=True)
class RecordedDay:
    """One recorded diary day, already classified."""

    on: date
    classification: DayClassification
    headache_hours: float = 0.0
    acute_drug_classes: frozenset[AcuteDrugClass] = frozenset()


def recorded_day(on: date, facts: DiaryDayFacts) -> RecordedDay:
    """Build a ``RecordedDay`` from a diary day's raw facts."""
    try:
        hours_value = float(facts.headache_hours)
    except (TypeError, ValueError):
        hours_value = 0.0
    if not math.isfinite(hours_value):
        hours_value = 0.0
    return RecordedDay(
        on=on,
        classification=classify_day(facts),
        headache_hours=min(max(hours_value, 0.0), float(_MAX_HOURS_PER_DAY)),
        acute_drug_classes=frozenset(AcuteDrugClass(m.drug_class) for m in facts.acute_medications),
    )


@dataclass(frozen=True, slots=True)
class PeriodCounts:
    """Raw (unscaled) counts of the recorded days in a period."""

    headache_days: int = 0
    migraine_days: int = 0
    moderate_severe_days: int = 0
    acute_medication_days: int = 0
    triptan_days: int = 0
    headache_hours: float = 0.0


@dataclass(frozen=True, slots=True)
class PeriodMetrics:
    """One period's counts, scaled to 28 days; ``None`` counts when coverage < 20 days."""

    start: date
    end: date
    days_recorded: int
    headache_days: float | None
    migraine_days: float | None
    moderate_severe_days: float | None
    acute_medication_days: float | None
    triptan_days: float | None
    headache_hours: float | None
    coverage: float
    complete: bool = True
    scaled: bool = False
    raw: PeriodCounts = field(default_factory=PeriodCounts)

    @property
    def length_days(self) -> int:
        """Number of calendar days in the period (inclusive)."""
        return (self.end - self.start).days + 1

    @property
    def sufficient(self) -> bool:
        """Whether the period has enough recorded days to count."""
        return self.headache_days is not None


def _as_days(days: Iterable[RecordedDay] | Mapping[object, RecordedDay]) -> dict[date, RecordedDay]:
    values = days.values() if isinstance(days, Mapping) else days
    by_date: dict[date, RecordedDay] = {}
    for day in values:
        by_date[day.on] = day
    return by_date


def _scale(raw: float, days_recorded: int, cap: float) -> float:
    return round(min(raw * PERIOD_DAYS / days_recorded, cap), 1)


def period_metrics(
    days: Iterable[RecordedDay] | Mapping[object, RecordedDay],
    start: date,
    end: date,
    as_of: date | None = None,
) -> PeriodMetrics:
    """Counts for the inclusive period ``start .. end`` (see module docstring)."""
    if end < start:
        raise ValueError(f"period end {end} is before its start {start}")
    by_date = _as_days(days)
    in_range = [d for on, d in by_date.items() if start <= on <= end]
    raw = PeriodCounts(
        headache_days=sum(d.classification.is_headache_day for d in in_range),
        migraine_days=sum(d.classification.is_migraine_day for d in in_range),
        moderate_severe_days=sum(d.classification.is_moderate_severe_day for d in in_range),
        acute_medication_days=sum(d.classification.is_acute_medication_day for d in in_range),
        triptan_days=sum(d.classification.is_triptan_day for d in in_range),
        headache_hours=sum(
            min(max(float(d.headache_hours), 0.0), float(_MAX_HOURS_PER_DAY))
            for d in in_range
            if math.isfinite(d.headache_hours)
        ),
    )
    return period_from_counts(start, end, len(in_range), raw, as_of)


def period_from_counts(
    start: date,
    end: date,
    days_recorded: int,
    counts: PeriodCounts,
    as_of: date | None = None,
) -> PeriodMetrics:
    """A ``PeriodMetrics`` from raw counts of the inclusive period ``start .. end``
    (``counts.headache_hours`` is the raw sum). The SQL selectors count in the database
    and call this, so that coverage, scaling and the 20-day rule live in one place."""
    if end < start:
        raise ValueError(f"period end {end} is before its start {start}")
    length = (end - start).days + 1
    n = max(0, min(int(days_recorded), length))
    raw = PeriodCounts(
        headache_days=int(counts.headache_days),
        migraine_days=int(counts.migraine_days),
        moderate_severe_days=int(counts.moderate_severe_days),
        acute_medication_days=int(counts.acute_medication_days),
        triptan_days=int(counts.triptan_days),
        headache_hours=round(float(counts.headache_hours or 0.0), 1),
    )
    common = {
        "start": start,
        "end": end,
        "days_recorded": n,
        "coverage": round(n / length, 3),
        "complete": as_of is None or as_of > end,
        "raw": raw,
    }
    if n < MIN_RECORDED_DAYS:
        return PeriodMetrics(
            headache_days=None,
            migraine_days=None,
            moderate_severe_days=None,
            acute_medication_days=None,
            triptan_days=None,
            headache_hours=None,
            scaled=False,
            **common,  # type: ignore[arg-type]
        )
    return PeriodMetrics(
        headache_days=_scale(raw.headache_days, n, PERIOD_DAYS),
        migraine_days=_scale(raw.migraine_days, n, PERIOD_DAYS),
        moderate_severe_days=_scale(raw.moderate_severe_days, n, PERIOD_DAYS),
        acute_medication_days=_scale(raw.acute_medication_days, n, PERIOD_DAYS),
        triptan_days=_scale(raw.triptan_days, n, PERIOD_DAYS),
        headache_hours=_scale(raw.headache_hours, n, PERIOD_DAYS * _MAX_HOURS_PER_DAY),
        scaled=n != PERIOD_DAYS,
        **common,  # type: ignore[arg-type]
    )


def baseline_window(first_procedure: date) -> tuple[date, date]:
    """The 28 days before the first procedure: ``(first - 28, first - 1)``, inclusive."""
    return first_procedure - timedelta(days=PERIOD_DAYS), first_procedure - timedelta(days=1)


def follow_up_windows(first_procedure: date, until: date) -> list[tuple[date, date]]:
    """Consecutive inclusive 28-day windows from the first procedure's date.

    Every window that has started on or before ``until`` is returned, so the last one may
    still be running (``period_metrics(..., as_of=until)`` marks it incomplete).
    """
    windows: list[tuple[date, date]] = []
    start = first_procedure
    while start <= until:
        windows.append((start, start + timedelta(days=PERIOD_DAYS - 1)))
        start += timedelta(days=PERIOD_DAYS)
    return windows


# =======================================================================================
# Response
# =======================================================================================


class ResponderRule(StrEnum):
    """Payer rule for a responder (section 4)."""

    percent_50 = "percent_50"  # at least 50 % fewer headache days (default)
    fewer_7_days = "fewer_7_days"  # at least 7 fewer headache days


class ResponseStatus(StrEnum):
    """Response status (the API's ``response.status``)."""

    responder = "responder"
    partial = "partial"
    non_responder = "non_responder"
    insufficient_data = "insufficient_data"


@dataclass(frozen=True, slots=True)
class Response:
    """Response of the latest complete, sufficient follow-up period vs the baseline."""

    status: ResponseStatus
    headache_day_change: float | None = None
    percent_change: float | None = None
    compared_period: PeriodMetrics | None = None
    reason: str = ""
    rule: ResponderRule = ResponderRule.percent_50


def _exact(value: float) -> Fraction:
    return Fraction(Decimal(repr(value)))


def response(
    baseline: PeriodMetrics | None,
    periods: Sequence[PeriodMetrics],
    rule: ResponderRule | str = ResponderRule.percent_50,
) -> Response:
    """Compare the latest ended follow-up period with enough days to the baseline."""
    rule = ResponderRule(rule)

    def insufficient(reason: str, period: PeriodMetrics | None = None) -> Response:
        return Response(
            status=ResponseStatus.insufficient_data,
            compared_period=period,
            reason=reason,
            rule=rule,
        )

    if baseline is None:
        return insufficient("no baseline period: no procedure has been recorded")
    if baseline.headache_days is None:
        return insufficient(
            f"the baseline diary covers only {baseline.days_recorded} of "
            f"{baseline.length_days} days ({MIN_RECORDED_DAYS} needed)"
        )
    usable = [p for p in periods if p.complete and p.headache_days is not None]
    if not usable:
        ended = [p for p in periods if p.complete]
        if not ended:
            return insufficient("no follow-up period has ended yet")
        return insufficient(
            f"no ended follow-up period has at least {MIN_RECORDED_DAYS} recorded diary days"
        )
    period = max(usable, key=lambda p: p.start)
    assert period.headache_days is not None
    if baseline.headache_days <= 0:
        return insufficient(
            "the baseline had no headache days, so a reduction cannot be measured", period
        )
    base = _exact(baseline.headache_days)
    change = _exact(period.headache_days) - base
    percent = change * 100 / base
    reduction_percent = -percent
    if rule is ResponderRule.percent_50:
        responder = reduction_percent >= RESPONDER_PERCENT
        rule_text = f"at least {RESPONDER_PERCENT}% fewer headache days"
    else:
        responder = change <= -ALT_RESPONDER_DAYS
        rule_text = f"at least {ALT_RESPONDER_DAYS} fewer headache days"
    if responder:
        status = ResponseStatus.responder
    elif reduction_percent >= PARTIAL_PERCENT:
        status = ResponseStatus.partial
    else:
        status = ResponseStatus.non_responder
    change_display = round(float(change), 1)
    percent_display = round(float(percent), 1)
    reason = (
        f"period {period.start.isoformat()} to {period.end.isoformat()}: "
        f"{period.headache_days:g} headache days vs baseline {baseline.headache_days:g} "
        f"({change_display:+g} days, {percent_display:+g}%); responder rule: {rule_text}"
    )
    return Response(
        status=status,
        headache_day_change=change_display,
        percent_change=percent_display,
        compared_period=period,
        reason=reason,
        rule=rule,
    )


@dataclass(frozen=True, slots=True)
class OutcomeSummary:
    """The API's "Outcomes" object: baseline, follow-up periods and the response."""

    baseline: PeriodMetrics | None
    periods: tuple[PeriodMetrics, ...]
    response: Response


def outcome_summary(
    days: Iterable[RecordedDay] | Mapping[object, RecordedDay],
    procedure_dates: Iterable[date],
    as_of: date,
    rule: ResponderRule | str = ResponderRule.percent_50,
) -> OutcomeSummary:
    """Baseline (28 days before the first procedure), follow-up periods up to ``as_of``
    and the response. Without a procedure the baseline is ``None`` and there are no
    periods."""
    by_date = _as_days(days)
    procedures = sorted(procedure_dates)
    if not procedures:
        return OutcomeSummary(baseline=None, periods=(), response=response(None, (), rule))
    first = procedures[0]
    b_start, b_end = baseline_window(first)
    baseline = period_metrics(by_date, b_start, b_end, as_of=as_of)
    periods = tuple(
        period_metrics(by_date, start, end, as_of=as_of)
        for start, end in follow_up_windows(first, as_of)
    )
    return OutcomeSummary(
        baseline=baseline, periods=periods, response=response(baseline, periods, rule)
    )


# =======================================================================================
# Medication overuse
# =======================================================================================


@dataclass(frozen=True, slots=True)
class OverusePeriod:
    """Medication-overuse counts for one 28-day period (raw recorded days)."""

    start: date
    end: date
    days_recorded: int
    specific_or_mix_days: int  # triptan/ergot/opioid/combination, or a mix of classes
    simple_analgesic_days: int
    mix_days: int
    met: bool


@dataclass(frozen=True, slots=True)
class OveruseFlag:
    """Medication-overuse headache flag (ICHD-3 8.2). Cadence flags; it never excludes."""

    flagged: bool
    detail: str
    periods: tuple[OverusePeriod, ...] = ()


def _overuse_period(by_date: Mapping[date, RecordedDay], start: date, end: date) -> OverusePeriod:
    recorded = [d for on, d in by_date.items() if start <= on <= end]
    specific_or_mix = simple = mix = 0
    for day in recorded:
        classes = frozenset(AcuteDrugClass(c) for c in day.acute_drug_classes)
        is_mix = len(classes & OVERUSE_MIX_CLASSES) >= 2
        mix += is_mix
        if is_mix or classes & OVERUSE_SPECIFIC_CLASSES:
            specific_or_mix += 1
        if AcuteDrugClass.simple_analgesic in classes:
            simple += 1
    met = specific_or_mix >= OVERUSE_SPECIFIC_DAYS or simple >= OVERUSE_SIMPLE_ANALGESIC_DAYS
    return OverusePeriod(
        start=start,
        end=end,
        days_recorded=len(recorded),
        specific_or_mix_days=specific_or_mix,
        simple_analgesic_days=simple,
        mix_days=mix,
        met=met,
    )


def medication_overuse(
    days: Iterable[RecordedDay] | Mapping[object, RecordedDay],
    as_of: date,
) -> OveruseFlag:
    """Flag medication overuse in the 3 consecutive 28-day periods ending on ``as_of``."""
    by_date = _as_days(days)
    periods: list[OverusePeriod] = []
    for k in range(OVERUSE_PERIODS - 1, -1, -1):
        end = as_of - timedelta(days=PERIOD_DAYS * k)
        start = end - timedelta(days=PERIOD_DAYS - 1)
        periods.append(_overuse_period(by_date, start, end))
    flagged = all(p.met for p in periods)
    summary = "; ".join(
        f"{p.start.isoformat()}..{p.end.isoformat()}: {p.specific_or_mix_days} days of "
        f"triptan/ergot/opioid/combination or mixed classes, {p.simple_analgesic_days} days "
        f"of simple analgesics ({p.days_recorded} days recorded)"
        for p in periods
    )
    met_count = sum(p.met for p in periods)
    if flagged:
        head = (
            f"possible medication-overuse headache: acute medicine above the ICHD-3 8.2 "
            f"threshold (>= {OVERUSE_SPECIFIC_DAYS} days of triptans, ergots, opioids, "
            f"combination analgesics or mixed classes, or >= {OVERUSE_SIMPLE_ANALGESIC_DAYS} "
            f"days of simple analgesics) in each of the last {OVERUSE_PERIODS} 28-day periods"
        )
    else:
        head = (
            f"no medication overuse flag: threshold met in {met_count} of the last "
            f"{OVERUSE_PERIODS} 28-day periods (all {OVERUSE_PERIODS} needed)"
        )
    return OveruseFlag(flagged=flagged, detail=f"{head}. {summary}", periods=tuple(periods))


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
    by_date = _as_days(days)
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
            "wearing-off: headache days rise clearly in weeks 9-12 in each of the last "
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
