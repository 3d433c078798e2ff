"""Measure the response to treatment from diary days: periods and response
(clinic-reference.md sections 1, 4).

Pure Python: no Django, no I/O. Input is plain data: ``RecordedDay`` records (one per
diary date; build them with ``recorded_day(on, facts)``) and procedure dates. The same
``RecordedDay`` records feed ``cadence.rules.overuse`` (medication overuse) and
``cadence.rules.effect`` (effect curve and wearing-off).

Public API
----------
Data
    ``RecordedDay(on, classification, headache_hours, acute_drug_classes)``
    ``PeriodCounts`` (raw integer counts), ``PeriodMetrics`` (one 28-day period),
    ``Response``, ``OutcomeSummary``, ``PreemptReference``.
Enums
    ``ResponderRule`` (percent_50, fewer_7_days; the payer profile's enum, from
    ``cadence.rules.payer``), ``ResponseStatus`` (responder, partial, non_responder,
    insufficient_data).
Functions
    ``recorded_day(on, facts) -> RecordedDay``
    ``days_by_date(days) -> dict[date, RecordedDay]`` (one record a date, the last wins)
    ``period_metrics(days, start, end, as_of=None) -> PeriodMetrics``
    ``period_from_counts(start, end, days_recorded, counts, as_of=None) -> PeriodMetrics``
        the same period from raw counts (as SQL aggregates return them); equal to
        ``period_metrics`` on the same diary.
    ``baseline_window(first_procedure) -> tuple[date, date]``
    ``follow_up_windows(first_procedure, until) -> list[tuple[date, date]]``
    ``response(baseline, periods, rule=ResponderRule.percent_50) -> Response``
    ``week_24_response(baseline, periods, rule=...) -> Response`` (the 24-week review:
        the weeks 21-24 period, not the latest)
    ``response_status(baseline, follow_up, rule) -> ResponseStatus`` (exact Fractions;
        the clinic report calls it too), ``exact_count(period, name)``,
        ``exact_per_period(raw_days, days_recorded)``
    ``outcome_summary(days, procedure_dates, as_of, rule=...) -> OutcomeSummary``
        (baseline + follow-up periods + response: the API's "Outcomes" object)
Constants
    ``PERIOD_DAYS`` 28, ``MIN_RECORDED_DAYS`` 20, ``RESPONDER_PERCENT`` 50,
    ``PARTIAL_PERCENT`` 30, ``ALT_RESPONDER_DAYS`` 7, ``PREEMPT`` (benchmark),
    ``WEEK_24_PERIOD_INDEX`` (the follow-up period that ends at week 24).

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
  display; the status is decided on exact values: ``raw * 28 / days_recorded`` as a
  ``Fraction`` (``exact_count``), never the 0.1-rounded counts (clinic-reference.md
  section 7: 10 headache days in 21 recorded baseline days against 5 in 21 is exactly
  50% fewer, a responder). ``Response.measures`` gives migraine, moderate/severe and
  acute-medication days against the baseline beside headache days. Status with rule ``percent_50``:
  responder at a reduction >= 50 %, partial at >= 30 % and < 50 %. With rule
  ``fewer_7_days``: responder at a change <= -7 days; otherwise partial when the
  reduction is >= 30 %. A baseline with 0 headache days gives ``insufficient_data``
  (percent change undefined; nothing to halve).
* **Responder "at 24 weeks"**: the 6th consecutive 28-day follow-up period (days 140-167
  after the first session), i.e. the period ending at week 24 (PREEMPT's endpoint):
  ``WEEK_24_PERIOD_INDEX`` (0-based) = 5.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from cadence.rules.diary import (
    MAX_HOURS,
    AcuteDrugClass,
    DayClassification,
    DiaryDayFacts,
    classify_day,
)
from cadence.rules.payer import COURSE_REVIEW_WEEKS, ResponderRule

__all__ = [
    "ALT_RESPONDER_DAYS",
    "MIN_RECORDED_DAYS",
    "PARTIAL_PERCENT",
    "PERIOD_DAYS",
    "PREEMPT",
    "RESPONDER_PERCENT",
    "WEEK_24_PERIOD_INDEX",
    "OutcomeSummary",
    "PeriodCounts",
    "PeriodMetrics",
    "PreemptReference",
    "RecordedDay",
    "ResponderRule",
    "Response",
    "ResponseStatus",
    "MEASURES",
    "MeasureChange",
    "baseline_window",
    "days_by_date",
    "exact_count",
    "exact_per_period",
    "follow_up_windows",
    "outcome_summary",
    "period_from_counts",
    "period_metrics",
    "recorded_day",
    "response",
    "response_status",
    "week_24_response",
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
#: The follow-up period (0-based) that ends at week 24, the course review ("Reviewed after
#: 2 sessions (24 weeks)"): (24 weeks x 7) / 28 - 1 = 5.
WEEK_24_PERIOD_INDEX: int = COURSE_REVIEW_WEEKS * 7 // PERIOD_DAYS - 1


@dataclass(frozen=True, slots=True)
class PreemptReference:
    """PREEMPT pooled week-24 benchmark (section 4), the reference line in reports."""

    baseline_headache_days: float = 20.0  # "from a baseline of about 20"
    headache_day_change_active: float = -8.4  # "fell by 8.4 a 28-day period"
    headache_day_change_placebo: float = -6.6  # "against 6.6 on placebo"
    responder_rate_active_percent: float = 47.0  # "roughly 47% ... 50% or greater reduction"
    responder_rate_placebo_percent: float = 35.0  # "against 35% on placebo"


PREEMPT = PreemptReference()


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
        headache_hours=min(max(hours_value, 0.0), float(MAX_HOURS)),
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


def days_by_date(
    days: Iterable[RecordedDay] | Mapping[object, RecordedDay],
) -> dict[date, RecordedDay]:
    """The recorded days keyed by date; a date recorded twice keeps its last record."""
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
    by_date = days_by_date(days)
    in_range = [d for on, d in by_date.items() if start <= on <= end]
    raw = PeriodCounts(
        headache_days=sum(d.classification.is_headache_day for d in in_range),
        migraine_days=sum(d.classification.is_migraine_day for d in in_range),
        moderate_severe_days=sum(d.classification.is_moderate_severe_day for d in in_range),
        acute_medication_days=sum(d.classification.is_acute_medication_day for d in in_range),
        triptan_days=sum(d.classification.is_triptan_day for d in in_range),
        headache_hours=sum(
            min(max(float(d.headache_hours), 0.0), float(MAX_HOURS))
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
        headache_hours=_scale(raw.headache_hours, n, PERIOD_DAYS * MAX_HOURS),
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


class ResponseStatus(StrEnum):
    """Response status (the API's ``response.status``)."""

    responder = "responder"
    partial = "partial"
    non_responder = "non_responder"
    insufficient_data = "insufficient_data"


#: The day counts compared with the baseline beside headache days (clinic-reference.md
#: section 4's per-period counts; "payers and neurologists ask for them"), with labels.
MEASURES: tuple[tuple[str, str], ...] = (
    ("headache_days", "headache days"),
    ("migraine_days", "migraine days"),
    ("moderate_severe_days", "moderate/severe headache days"),
    ("acute_medication_days", "acute-medication days"),
)


@dataclass(frozen=True, slots=True)
class MeasureChange:
    """One count of a period against the baseline (rounded to 0.1 for display only)."""

    name: str
    label: str
    baseline: float
    period: float
    change: float
    #: ``None`` when the baseline count is 0 (a percent of nothing is undefined).
    percent_change: float | None


@dataclass(frozen=True, slots=True)
class Response:
    """Response of the latest complete, sufficient follow-up period vs the baseline."""

    status: ResponseStatus
    headache_day_change: float | None = None
    percent_change: float | None = None
    compared_period: PeriodMetrics | None = None
    reason: str = ""
    rule: ResponderRule = ResponderRule.percent_50
    #: Headache, migraine, moderate/severe and acute-medication days against the baseline.
    measures: tuple[MeasureChange, ...] = ()

    def measure(self, name: str) -> MeasureChange | None:
        """The change of one of ``MEASURES`` (``None`` when not measurable)."""
        return next((m for m in self.measures if m.name == name), None)


def _exact(value: float) -> Fraction:
    return Fraction(Decimal(repr(value)))


def exact_count(period: PeriodMetrics, name: str = "headache_days") -> Fraction | None:
    """A period's day count scaled to 28 days, exactly: ``raw * 28 / days_recorded``
    (capped at 28), never the 0.1-rounded display value. ``None`` under
    ``MIN_RECORDED_DAYS``. A period built from display values only (no raw counts that
    round to them) falls back to its displayed number."""
    shown = getattr(period, name)
    if shown is None:
        return None
    days = period.days_recorded
    if days > 0:
        exact = min(Fraction(int(getattr(period.raw, name)) * PERIOD_DAYS, days), PERIOD_DAYS)
        if round(float(exact), 1) == shown:
            return exact
    return _exact(shown)


def exact_per_period(raw_days: int, days_recorded: int) -> Fraction | None:
    """``raw_days`` in ``days_recorded`` recorded days, scaled exactly to 28 days (as
    ``period_from_counts`` scales before rounding); ``None`` under ``MIN_RECORDED_DAYS``."""
    days = min(int(days_recorded), PERIOD_DAYS)
    if days < MIN_RECORDED_DAYS:
        return None
    return min(Fraction(int(raw_days) * PERIOD_DAYS, days), PERIOD_DAYS)


def response_status(
    baseline: Fraction, follow_up: Fraction, rule: ResponderRule | str = ResponderRule.percent_50
) -> ResponseStatus:
    """THE responder decision, on exact values (``Fraction`` headache days per 28 days):
    responder at >= 50% fewer (or >= 7 fewer with ``fewer_7_days``), partial at >= 30%
    fewer, else non-responder; a baseline of 0 is ``insufficient_data``. Every surface
    (patient page, API, clinic report, payer packet, FHIR, CSV) reaches this function."""
    rule = ResponderRule(rule)
    if baseline <= 0:
        return ResponseStatus.insufficient_data
    change = follow_up - baseline
    reduction_percent = -change * 100 / baseline
    if rule is ResponderRule.percent_50:
        responder = reduction_percent >= RESPONDER_PERCENT
    else:
        responder = change <= -ALT_RESPONDER_DAYS
    if responder:
        return ResponseStatus.responder
    if reduction_percent >= PARTIAL_PERCENT:
        return ResponseStatus.partial
    return ResponseStatus.non_responder


def _measures(baseline: PeriodMetrics, period: PeriodMetrics) -> tuple[MeasureChange, ...]:
    found = []
    for name, label in MEASURES:
        base, follow = exact_count(baseline, name), exact_count(period, name)
        if base is None or follow is None:
            continue
        change = follow - base
        found.append(
            MeasureChange(
                name=name,
                label=label,
                baseline=round(float(base), 1),
                period=round(float(follow), 1),
                change=round(float(change), 1),
                percent_change=round(float(change * 100 / base), 1) if base > 0 else None,
            )
        )
    return tuple(found)


def _compare(
    baseline: PeriodMetrics, period: PeriodMetrics, rule: ResponderRule, insufficient
) -> Response:
    base = exact_count(baseline)
    follow = exact_count(period)
    assert base is not None and follow is not None
    if base <= 0:
        return insufficient(
            "the baseline had no headache days, so a reduction cannot be measured", period
        )
    change = follow - base
    percent = change * 100 / base
    status = response_status(base, follow, rule)
    if rule is ResponderRule.percent_50:
        rule_text = f"at least {RESPONDER_PERCENT}% fewer headache days"
    else:
        rule_text = f"at least {ALT_RESPONDER_DAYS} fewer headache days"
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
        measures=_measures(baseline, period),
    )


