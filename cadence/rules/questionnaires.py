"""Score the MIDAS and HIT-6 questionnaires (clinic-reference.md section 4).

Pure Python: no Django, no I/O.

Public API
----------
Enums
    ``Instrument``      MIDAS = "MIDAS", HIT6 = "HIT-6" (the API's ``instrument`` values).
    ``Hit6Answer``      never, rarely, sometimes, very_often, always.
Data
    ``MidasResult(score, grade)``; ``Hit6Result(score, band)``;
    ``Change(points, percent, meaningful, direction)``.
Errors
    ``QuestionnaireError(ValueError)`` -- ``.field`` names the offending answer
    (``"answers"`` or ``"answers[i]"``, 0-based) so the API can answer 422 with it.
Functions
    ``score_midas(answers: Sequence[int]) -> MidasResult``
    ``midas_grade(score: int) -> str``                 "I".."IV"
    ``midas_change(previous: int, current: int) -> Change``
    ``score_hit6(answers: Sequence[str]) -> Hit6Result``
    ``hit6_band(score: int) -> str``                   "little", "some", "substantial", "severe"
    ``hit6_change(previous: int, current: int) -> Change``
    ``score_questionnaire(instrument, answers) -> MidasResult | Hit6Result``  dispatcher.
Constants
    ``MIDAS_ITEMS`` (the 5 scored questions, paraphrased in our words, in order),
    ``MIDAS_UNSCORED_ITEMS``, ``MIDAS_MAX_DAYS`` (90), ``MIDAS_DAY_GROUPS``,
    ``MIDAS_MAX_SCORE`` (270), ``MIDAS_GRADES``,
    ``MIDAS_MIN_POINTS_CHANGE`` (5), ``MIDAS_MIN_PERCENT_CHANGE`` (30),
    ``HIT6_POINTS``, ``HIT6_ITEM_COUNT`` (6), ``HIT6_MIN_SCORE`` (36), ``HIT6_MAX_SCORE`` (78),
    ``HIT6_BANDS``, ``HIT6_MIN_POINTS_CHANGE`` (5), ``HIT6_NEUTRAL_LABELS``.

Licensing: HIT-6 is a copyrighted scale. This module holds **no** HIT-6 item text, only
neutral labels naming the domain each item covers; the clinic shows the licensed text
from its own licensed copy. MIDAS is free to use; ``MIDAS_ITEMS`` are our paraphrases.

Interpretation choices
----------------------
* ``Change.points`` is ``current - previous``: negative means less disability/impact
  (better). ``meaningful`` is judged on the size of the change in either direction.
* MIDAS meaningful change (reference: ">= 5 points for scores 11-20, >= 30% for scores
  above 20", judged on the *previous* score): for a previous score of **10 or less** the
  reference gives no threshold; Cadence is conservative and calls a change meaningful
  only when it is at least 5 points **and** moves the patient into another MIDAS grade.
* ``Change.percent`` is ``None`` when the previous score is 0 (no division by zero).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "HIT6_BANDS",
    "HIT6_ITEM_COUNT",
    "HIT6_MAX_SCORE",
    "HIT6_MIN_POINTS_CHANGE",
    "HIT6_MIN_SCORE",
    "HIT6_NEUTRAL_LABELS",
    "HIT6_POINTS",
    "MIDAS_DAY_GROUPS",
    "MIDAS_GRADES",
    "MIDAS_ITEMS",
    "MIDAS_MAX_DAYS",
    "MIDAS_MAX_SCORE",
    "MIDAS_MIN_PERCENT_CHANGE",
    "MIDAS_MIN_POINTS_CHANGE",
    "MIDAS_UNSCORED_ITEMS",
    "Change",
    "Hit6Answer",
    "Hit6Result",
    "Instrument",
    "MidasResult",
    "QuestionnaireError",
    "hit6_band",
    "hit6_change",
    "midas_change",
    "midas_grade",
    "score_hit6",
    "score_midas",
    "score_questionnaire",
]


class Instrument(StrEnum):
    """Questionnaires Cadence scores."""

    MIDAS = "MIDAS"
    HIT6 = "HIT-6"


class QuestionnaireError(ValueError):
    """Invalid questionnaire answers; ``field`` names the offending answer."""

    def __init__(self, message: str, field: str = "answers") -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Change:
    """Change between two scores of the same instrument (``points = current - previous``)."""

    points: int
    percent: float | None
    meaningful: bool
    direction: str = "unchanged"  # "better", "worse" or "unchanged"


# ---------------------------------------------------------------------------------------
# MIDAS
# ---------------------------------------------------------------------------------------

#: The five scored MIDAS questions, in questionnaire order, in Cadence's own words. Each
#: answer is a number of days in the last 3 months (section 4).
MIDAS_ITEMS: tuple[str, ...] = (
    "In the last 3 months, on how many days did you miss work or school because of headaches?",
    "In the last 3 months, on how many days was your productivity at work or school cut by "
    "half or more because of headaches (not counting days you missed)?",
    "In the last 3 months, on how many days did you not do household work because of headaches?",
    "In the last 3 months, on how many days was your productivity in household work cut by "
    "half or more because of headaches (not counting days you did none)?",
    "In the last 3 months, on how many days did you miss family, social or leisure "
    "activities because of headaches?",
)
#: The two unscored MIDAS questions (section 4), kept for display only.
MIDAS_UNSCORED_ITEMS: tuple[str, ...] = (
    "In the last 3 months, on how many days did you have a headache?",
    "On a scale of 0 to 10, how painful were these headaches on average?",
)
#: Each answer counts days in the last 3 months; Cadence caps it at 90 (API contract).
MIDAS_MAX_DAYS: int = 90
#: clinic-reference.md section 7: "MIDAS day counts must add up: items 1 + 2 (work or
#: school: missed + halved, the second excluding the first's days) at most 90, items 3 + 4
#: (housework) at most 90, item 5 at most 90" -- (0-based item indexes, what they count).
MIDAS_DAY_GROUPS: tuple[tuple[tuple[int, ...], str], ...] = (
    ((0, 1), "work or school: days missed plus days at half productivity or less"),
    ((2, 3), "housework: days not done plus days at half productivity or less"),
    ((4,), "family, social or leisure activities missed"),
)
#: "the maximum score is 270" (section 7).
MIDAS_MAX_SCORE: int = MIDAS_MAX_DAYS * len(MIDAS_DAY_GROUPS)
#: "Grade I 0-5 (little or no disability), II 6-10 (mild), III 11-20 (moderate),
#: IV 21+ (severe)" -- (grade, lowest score, highest score or None, meaning).
MIDAS_GRADES: tuple[tuple[str, int, int | None, str], ...] = (
    ("I", 0, 5, "little or no disability"),
    ("II", 6, 10, "mild disability"),
    ("III", 11, 20, "moderate disability"),
    ("IV", 21, None, "severe disability"),
)
#: "Meaningful change: at least 5 points for scores 11-20" (section 4).
MIDAS_MIN_POINTS_CHANGE: int = 5
#: "... at least 30% for scores above 20" (section 4).
MIDAS_MIN_PERCENT_CHANGE: float = 30
_MIDAS_POINTS_BAND = (11, 20)


@dataclass(frozen=True, slots=True)
class MidasResult:
    """MIDAS total (sum of the five day counts) and grade "I".."IV"."""

    score: int
    grade: str


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def midas_grade(score: int) -> str:
    """Grade "I".."IV" for a MIDAS total (0 or more)."""
    if not _is_int(score) or score < 0:
        raise QuestionnaireError("MIDAS score must be a whole number of 0 or more", "score")
    for grade, low, high, _meaning in MIDAS_GRADES:
        if score >= low and (high is None or score <= high):
            return grade
    raise AssertionError("unreachable")  # pragma: no cover


def score_midas(answers: Sequence[int]) -> MidasResult:
    """Score the five MIDAS day counts (in ``MIDAS_ITEMS`` order, each 0-90; items 1 + 2
    and items 3 + 4 at most 90 days together, ``MIDAS_DAY_GROUPS``)."""
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        raise QuestionnaireError("MIDAS answers must be a list of 5 day counts")
    if len(answers) != len(MIDAS_ITEMS):
        raise QuestionnaireError(
            f"MIDAS needs exactly {len(MIDAS_ITEMS)} answers, got {len(answers)}"
        )
    for index, value in enumerate(answers):
        if not _is_int(value) or not 0 <= value <= MIDAS_MAX_DAYS:
            raise QuestionnaireError(
                f"MIDAS item {index + 1} must be a whole number of days from 0 to "
                f"{MIDAS_MAX_DAYS}, got {value!r}",
                f"answers[{index}]",
            )
    for items, what in MIDAS_DAY_GROUPS:
        days = sum(answers[i] for i in items)
        if len(items) > 1 and days > MIDAS_MAX_DAYS:
            numbers = " and ".join(str(i + 1) for i in items)
            raise QuestionnaireError(
                f"MIDAS items {numbers} ({what}) add up to {days} days, more than the "
                f"{MIDAS_MAX_DAYS} days in 3 months: a day counts in only one of them.",
                f"answers[{items[-1]}]",
            )
    score = sum(answers)
    return MidasResult(score=score, grade=midas_grade(score))


def _direction(points: int) -> str:
    return "better" if points < 0 else "worse" if points > 0 else "unchanged"


def _percent(previous: int, points: int) -> float | None:
    return None if previous == 0 else round(points * 100 / previous, 1)


def midas_change(previous: int, current: int) -> Change:
    """Change from a previous to a current MIDAS total (see module docstring for rules)."""
    for name, value in (("previous", previous), ("current", current)):
        if not _is_int(value) or not 0 <= value <= MIDAS_MAX_SCORE:
            raise QuestionnaireError(
                f"MIDAS {name} score must be 0-{MIDAS_MAX_SCORE}, got {value!r}", name
            )
    points = current - previous
    low, high = _MIDAS_POINTS_BAND
    if previous > high:
        # >= 30 % of the previous score; compare in integers to avoid float edges.
        meaningful = abs(points) * 100 >= MIDAS_MIN_PERCENT_CHANGE * previous
    elif previous >= low:
        meaningful = abs(points) >= MIDAS_MIN_POINTS_CHANGE
    else:
        changes_grade = midas_grade(current) != midas_grade(previous)
        meaningful = abs(points) >= MIDAS_MIN_POINTS_CHANGE and changes_grade
    return Change(
        points=points,
        percent=_percent(previous, points),
        meaningful=meaningful,
        direction=_direction(points),
    )


# ---------------------------------------------------------------------------------------
# HIT-6
# ---------------------------------------------------------------------------------------


class Hit6Answer(StrEnum):
    """HIT-6 response options (the API's answer values)."""

    never = "never"
    rarely = "rarely"
    sometimes = "sometimes"
    very_often = "very_often"
    always = "always"


#: "never / rarely / sometimes / very often / always = 6 / 8 / 10 / 11 / 13 points".
HIT6_POINTS: dict[Hit6Answer, int] = {
    Hit6Answer.never: 6,
    Hit6Answer.rarely: 8,
    Hit6Answer.sometimes: 10,
    Hit6Answer.very_often: 11,
    Hit6Answer.always: 13,
}
HIT6_ITEM_COUNT: int = 6
#: "total 36-78" (section 4).
HIT6_MIN_SCORE: int = HIT6_ITEM_COUNT * min(HIT6_POINTS.values())
HIT6_MAX_SCORE: int = HIT6_ITEM_COUNT * max(HIT6_POINTS.values())
#: "49 or less little or no impact, 50-55 some, 56-59 substantial, 60+ severe"
#: -- (band, lowest score, highest score, meaning).
HIT6_BANDS: tuple[tuple[str, int, int, str], ...] = (
    ("little", HIT6_MIN_SCORE, 49, "little or no impact"),
    ("some", 50, 55, "some impact"),
    ("substantial", 56, 59, "substantial impact"),
    ("severe", 60, HIT6_MAX_SCORE, "severe impact"),
)
#: "Meaningful change: 5 points or more" (section 4).
HIT6_MIN_POINTS_CHANGE: int = 5
#: Neutral labels naming each item's domain. NOT the licensed item text.
HIT6_NEUTRAL_LABELS: tuple[str, ...] = (
    "Item 1 – pain severity",
    "Item 2 – limits on daily activities",
    "Item 3 – need to lie down",
    "Item 4 – fatigue",
    "Item 5 – irritability",
    "Item 6 – concentration",
)


@dataclass(frozen=True, slots=True)
class Hit6Result:
    """HIT-6 total (36-78) and impact band."""

    score: int
    band: str


def hit6_band(score: int) -> str:
    """Impact band for a HIT-6 total (36-78)."""
    if not _is_int(score) or not HIT6_MIN_SCORE <= score <= HIT6_MAX_SCORE:
        raise QuestionnaireError(
            f"HIT-6 score must be {HIT6_MIN_SCORE}-{HIT6_MAX_SCORE}, got {score!r}", "score"
        )
    for band, low, high, _meaning in HIT6_BANDS:
        if low <= score <= high:
            return band
    raise AssertionError("unreachable")  # pragma: no cover


def score_hit6(answers: Sequence[str]) -> Hit6Result:
    """Score six HIT-6 answers (``Hit6Answer`` values, in item order)."""
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        raise QuestionnaireError("HIT-6 answers must be a list of 6 answers")
    if len(answers) != HIT6_ITEM_COUNT:
        raise QuestionnaireError(
            f"HIT-6 needs exactly {HIT6_ITEM_COUNT} answers, got {len(answers)}"
        )
    total = 0
    allowed = ", ".join(a.value for a in Hit6Answer)
    for index, value in enumerate(answers):
        try:
            answer = Hit6Answer(value)
        except ValueError:
            raise QuestionnaireError(
                f"HIT-6 item {index + 1} must be one of: {allowed}; got {value!r}",
                f"answers[{index}]",
            ) from None
        total += HIT6_POINTS[answer]
    return Hit6Result(score=total, band=hit6_band(total))


def hit6_change(previous: int, current: int) -> Change:
    """Change between two HIT-6 totals; meaningful at 5 points or more either way."""
    for name, value in (("previous", previous), ("current", current)):
        if not _is_int(value) or not HIT6_MIN_SCORE <= value <= HIT6_MAX_SCORE:
            raise QuestionnaireError(
                f"HIT-6 {name} score must be {HIT6_MIN_SCORE}-{HIT6_MAX_SCORE}, got {value!r}",
                name,
            )
    points = current - previous
    return Change(
        points=points,
        percent=_percent(previous, points),
        meaningful=abs(points) >= HIT6_MIN_POINTS_CHANGE,
        direction=_direction(points),
    )


def score_questionnaire(instrument: str, answers: Sequence[object]) -> MidasResult | Hit6Result:
    """Score ``answers`` for ``instrument`` ("MIDAS" or "HIT-6")."""
    try:
        which = Instrument(instrument)
    except ValueError:
        raise QuestionnaireError(
            f"instrument must be one of: {', '.join(i.value for i in Instrument)}", "instrument"
        ) from None
    if which is Instrument.MIDAS:
        return score_midas(answers)  # type: ignore[arg-type]
    return score_hit6(answers)  # type: ignore[arg-type]
