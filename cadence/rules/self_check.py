"""The public self-check: is a consultation about onabotulinumtoxinA likely worthwhile?

Pure Python, no Django. A visitor answers a few questions; ``assess_self_check`` says how
likely a consultation is to be worthwhile and why, in plain words. It never diagnoses:
every answer ends with ``NOT_A_DIAGNOSIS``. The thresholds are the candidacy rule's
(clinic-reference.md section 1, via ``cadence.rules.candidacy`` and
``cadence.rules.payer``), never new numbers.

Red flags first (clinic-reference.md section 7, SNNOOP10-style): a sudden "worst ever"
headache, a new headache after 50, a headache with fever and stiff neck, weakness,
numbness, confusion or loss of vision, a headache after a head injury, or a changed
pattern. Any of them: the answer is ``SelfCheckLevel.red_flag``, advising urgent medical
assessment now, with no word about the treatment and no consultation summary (nothing that
suggests booking instead). "A new headache after 50" is ticked by the visitor, and also
follows from the age and how long the pattern has lasted (age at onset 50 or more).

Public API
----------
- ``RedFlag`` (the six questions), ``RED_FLAG_QUESTIONS`` (the question a visitor ticks),
  ``NEW_HEADACHE_AGE`` (50), ``RED_FLAG_HEADLINE``, ``RED_FLAG_ADVICE``
- ``red_flags(answers) -> tuple[RedFlag, ...]``: every red flag, in question order
- ``SelfCheckAnswers(headache_days_per_month, months_with_pattern, migraine_feature_days,
  preventive_classes_tried, midas_score=None, age=None, red_flags=frozenset())``
- ``SelfCheckLevel``: ``red_flag`` (a red flag: urgent medical assessment now), ``likely`` (the pattern fits and enough preventives were tried),
  ``possible`` (the pattern fits but a payer would ask for more preventive trials, or the
  pattern is frequent but recent), ``unlikely`` (fewer headache days than the treatment is
  approved for; a consultation can still discuss other options).
- ``SelfCheckResult(level, headline, reasons, summary)``; ``summary`` is a short text that
  pre-fills the consultation form's message.
- ``assess_self_check(answers) -> SelfCheckResult``; ``self_check_problems(answers)``
  lists ``(field, message)`` for answers out of range.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cadence.rules.candidacy import (
    ADULT_AGE,
    CHRONIC_MIN_HEADACHE_DAYS,
    CHRONIC_MIN_MIGRAINE_DAYS,
    CHRONIC_MIN_MONTHS_EXCLUSIVE,
)
from cadence.rules.payer import DEFAULT_MIN_PREVENTIVE_CLASSES
from cadence.rules.questionnaires import MIDAS_GRADES, MIDAS_MAX_DAYS, midas_grade

__all__ = [
    "MAX_AGE",
    "MAX_DAYS_PER_MONTH",
    "NEW_HEADACHE_AGE",
    "NOT_A_DIAGNOSIS",
    "RED_FLAG_ADVICE",
    "RED_FLAG_HEADLINE",
    "RED_FLAG_QUESTIONS",
    "RedFlag",
    "SelfCheckAnswers",
    "SelfCheckLevel",
    "SelfCheckResult",
    "assess_self_check",
    "red_flags",
    "self_check_problems",
]

#: A month has at most 31 days.
MAX_DAYS_PER_MONTH = 31
#: Ten years is enough to say "a long time"; answers above it are refused as typos.
MAX_MONTHS = 600
#: The number of oral preventive classes on clinic-reference.md's list.
MAX_PREVENTIVE_CLASSES = 6
#: MIDAS grades from "III" up mean moderate or severe disability.
_SUBSTANTIAL_MIDAS_GRADES = frozenset({"III", "IV"})
_MIDAS_MAX_SCORE = MIDAS_MAX_DAYS * 5

#: Oldest age the form takes; above it is refused as a typo.
MAX_AGE = 120
#: Section 7: "a new headache after 50" (an onset at 50 or older counts: the conservative
#: reading of "after 50").
NEW_HEADACHE_AGE = 50
MONTHS_PER_YEAR = 12


class RedFlag(StrEnum):
    """The red-flag questions of clinic-reference.md section 7."""

    sudden_worst_ever = "sudden_worst_ever"
    new_after_50 = "new_after_50"
    fever_and_stiff_neck = "fever_and_stiff_neck"
    weakness_numbness_confusion_vision = "weakness_numbness_confusion_vision"
    after_head_injury = "after_head_injury"
    changed_pattern = "changed_pattern"


#: What the visitor ticks, in plain words (section 7's list).
RED_FLAG_QUESTIONS: dict[RedFlag, str] = {
    RedFlag.sudden_worst_ever: "A sudden headache that is the worst you have ever had",
    RedFlag.new_after_50: f"Your headaches started after you turned {NEW_HEADACHE_AGE}",
    RedFlag.fever_and_stiff_neck: "A headache with a fever and a stiff neck",
    RedFlag.weakness_numbness_confusion_vision: (
        "Weakness, numbness, confusion or loss of vision with your headache"
    ),
    RedFlag.after_head_injury: "A headache that began after a head injury",
    RedFlag.changed_pattern: (
        "Your headaches have changed: a new kind of headache, or a clear change in how "
        "they feel or how often they come"
    ),
}

RED_FLAG_HEADLINE = "Please get a medical assessment now."
RED_FLAG_ADVICE: tuple[str, ...] = (
    "What you have told us can be a sign of a headache that a doctor should check today, "
    "before anything else.",
    "Please call your local emergency number, or go to the nearest emergency department, "
    "now. If you are unsure, call your emergency number and describe what you have.",
    "Show them what you told us, listed below.",
)

NOT_A_DIAGNOSIS = (
    "This self-check is not a diagnosis. Only a clinician who has seen you can say whether "
    "a treatment suits you."
)


class SelfCheckLevel(StrEnum):
    red_flag = "red_flag"
    likely = "likely"
    possible = "possible"
    unlikely = "unlikely"


@dataclass(frozen=True, slots=True)
class SelfCheckAnswers:
    headache_days_per_month: int
    months_with_pattern: int
    migraine_feature_days: int
    preventive_classes_tried: int
    midas_score: int | None = None
    age: int | None = None
    red_flags: frozenset[RedFlag] = frozenset()


@dataclass(frozen=True, slots=True)
class SelfCheckResult:
    level: SelfCheckLevel
    headline: str
    reasons: tuple[str, ...]
    summary: str


def self_check_problems(answers: SelfCheckAnswers) -> list[tuple[str, str]]:
    """``(field, message)`` for every answer that is out of range (empty when fine)."""
    problems: list[tuple[str, str]] = []
    checks = (
        ("headache_days_per_month", answers.headache_days_per_month, MAX_DAYS_PER_MONTH, "days"),
        ("months_with_pattern", answers.months_with_pattern, MAX_MONTHS, "months"),
        ("migraine_feature_days", answers.migraine_feature_days, MAX_DAYS_PER_MONTH, "days"),
        (
            "preventive_classes_tried",
            answers.preventive_classes_tried,
            MAX_PREVENTIVE_CLASSES,
            "kinds of medicine",
        ),
    )
    for name, value, high, unit in checks:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
            problems.append((name, f"Enter a whole number of {unit} from 0 to {high}."))
    if not problems and answers.migraine_feature_days > answers.headache_days_per_month:
        problems.append(
            (
                "migraine_feature_days",
                "Days with migraine features are part of your headache days, so they cannot "
                "be more than your headache days.",
            )
        )
    age = answers.age
    if age is not None and (
        isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE
    ):
        problems.append(("age", f"Enter your age in whole years, from 0 to {MAX_AGE}."))
    try:
        frozenset(RedFlag(flag) for flag in answers.red_flags)
    except (TypeError, ValueError):
        problems.append(("red_flags", "Tick only the questions on the list."))
    score = answers.midas_score
    if score is not None and (
        isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= _MIDAS_MAX_SCORE
    ):
        problems.append(("midas_score", f"Enter a MIDAS score from 0 to {_MIDAS_MAX_SCORE}."))
    return problems


def red_flags(answers: SelfCheckAnswers) -> tuple[RedFlag, ...]:
    """Every red flag of the answers, in question order: those ticked, and "a new headache
    after 50" when the age and the months the pattern has lasted put its start at 50 or
    later. (Answers must be valid: see ``self_check_problems``.)"""
    found = {RedFlag(flag) for flag in answers.red_flags}
    if answers.age is not None and answers.age >= NEW_HEADACHE_AGE:
        age_at_start_in_months = answers.age * MONTHS_PER_YEAR - answers.months_with_pattern
        if age_at_start_in_months >= NEW_HEADACHE_AGE * MONTHS_PER_YEAR:
            found.add(RedFlag.new_after_50)
    return tuple(flag for flag in RedFlag if flag in found)


def assess_self_check(answers: SelfCheckAnswers) -> SelfCheckResult:
    """How worthwhile a consultation looks, with the reasons in plain words; any red flag
    first and alone: urgent medical assessment now, nothing about the treatment."""
    problems = self_check_problems(answers)
    if problems:
        raise ValueError("; ".join(f"{field}: {message}" for field, message in problems))
    flags = red_flags(answers)
    if flags:
        return SelfCheckResult(
            level=SelfCheckLevel.red_flag,
            headline=RED_FLAG_HEADLINE,
            reasons=tuple(RED_FLAG_QUESTIONS[flag] for flag in flags),
            summary="",
        )
    days = answers.headache_days_per_month
    months = answers.months_with_pattern
    migraine_days = answers.migraine_feature_days
    tried = answers.preventive_classes_tried
    reasons: list[str] = []

    frequent = days >= CHRONIC_MIN_HEADACHE_DAYS
    long_enough = months > CHRONIC_MIN_MONTHS_EXCLUSIVE
    migrainous = migraine_days >= CHRONIC_MIN_MIGRAINE_DAYS
    enough_preventives = tried >= DEFAULT_MIN_PREVENTIVE_CLASSES

    if frequent:
        reasons.append(
            f"You have headaches on {days} days a month. The treatment is for people with "
            f"headaches on {CHRONIC_MIN_HEADACHE_DAYS} or more days a month."
        )
    else:
        reasons.append(
            f"You have headaches on {days} days a month. The treatment is approved for people "
            f"with headaches on {CHRONIC_MIN_HEADACHE_DAYS} or more days a month, so other "
            "treatments may suit you better."
        )
    if long_enough:
        reasons.append(
            f"This pattern has lasted {months} months (more than {CHRONIC_MIN_MONTHS_EXCLUSIVE})."
        )
    else:
        reasons.append(
            f"This pattern has lasted {months} months. It needs to have lasted more than "
            f"{CHRONIC_MIN_MONTHS_EXCLUSIVE} months; a headache diary in the meantime helps."
        )
    if migrainous:
        reasons.append(f"{migraine_days} of those days have migraine features.")
    else:
        reasons.append(
            f"{migraine_days} of those days have migraine features; the treatment is for people "
            f"with migraine features on at least {CHRONIC_MIN_MIGRAINE_DAYS} days a month."
        )
    if enough_preventives:
        reasons.append(f"You have tried {tried} kinds of preventive medicine.")
    else:
        reasons.append(
            f"You have tried {tried} kind{'s' if tried != 1 else ''} of preventive medicine. "
            f"Most insurers ask for at least {DEFAULT_MIN_PREVENTIVE_CLASSES} to have been "
            "tried first; we can talk about these options with you."
        )
    if answers.age is not None and answers.age < ADULT_AGE:
        reasons.append(
            f"You are {answers.age}. The treatment is approved for adults ({ADULT_AGE} and "
            "over); a consultation can still look at the options for you."
        )
    if answers.midas_score is not None:
        grade = midas_grade(answers.midas_score)
        meaning = next(m for g, _low, _high, m in MIDAS_GRADES if g == grade)
        reasons.append(
            f"Your MIDAS score is {answers.midas_score} (grade {grade}, {meaning})"
            + (
                ": your headaches weigh on daily life."
                if grade in _SUBSTANTIAL_MIDAS_GRADES
                else "."
            )
        )

    if frequent and long_enough and migrainous and enough_preventives:
        level = SelfCheckLevel.likely
        headline = "A consultation is likely to be worthwhile."
    elif frequent and migrainous:
        level = SelfCheckLevel.possible
        headline = "A consultation may be worthwhile."
    else:
        level = SelfCheckLevel.unlikely
        headline = (
            "This treatment may not be the best fit for you, but a consultation can still "
            "look at other options."
        )
    reasons.append(NOT_A_DIAGNOSIS)
    summary = (
        f"Self-check: headaches on {days} days a month for {months} months, migraine features "
        f"on {migraine_days} days, {tried} preventive medicine kind{'s' if tried != 1 else ''} tried"
        + (f", MIDAS {answers.midas_score}" if answers.midas_score is not None else "")
        + "."
    )
    return SelfCheckResult(level=level, headline=headline, reasons=tuple(reasons), summary=summary)