def _insufficient_factory(rule: ResponderRule):
    def insufficient(reason: str, period: PeriodMetrics | None = None) -> Response:
        return Response(
            status=ResponseStatus.insufficient_data,
            compared_period=period,
            reason=reason,
            rule=rule,
        )

    return insufficient


def _baseline_problem(baseline: PeriodMetrics | None) -> str | None:
    if baseline is None:
        return "no baseline period: no procedure has been recorded"
    if baseline.headache_days is None:
        return (
            f"the baseline diary covers only {baseline.days_recorded} of "
            f"{baseline.length_days} days ({MIN_RECORDED_DAYS} needed)"
        )
    return None


def response(
    baseline: PeriodMetrics | None,
    periods: Sequence[PeriodMetrics],
    rule: ResponderRule | str = ResponderRule.percent_50,
) -> Response:
    """Compare the latest ended follow-up period with enough days to the baseline."""
    rule = ResponderRule(rule)
    insufficient = _insufficient_factory(rule)
    problem = _baseline_problem(baseline)
    if problem:
        return insufficient(problem)
    assert baseline is not None
    usable = [p for p in periods if p.complete and p.headache_days is not None]
    if not usable:
        ended = [p for p in periods if p.complete]
        if not ended:
            return insufficient("no follow-up period has ended yet")
        return insufficient(
            f"no ended follow-up period has at least {MIN_RECORDED_DAYS} recorded diary days"
        )
    period = max(usable, key=lambda p: p.start)
    return _compare(baseline, period, rule, insufficient)


