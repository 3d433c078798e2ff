"""The public self-check: is a consultation about onabotulinumtoxinA likely worthwhile?

Pure Python, no Django. A visitor answers a few questions; ``assess_self_check`` says how
likely a consultation is to be worthwhile and why, in plain words. It never diagnoses:
every answer ends with ``NOT_A_DIAGNOSIS``. The thresholds are the candidacy rule's
(clinic-reference.md section 1, via ``cadence.rules.candidacy`` and
``cadence.rules.payer``), never new numbers.

Public API
----------
- ``SelfCheckAnswers(headache_days_per_month, months_with_pattern, migraine_feature_days,
  preventive_classes_tried, midas_score=None)``
- ``SelfCheckLevel``: ``likely`` (the pattern fits and enough preventives were tried),
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
    CHRONIC_MIN_HEADACHE_DAYS,
    CHRONIC_MIN_MIGRAINE_DAYS,
    CHRONIC_MIN_MONTHS_EXCLUSIVE,
)
from cadence.rules.payer import DEFAULT_MIN_PREVENTIVE_CLASSES
from cadence.rules.questionnaires import MIDAS_GRADES, MIDAS_MAX_DAYS, midas_grade

__all__ = [
    "MAX_DAYS_PER_MONTH",
    "NOT_A_DIAGNOSIS",
    "SelfCheckAnswers",
    "SelfCheckLevel",
    "SelfCheckResult",
    "assess_self_check",
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

NOT_A_DIAGNOSIS = (
    "This self-check is not a diagnosis. Only a clinician who has seen you can say whether "
    "a treatment suits you."
)


class SelfCheckLevel(StrEnum):
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
    score = answers.midas_score
    if score is not None and (
        isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= _MIDAS_MAX_SCORE
    ):
        problems.append(("midas_score", f"Enter a MIDAS score from 0 to {_MIDAS_MAX_SCORE}."))
    return problems


def assess_self_check(answers: SelfCheckAnswers) -> SelfCheckResult:
    """How worthwhile a consultation looks, with the reasons in plain words."""
    problems = self_check_problems(answers)
    if problems:
        raise ValueError("; ".join(f"{field}: {message}" for field, message in problems))
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
