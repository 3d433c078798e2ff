"""The link between headaches and the menstrual cycle (ICHD-3 appendix A1.1.1 pure
menstrual migraine and A1.1.2 menstrually related migraine).

Pure Python: no Django, no I/O.

ICHD-3 defines the perimenstrual window as day 1 of menstruation +/- 2 days: the two days
before day 1, day 1 and the two days after it -- "day -2 to +3" counting day 1 as +1 and
with no day 0. Cadence counts in plain dates: from 2 days before the first day of the
period to 2 days after it (5 days). Section A1.1 asks for the relation in at least 2 of 3
cycles; this module reports the days and the cycles, the clinician judges.

A *first day of a period* is a period day whose previous day was not a period day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "WINDOW_AFTER_DAYS",
    "WINDOW_BEFORE_DAYS",
    "CycleSummary",
    "cycle_summary",
    "first_days",
    "perimenstrual_days",
]

#: ICHD-3 A1.1: day 1 of menstruation +/- 2 days ("day -2 to +3", day 1 being +1).
WINDOW_BEFORE_DAYS = 2
WINDOW_AFTER_DAYS = 2


def first_days(period_days: Iterable[date]) -> list[date]:
    """The first day of each period, oldest first."""
    days = set(period_days)
    return sorted(d for d in days if d - timedelta(days=1) not in days)


def perimenstrual_days(period_days: Iterable[date]) -> set[date]:
    """Every date within the perimenstrual window of a period's first day."""
    window: set[date] = set()
    for first in first_days(period_days):
        for offset in range(-WINDOW_BEFORE_DAYS, WINDOW_AFTER_DAYS + 1):
            window.add(first + timedelta(days=offset))
    return window


@dataclass(frozen=True, slots=True)
class CycleSummary:
    cycles: int  # periods (first days) recorded
    window_days: int  # recorded days inside a perimenstrual window
    window_headache_days: int
    other_days: int  # recorded days outside every window
    other_headache_days: int
    cycles_with_headache_in_window: int

    @property
    def window_share(self) -> float | None:
        return self.window_headache_days / self.window_days if self.window_days else None

    @property
    def other_share(self) -> float | None:
        return self.other_headache_days / self.other_days if self.other_days else None


def cycle_summary(recorded: dict[date, bool], period_days: Iterable[date]) -> CycleSummary:
    """``recorded``: {date: is_headache_day} for the recorded diary days."""
    firsts = first_days(period_days)
    window = perimenstrual_days(firsts)
    in_window = [on for on in recorded if on in window]
    outside = [on for on in recorded if on not in window]
    cycles_hit = 0
    for first in firsts:
        span = [
            first + timedelta(days=o) for o in range(-WINDOW_BEFORE_DAYS, WINDOW_AFTER_DAYS + 1)
        ]
        if any(recorded.get(d) for d in span):
            cycles_hit += 1
    return CycleSummary(
        cycles=len(firsts),
        window_days=len(in_window),
        window_headache_days=sum(1 for on in in_window if recorded[on]),
        other_days=len(outside),
        other_headache_days=sum(1 for on in outside if recorded[on]),
        cycles_with_headache_in_window=cycles_hit,
    )