def week_24_response(
    baseline: PeriodMetrics | None,
    periods: Sequence[PeriodMetrics],
    rule: ResponderRule | str = ResponderRule.percent_50,
) -> Response:
    """The response at the 24-week course review (clinic-reference.md section 7): the
    follow-up period of weeks 21-24 (``periods[WEEK_24_PERIOD_INDEX]``, the second
    cycle's last four weeks) against the baseline — never simply the latest period, so a
    wearing-off period later on does not change the review. ``insufficient_data`` until
    that period has ended with at least ``MIN_RECORDED_DAYS`` recorded days."""
    rule = ResponderRule(rule)
    insufficient = _insufficient_factory(rule)
    problem = _baseline_problem(baseline)
    if problem:
        return insufficient(problem)
    assert baseline is not None
    if len(periods) <= WEEK_24_PERIOD_INDEX or not periods[WEEK_24_PERIOD_INDEX].complete:
        return insufficient("the weeks 21-24 period has not ended yet")
    period = periods[WEEK_24_PERIOD_INDEX]
    if period.headache_days is None:
        return insufficient(
            f"the weeks 21-24 period has only {period.days_recorded} recorded diary days "
            f"({MIN_RECORDED_DAYS} needed)",
            period,
        )
    return _compare(baseline, period, rule, insufficient)


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
    by_date = days_by_date(days)
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
