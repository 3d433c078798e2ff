"""Questionnaires on a rhythm: MIDAS and HIT-6 before each session, and their change
against the last one and against the baseline (clinic-reference.md section 4).

Pure Python: no Django, no I/O.

- **Due**: an instrument is due when it has not been completed *since the last session*
  (a questionnaire completed on the day of a session belongs to that session: it was
  filled in before the injections). Before any session it is due until completed once
  (the baseline). So each instrument is asked once per cycle, before the next session.
- **Reminder**: the scheduling app reminds a patient with a booked treatment session
  ``QUESTIONNAIRE_REMINDER_DAYS_BEFORE`` (7, a Cadence default: MIDAS asks about the last
  3 months, so the week before the next session covers the cycle) days before it, when
  an instrument is due.
- **Change**: the latest score against the one before it ("since last time") and against
  the baseline score (the latest on or before the first session of the course; without
  one, no baseline change). Meaningful change is ``cadence.rules.questionnaires``'
  (MIDAS: 5 points for 11-20, 30% above 20; HIT-6: 5 points).

Public API
----------
- ``INSTRUMENTS`` (``"MIDAS"``, ``"HIT-6"``), ``QUESTIONNAIRE_REMINDER_DAYS_BEFORE``
- ``InstrumentRhythm``, ``questionnaire_rhythm(instrument, scores, sessions, today,
  course_start=None) -> InstrumentRhythm``, ``due_instruments(completed, sessions, today)``
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from cadence.rules.questionnaires import Change, QuestionnaireError, hit6_change, midas_change

__all__ = [
    "INSTRUMENTS",
    "QUESTIONNAIRE_REMINDER_DAYS_BEFORE",
    "InstrumentRhythm",
    "due_instruments",
    "is_due",
    "questionnaire_rhythm",
]

INSTRUMENTS: tuple[str, ...] = ("MIDAS", "HIT-6")
#: Cadence default: the questionnaire reminder goes out this many days before a booked
#: treatment session.
QUESTIONNAIRE_REMINDER_DAYS_BEFORE = 7


def _last_session(sessions: Iterable[date], today: date) -> date | None:
    return max((d for d in sessions if d <= today), default=None)


def is_due(completed: Iterable[date], sessions: Iterable[date], today: date) -> bool:
    """Not completed since the last session (or never, before the first session)."""
    latest = max((d for d in completed if d <= today), default=None)
    if latest is None:
        return True
    last = _last_session(sessions, today)
    return last is not None and latest <= last


def due_instruments(
    completed: Mapping[str, Iterable[date]], sessions: Sequence[date], today: date
) -> list[str]:
    """The instruments due, in ``INSTRUMENTS`` order."""
    return [i for i in INSTRUMENTS if is_due(completed.get(i, ()), sessions, today)]


@dataclass(frozen=True, slots=True)
class InstrumentRhythm:
    instrument: str
    due: bool
    latest: tuple[date, int] | None = None
    previous: tuple[date, int] | None = None
    baseline: tuple[date, int] | None = None
    since_previous: Change | None = None
    since_baseline: Change | None = None


def _change(instrument: str, before: int, after: int) -> Change | None:
    try:
        return (midas_change if instrument == "MIDAS" else hit6_change)(before, after)
    except QuestionnaireError:
        return None


def questionnaire_rhythm(
    instrument: str,
    scores: Sequence[tuple[date, int]],
    sessions: Sequence[date],
    today: date,
    course_start: date | None = None,
) -> InstrumentRhythm:
    """Due status and changes of one instrument from its ``(completed_on, score)``s."""
    ordered = sorted((on, score) for on, score in scores if on <= today)
    due = is_due([on for on, _ in ordered], sessions, today)
    if not ordered:
        return InstrumentRhythm(instrument, due)
    latest = ordered[-1]
    previous = ordered[-2] if len(ordered) > 1 else None
    baseline = None
    if course_start is not None:
        before = [s for s in ordered if s[0] <= course_start]
        baseline = before[-1] if before else None
    return InstrumentRhythm(
        instrument,
        due,
        latest,
        previous,
        baseline,
        _change(instrument, previous[1], latest[1]) if previous else None,
        _change(instrument, baseline[1], latest[1])
        if baseline is not None and baseline != latest
        else None,
    )
