"""Triggers the patient ticks, and a trigger summary that is honest about chance.

Pure Python: no Django, no I/O.

The summary counts, for each trigger, the days it was recorded and, of those, how many
were followed by a headache day (the same day or the next: "preceded a headache day")
and how many were not; beside it, how often any recorded day was followed by a headache
day at all (the patient's base rate), so a trigger that "preceded a headache" on 60% of
its days is read against a base rate of, say, 55%. Below ``MIN_TRIGGER_OCCURRENCES``
recorded days the summary makes no claim (``enough`` is False).

A day counts only when the following day is recorded too (or the day itself was a
headache day): a missing next day can't say whether a headache followed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

__all__ = [
    "MIN_TRIGGER_OCCURRENCES",
    "TRIGGER_LABELS",
    "OTHER_TRIGGERS_MAX_LENGTH",
    "Trigger",
    "TriggerLine",
    "trigger_summary",
]

#: No claim about a trigger recorded on fewer days than this (a Cadence default).
MIN_TRIGGER_OCCURRENCES = 5
#: Longest free-text "other triggers".
OTHER_TRIGGERS_MAX_LENGTH = 200


class Trigger(StrEnum):
    stress = "stress"
    poor_sleep = "poor_sleep"
    skipped_meal = "skipped_meal"
    alcohol = "alcohol"
    weather = "weather"
    menstruation = "menstruation"
    screen_time = "screen_time"
    bright_light = "bright_light"
    smell = "smell"
    dehydration = "dehydration"
    caffeine = "caffeine"
    exercise = "exercise"
    travel = "travel"


TRIGGER_LABELS: dict[Trigger, str] = {
    Trigger.stress: "Stress",
    Trigger.poor_sleep: "Too little or poor sleep",
    Trigger.skipped_meal: "Skipped a meal",
    Trigger.alcohol: "Alcohol",
    Trigger.weather: "Weather change",
    Trigger.menstruation: "Period",
    Trigger.screen_time: "Long screen time",
    Trigger.bright_light: "Bright or flickering light",
    Trigger.smell: "Strong smell",
    Trigger.dehydration: "Not enough to drink",
    Trigger.caffeine: "Caffeine (more or less than usual)",
    Trigger.exercise: "Hard exercise",
    Trigger.travel: "Travel",
}


@dataclass(frozen=True, slots=True)
class TriggerLine:
    trigger: Trigger
    occurrences: int  # days the trigger was recorded (and that can be judged)
    followed: int  # of those, days followed by a headache day (same day or next)
    not_followed: int
    enough: bool  # occurrences >= MIN_TRIGGER_OCCURRENCES: only then show the share

    @property
    def share(self) -> float | None:
        """Exact share of its days followed by a headache day (None below the minimum)."""
        return self.followed / self.occurrences if self.enough else None


def trigger_summary(
    days: Mapping[date, tuple[Iterable[str], bool]],
    *,
    minimum: int = MIN_TRIGGER_OCCURRENCES,
) -> tuple[list[TriggerLine], float | None]:
    """``days``: {date: (trigger codes, is_headache_day)} for the recorded days.

    Returns the lines (most recorded first, only triggers recorded at least once) and
    the base rate: the share of all judgeable recorded days followed by a headache day
    (None when there are none).
    """

    def followed_by_headache(on: date) -> bool | None:
        _codes, headache = days[on]
        if headache:
            return True
        nxt = days.get(on + timedelta(days=1))
        if nxt is None:
            return None
        return bool(nxt[1])

    counts: dict[Trigger, list[int]] = {}
    judged = hits = 0
    known = set(Trigger)
    for on, (codes, _headache) in days.items():
        outcome = followed_by_headache(on)
        if outcome is None:
            continue
        judged += 1
        hits += outcome
        for code in set(codes or ()):
            if code in known:
                line = counts.setdefault(Trigger(code), [0, 0])
                line[0 if outcome else 1] += 1
    lines = [
        TriggerLine(
            trigger=trigger,
            occurrences=yes + no,
            followed=yes,
            not_followed=no,
            enough=yes + no >= minimum,
        )
        for trigger, (yes, no) in counts.items()
    ]
    lines.sort(key=lambda line: (-line.occurrences, list(Trigger).index(line.trigger)))
    return lines, (hits / judged if judged else None)
