"""Recorded diary days for the rules tests (plain data, no Django)."""

from __future__ import annotations

from datetime import date, timedelta

from cadence.rules.diary import AcuteDrugClass, DayClassification
from cadence.rules.outcomes import RecordedDay

D0 = date(2025, 1, 1)
HEADACHE = DayClassification(
    is_headache_day=True,
    is_migraine_day=True,
    is_moderate_severe_day=True,
    is_acute_medication_day=True,
    is_triptan_day=True,
)
FREE = DayClassification()


def rec(
    on: date,
    headache: bool = False,
    hours: float | None = None,
    classes: frozenset[AcuteDrugClass] | set[AcuteDrugClass] = frozenset(),
) -> RecordedDay:
    return RecordedDay(
        on=on,
        classification=HEADACHE if headache else FREE,
        headache_hours=(6.0 if headache else 0.0) if hours is None else hours,
        acute_drug_classes=frozenset(classes),
    )


def span(start: date, n: int, headache_days: int = 0) -> list[RecordedDay]:
    """``n`` consecutive recorded days from ``start``; the first ``headache_days`` ache."""
    return [rec(start + timedelta(days=i), i < headache_days) for i in range(n)]
