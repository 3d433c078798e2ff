"""Attacks: a headache logged as it starts and completed when it ends, and how a day is
classified from the attacks that touched it.

Pure Python: no Django, no I/O. Times are *local* wall-clock date-times (naive, in the
clinic's time zone), as the patient lives them and as the API carries them; a diary day is
a local date.

Rules (Cadence conventions on top of clinic-reference.md section 1)
-------------------------------------------------------------------
* An attack counts on **every day it touched**: an attack from 22:00 to 03:00 gives the
  first day 2 hours and the next day 3 hours of headache.
* A day's headache hours from its attacks are the hours of that day covered by at least
  one attack (overlapping attacks are not counted twice), at most 24.
* An attack still going on counts up to ``now`` (the moment the day is saved); ending it
  recomputes every day it touched.
* The day's peak severity from its attacks is the worst peak of the attacks that touched
  it (an attack not yet rated is ``none``).
* ``day_from_attacks`` combines them with what the patient recorded for the whole day:
  the larger of the recorded hours and the attacks' hours, the worse of the two peaks.
  Attacks never lower what the patient wrote for the day.

Public API
----------
``Attack(started_at, ended_at, peak_severity)``; ``attack_problems(attack, now)``;
``days_touched(attack, now)``; ``hours_on(day, attacks, now)``;
``peak_on(day, attacks, now)``; ``day_from_attacks(day, attacks, recorded_hours,
recorded_peak, now) -> (hours, peak)``; ``MAX_ATTACK_DAYS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from cadence.rules.diary import MAX_HOURS, PeakSeverity

__all__ = [
    "MAX_ATTACK_DAYS",
    "Attack",
    "attack_problems",
    "day_from_attacks",
    "days_touched",
    "hours_on",
    "peak_on",
]

#: The longest attack Cadence accepts, in calendar days touched (a Cadence bound against
#: typing errors, not a clinical number: status migrainosus lasts more than 72 hours, so
#: a week leaves room for it).
MAX_ATTACK_DAYS = 7

_SEVERITY_ORDER = {s: i for i, s in enumerate(PeakSeverity)}


@dataclass(frozen=True, slots=True)
class Attack:
    """One attack: when it started, when it ended (None while it goes on), its worst pain."""

    started_at: datetime
    ended_at: datetime | None = None
    peak_severity: PeakSeverity = PeakSeverity.none

    def end_or(self, now: datetime) -> datetime:
        return self.ended_at if self.ended_at is not None else max(now, self.started_at)


def attack_problems(attack: Attack, now: datetime) -> list[tuple[str, str]]:
    """(field, message) pairs, empty when the attack can be stored."""
    problems: list[tuple[str, str]] = []
    if attack.started_at > now:
        problems.append(("started_at", "An attack can't start in the future."))
    if attack.ended_at is not None:
        if attack.ended_at > now:
            problems.append(("ended_at", "An attack can't end in the future."))
        if attack.ended_at < attack.started_at:
            problems.append(("ended_at", "An attack can't end before it started."))
    if not problems and len(days_touched(attack, now)) > MAX_ATTACK_DAYS:
        problems.append(
            ("ended_at", f"An attack can last at most {MAX_ATTACK_DAYS} days; check the dates.")
        )
    return problems


def days_touched(attack: Attack, now: datetime) -> list[date]:
    """Every local date the attack touched, first to last. An attack ending exactly at
    midnight does not touch the new day."""
    first = attack.started_at.date()
    end = attack.end_or(now)
    last = end.date()
    if end > attack.started_at and end.time() == time(0, 0):
        last -= timedelta(days=1)
    last = max(last, first)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _within(day: date, start: datetime, end: datetime) -> tuple[datetime, datetime] | None:
    day_start = datetime.combine(day, time(0, 0))
    day_end = day_start + timedelta(days=1)
    lo, hi = max(start, day_start), min(end, day_end)
    return (lo, hi) if hi > lo else None


def hours_on(day: date, attacks: list[Attack] | tuple[Attack, ...], now: datetime) -> float:
    """Hours of ``day`` covered by at least one of ``attacks`` (exact, not rounded)."""
    pieces = sorted(
        piece
        for attack in attacks
        if (piece := _within(day, attack.started_at, attack.end_or(now))) is not None
    )
    covered = timedelta(0)
    current: tuple[datetime, datetime] | None = None
    for lo, hi in pieces:
        if current is None or lo > current[1]:
            if current is not None:
                covered += current[1] - current[0]
            current = (lo, hi)
        else:
            current = (current[0], max(current[1], hi))
    if current is not None:
        covered += current[1] - current[0]
    return min(covered.total_seconds() / 3600, MAX_HOURS)


def peak_on(day: date, attacks: list[Attack] | tuple[Attack, ...], now: datetime) -> PeakSeverity:
    """The worst peak among the attacks that touched ``day``."""
    worst = PeakSeverity.none
    for attack in attacks:
        if day in days_touched(attack, now):
            peak = PeakSeverity(attack.peak_severity)
            if _SEVERITY_ORDER[peak] > _SEVERITY_ORDER[worst]:
                worst = peak
    return worst


def day_from_attacks(
    day: date,
    attacks: list[Attack] | tuple[Attack, ...],
    *,
    recorded_hours: float,
    recorded_peak: PeakSeverity | str,
    now: datetime,
) -> tuple[float, PeakSeverity]:
    """The day's (headache_hours, peak_severity) given its attacks and what the patient
    recorded for the whole day: the larger hours and the worse peak."""
    hours = max(float(recorded_hours), hours_on(day, attacks, now))
    recorded = PeakSeverity(recorded_peak)
    from_attacks = peak_on(day, attacks, now)
    peak = recorded if _SEVERITY_ORDER[recorded] >= _SEVERITY_ORDER[from_attacks] else from_attacks
    return hours, peak
