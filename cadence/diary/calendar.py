"""Calendar arithmetic of the diary portal: gaps to backfill, reminders and the month
view. Pure Python (no Django), so it is tested with hypothesis.

Numbers from the issue (not clinical): the portal offers the missed days of the last
``BACKFILL_DAYS`` (14) days, and reminds the patient when ``DIARY_GAP_DAYS`` (3, from
``cadence.rules.diary``, shared with the scheduling app's diary nudge) or more
days in a row are missing.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from cadence.rules.diary import DIARY_GAP_DAYS

#: "Backfill the missed days of the last two weeks."
BACKFILL_DAYS = 14


@dataclass(frozen=True, slots=True)
class DayMark:
    """How a recorded day shows on the calendar."""

    is_headache_day: bool = False
    is_migraine_day: bool = False


@dataclass(frozen=True, slots=True)
class CalendarCell:
    day: date
    recorded: bool
    is_headache_day: bool
    is_migraine_day: bool
    is_future: bool
    is_today: bool

    @property
    def state(self) -> str:
        """One word for the cell: future, missing, migraine, headache or clear."""
        if self.is_future:
            return "future"
        if not self.recorded:
            return "missing"
        if self.is_migraine_day:
            return "migraine"
        if self.is_headache_day:
            return "headache"
        return "clear"


@dataclass(frozen=True, slots=True)
class MonthCalendar:
    year: int
    month: int
    weeks: list[list[CalendarCell | None]]  # Monday-first rows; None pads other months
    days_in_month: int
    recorded_days: int
    headache_days: int
    migraine_days: int

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def previous_month(self) -> date:
        return (self.first_day - timedelta(days=1)).replace(day=1)

    @property
    def next_month(self) -> date:
        return self.first_day + timedelta(days=self.days_in_month)


def backfill_window(today: date) -> tuple[date, date]:
    """The days a patient may backfill from the gap list: the 14 days before today."""
    return today - timedelta(days=BACKFILL_DAYS), today - timedelta(days=1)


def missing_days(recorded: Collection[date], start: date, end: date) -> list[date]:
    """Days from ``start`` to ``end`` (inclusive) that have no diary entry, oldest first."""
    days = []
    on = start
    while on <= end:
        if on not in recorded:
            days.append(on)
        on += timedelta(days=1)
    return days


def longest_gap(recorded: Collection[date], start: date, end: date) -> int:
    """The longest run of consecutive unrecorded days from ``start`` to ``end``."""
    longest = run = 0
    on = start
    while on <= end:
        run = 0 if on in recorded else run + 1
        longest = max(longest, run)
        on += timedelta(days=1)
    return longest


def needs_reminder(recorded: Collection[date], today: date) -> bool:
    """True when the backfill window holds a gap of ``DIARY_GAP_DAYS`` or more days."""
    start, end = backfill_window(today)
    return longest_gap(recorded, start, end) >= DIARY_GAP_DAYS


def month_calendar(
    year: int, month: int, marks: Mapping[date, DayMark], today: date
) -> MonthCalendar:
    """The month as Monday-first weeks; counts only the month's own recorded days."""
    weeks: list[list[CalendarCell | None]] = []
    recorded = headache = migraine = 0
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row: list[CalendarCell | None] = []
        for day in week:
            if day.month != month:
                row.append(None)
                continue
            mark = marks.get(day)
            cell = CalendarCell(
                day=day,
                recorded=mark is not None,
                is_headache_day=bool(mark and mark.is_headache_day),
                is_migraine_day=bool(mark and mark.is_migraine_day),
                is_future=day > today,
                is_today=day == today,
            )
            recorded += cell.recorded
            headache += cell.is_headache_day
            migraine += cell.is_migraine_day
            row.append(cell)
        weeks.append(row)
    return MonthCalendar(
        year=year,
        month=month,
        weeks=weeks,
        days_in_month=calendar.monthrange(year, month)[1],
        recorded_days=recorded,
        headache_days=headache,
        migraine_days=migraine,
    )
