"""Medication-overuse headache (ICHD-3 8.2; clinic-reference.md sections 1 and 7).

Pure Python: no Django, no I/O. One owner for the question "does this diary show
medication overuse?": the per-day flags the diary stores (``overuse_day_flags``), the
pure count over ``RecordedDay`` records (``medication_overuse``) and the same answer from
counts as SQL aggregates return them (``overuse_from_counts``).

Public API
----------
Data
    ``OveruseDayFlags(is_overuse_class_day, is_simple_analgesic_day)``,
    ``OverusePeriod``, ``OveruseFlag``, ``OveruseCounts``.
Functions
    ``overuse_day_flags(drug_classes) -> OveruseDayFlags``
        the two stored diary columns (``cadence.rules.diary.OVERUSE_COLUMNS``) of a day on
        which medicines of ``drug_classes`` were taken.
    ``medication_overuse(days, as_of) -> OveruseFlag``
    ``overuse_windows(as_of) -> list[(start, end)]``  the 3 periods ending on ``as_of``.
    ``overuse_from_counts(periods, as_of) -> OveruseFlag``
        ``periods``: three ``OveruseCounts`` (oldest first) for the 28-day periods ending on
        ``as_of``; the same thresholds as ``medication_overuse``.
Constants
    ``OVERUSE_SPECIFIC_DAYS`` 10, ``OVERUSE_SIMPLE_ANALGESIC_DAYS`` 15,
    ``OVERUSE_PERIODS`` 3, ``OVERUSE_MIX_MIN_CLASSES`` 2, ``OVERUSE_MIX_DAYS`` 10,
    ``OVERUSE_SPECIFIC_CLASSES``, ``OVERUSE_MIX_CLASSES`` (ICHD-3 8.2.6's classes).

Conventions and interpretation choices
--------------------------------------
* A 28-day period "meets" the criterion when on >= 10 days the patient took a triptan,
  ergot, opioid or combination analgesic, or on >= 15 days a simple analgesic, **or**
  (ICHD-3 8.2.6, clinic-reference.md section 7) acute medicines of 2 or more classes from
  ``OVERUSE_MIX_CLASSES`` (triptans, ergots, opioids, combination analgesics, simple
  analgesics) were taken on >= 10 days in total, even when no class alone crosses its
  line (6 triptan days + 6 paracetamol days: 12 days, 2 classes). The classes may be
  taken on different days; a day counts once (``counted_days``). A **mix day** is a
  day with 2 or more different classes of ``OVERUSE_MIX_CLASSES`` (shown in the detail).
  Because simple analgesics are the only counted class outside
  ``OVERUSE_SPECIFIC_CLASSES``, "2 or more classes, none over its line" is met from the
  stored flags alone: specific-class days > 0, simple-analgesic days > 0 and
  ``counted_days`` >= 10 (``overuse_from_counts``).
* **Shown but not counted**: gepants and antiemetics (not ICHD-3 overuse classes),
  ``other`` and any class Cadence does not know (e.g. a value from an old import) are
  shown with the day's medicines but never make an overuse-class day, a
  simple-analgesic day or a mix. ``overuse_day_flags`` ignores an
  unknown class instead of raising, so the stored flags, ``medication_overuse`` and the
  SQL counts give the same answer on any diary.
* "Sustained for more than 3 months" = the criterion is met in **each of the 3
  consecutive 28-day periods** ending on ``as_of`` (84 days). Days are counted raw
  (never scaled) and unrecorded days count as no medicine, so gaps can only hide, never
  create, a flag; medicine is counted from ``acute_drug_classes`` even on a day without
  headache.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cadence.rules.diary import AcuteDrugClass
from cadence.rules.outcomes import PERIOD_DAYS, RecordedDay, days_by_date

__all__ = [
    "OVERUSE_MIX_CLASSES",
    "OVERUSE_MIX_DAYS",
    "OVERUSE_MIX_MIN_CLASSES",
    "OVERUSE_PERIODS",
    "OVERUSE_SIMPLE_ANALGESIC_DAYS",
    "OVERUSE_SPECIFIC_CLASSES",
    "OVERUSE_SPECIFIC_DAYS",
    "OveruseCounts",
    "OveruseDayFlags",
    "OveruseFlag",
    "OverusePeriod",
    "medication_overuse",
    "overuse_day_flags",
    "overuse_from_counts",
    "overuse_windows",
]

# --- Section 1: medication-overuse headache (ICHD-3 8.2) -------------------------------
#: "triptans, ergots, opioids, combination analgesics or a mix of acute classes on 10 or
#: more days" in a 28-day period.
OVERUSE_SPECIFIC_DAYS: int = 10
OVERUSE_SPECIFIC_CLASSES: frozenset[AcuteDrugClass] = frozenset(
    {
        AcuteDrugClass.triptan,
        AcuteDrugClass.ergot,
        AcuteDrugClass.opioid,
        AcuteDrugClass.combination_analgesic,
    }
)
#: ICHD-3 8.2.6's classes (section 7): "triptans, ergots, opioids, combination analgesics,
#: simple analgesics". Gepants and antiemetics are shown but are not ICHD-3 overuse classes.
OVERUSE_MIX_CLASSES: frozenset[AcuteDrugClass] = OVERUSE_SPECIFIC_CLASSES | {
    AcuteDrugClass.simple_analgesic,
}
#: "simple analgesics (paracetamol, NSAIDs, aspirin) on 15 or more days".
OVERUSE_SIMPLE_ANALGESIC_DAYS: int = 15
#: "sustained for more than 3 months" = met in each of the last 3 consecutive 28-day periods.
OVERUSE_PERIODS: int = 3
#: ICHD-3 8.2.6: "acute medicines of two or more classes" (from OVERUSE_MIX_CLASSES).
OVERUSE_MIX_MIN_CLASSES: int = 2
#: ICHD-3 8.2.6: "on 10 or more days per period in total".
OVERUSE_MIX_DAYS: int = 10


# =======================================================================================
# One diary day
# =======================================================================================


@dataclass(frozen=True, slots=True)
class OveruseDayFlags:
    """Medication-overuse counting flags of one diary day (stored on the diary day)."""

    is_overuse_class_day: bool = False
    is_simple_analgesic_day: bool = False


def _known_classes(drug_classes: Iterable[AcuteDrugClass | str]) -> frozenset[AcuteDrugClass]:
    known = set()
    for value in drug_classes:
        try:
            known.add(AcuteDrugClass(value))
        except ValueError:
            continue  # shown with the day's medicines, never counted (module docstring)
    return frozenset(known)


def _is_mix(classes: frozenset[AcuteDrugClass]) -> bool:
    return len(classes & OVERUSE_MIX_CLASSES) >= OVERUSE_MIX_MIN_CLASSES


def overuse_day_flags(drug_classes: Iterable[AcuteDrugClass | str]) -> OveruseDayFlags:
    """Flags for a day on which medicines of ``drug_classes`` were taken.

    An overuse-class day is a day with a triptan, ergot, opioid or combination analgesic,
    or a mix of 2+ different classes from ``OVERUSE_MIX_CLASSES``; a simple-analgesic day
    is a day with a simple analgesic. Gepants, antiemetics, ``other`` and unknown classes
    count for neither (they are ignored, never an error).
    """
    classes = _known_classes(drug_classes)
    return OveruseDayFlags(
        is_overuse_class_day=bool(_is_mix(classes) or classes & OVERUSE_SPECIFIC_CLASSES),
        is_simple_analgesic_day=AcuteDrugClass.simple_analgesic in classes,
    )


# =======================================================================================
# Three 28-day periods
# =======================================================================================


@dataclass(frozen=True, slots=True)
class OverusePeriod:
    """Medication-overuse counts for one 28-day period (raw recorded days)."""

    start: date
    end: date
    days_recorded: int
    specific_or_mix_days: int  # triptan/ergot/opioid/combination, or a mix of classes
    simple_analgesic_days: int
    mix_days: int
    met: bool
    #: Days with any ICHD-3 8.2.6 class (OVERUSE_MIX_CLASSES), each day once.
    counted_days: int = 0
    #: Met through ICHD-3 8.2.6 (2+ classes on >= 10 days in total) only.
    met_by_combination: bool = False


@dataclass(frozen=True, slots=True)
class OveruseFlag:
    """Medication-overuse headache flag (ICHD-3 8.2). Cadence flags; it never excludes."""

    flagged: bool
    detail: str
    periods: tuple[OverusePeriod, ...] = ()


def _period_met(specific: int, simple: int, counted: int, classes: int) -> tuple[bool, bool]:
    """(met, met by ICHD-3 8.2.6 only) for one period's counts."""
    single = specific >= OVERUSE_SPECIFIC_DAYS or simple >= OVERUSE_SIMPLE_ANALGESIC_DAYS
    combination = counted >= OVERUSE_MIX_DAYS and classes >= OVERUSE_MIX_MIN_CLASSES
    return single or combination, combination and not single


def _overuse_period(by_date: Mapping[date, RecordedDay], start: date, end: date) -> OverusePeriod:
    recorded = [d for on, d in by_date.items() if start <= on <= end]
    specific_or_mix = simple = mix = counted = 0
    used: set[AcuteDrugClass] = set()
    for day in recorded:
        classes = _known_classes(day.acute_drug_classes) & OVERUSE_MIX_CLASSES
        flags = overuse_day_flags(classes)
        mix += _is_mix(classes)
        specific_or_mix += flags.is_overuse_class_day
        simple += flags.is_simple_analgesic_day
        counted += bool(classes)
        used |= classes
    met, by_combination = _period_met(specific_or_mix, simple, counted, len(used))
    return OverusePeriod(
        start=start,
        end=end,
        days_recorded=len(recorded),
        specific_or_mix_days=specific_or_mix,
        simple_analgesic_days=simple,
        mix_days=mix,
        met=met,
        counted_days=counted,
        met_by_combination=by_combination,
    )


def _combination_text(periods: Sequence[OverusePeriod]) -> str:
    if not any(p.met_by_combination for p in periods):
        return ""
    return (
        f"; ICHD-3 8.2.6: acute medicines of {OVERUSE_MIX_MIN_CLASSES} or more classes on "
        f"{OVERUSE_MIX_DAYS}+ days in total in "
        f"{sum(p.met_by_combination for p in periods)} of these periods"
    )


def medication_overuse(
    days: Iterable[RecordedDay] | Mapping[object, RecordedDay],
    as_of: date,
) -> OveruseFlag:
    """Flag medication overuse in the 3 consecutive 28-day periods ending on ``as_of``."""
    by_date = days_by_date(days)
    periods = [_overuse_period(by_date, start, end) for start, end in overuse_windows(as_of)]
    flagged = all(p.met for p in periods)
    summary = "; ".join(
        f"{p.start.isoformat()}..{p.end.isoformat()}: {p.specific_or_mix_days} days of "
        f"triptan/ergot/opioid/combination or mixed classes, {p.simple_analgesic_days} days "
        f"of simple analgesics, {p.counted_days} days of any overuse class "
        f"({p.days_recorded} days recorded)"
        for p in periods
    )
    met_count = sum(p.met for p in periods)
    if flagged:
        head = (
            f"possible medication-overuse headache: acute medicine above the ICHD-3 8.2 "
            f"threshold (>= {OVERUSE_SPECIFIC_DAYS} days of triptans, ergots, opioids, "
            f"combination analgesics or mixed classes, or >= {OVERUSE_SIMPLE_ANALGESIC_DAYS} "
            f"days of simple analgesics, or >= {OVERUSE_MIX_DAYS} days of 2 or more classes "
            f"together) in each of the last {OVERUSE_PERIODS} 28-day periods"
            f"{_combination_text(periods)}"
        )
    else:
        head = (
            f"no medication overuse flag: threshold met in {met_count} of the last "
            f"{OVERUSE_PERIODS} 28-day periods (all {OVERUSE_PERIODS} needed)"
        )
    return OveruseFlag(flagged=flagged, detail=f"{head}. {summary}", periods=tuple(periods))


# =======================================================================================
# From counts (SQL aggregates)
# =======================================================================================


@dataclass(frozen=True, slots=True)
class OveruseCounts:
    """Raw medication-overuse counts of one 28-day period.

    ``counted_days``: days with a specific-class *or* a simple-analgesic flag (each day
    once), for ICHD-3 8.2.6. ``None`` (not counted) falls back to the larger of the two
    counts, which can only miss a combination, never invent one."""

    start: date
    end: date
    days_recorded: int
    specific_or_mix_days: int
    simple_analgesic_days: int
    counted_days: int | None = None


def overuse_windows(as_of: date) -> list[tuple[date, date]]:
    """The ``OVERUSE_PERIODS`` consecutive 28-day periods ending on ``as_of``, oldest first."""
    windows = []
    for k in range(OVERUSE_PERIODS - 1, -1, -1):
        end = as_of - timedelta(days=PERIOD_DAYS * k)
        windows.append((end - timedelta(days=PERIOD_DAYS - 1), end))
    return windows


def _period_from_counts(p: OveruseCounts) -> OverusePeriod:
    specific, simple = p.specific_or_mix_days, p.simple_analgesic_days
    counted = max(specific, simple) if p.counted_days is None else p.counted_days
    # Simple analgesics are the one counted class outside the specific classes, so the
    # stored flags show 2+ classes when both counts are positive (module docstring).
    classes = (specific > 0) + (simple > 0)
    met, by_combination = _period_met(specific, simple, counted, classes)
    return OverusePeriod(
        start=p.start,
        end=p.end,
        days_recorded=p.days_recorded,
        specific_or_mix_days=specific,
        simple_analgesic_days=simple,
        mix_days=0,
        met=met,
        counted_days=counted,
        met_by_combination=by_combination,
    )


def overuse_from_counts(periods: Sequence[OveruseCounts], as_of: date) -> OveruseFlag:
    """The medication-overuse flag from the counts of the 3 periods ending on ``as_of``."""
    built = tuple(_period_from_counts(p) for p in periods)
    flagged = len(built) == OVERUSE_PERIODS and all(p.met for p in built)
    summary = "; ".join(
        f"{p.start.isoformat()} to {p.end.isoformat()}: {p.specific_or_mix_days} days of "
        f"triptans/ergots/opioids/combination analgesics or mixed classes, "
        f"{p.simple_analgesic_days} days of simple analgesics, {p.counted_days} days of any "
        "overuse class"
        for p in built
    )
    if flagged:
        head = (
            f"Possible medication-overuse headache: acute medicine at or above the ICHD-3 8.2 "
            f"threshold ({OVERUSE_SPECIFIC_DAYS}+ days of specific or mixed classes, "
            f"{OVERUSE_SIMPLE_ANALGESIC_DAYS}+ days of simple analgesics, or "
            f"{OVERUSE_MIX_DAYS}+ days of 2 or more classes together) in each of the last "
            f"{OVERUSE_PERIODS} 28-day periods{_combination_text(built)}"
        )
    else:
        met = sum(p.met for p in built)
        head = f"No medication-overuse flag: threshold met in {met} of the last {OVERUSE_PERIODS} 28-day periods"
    return OveruseFlag(flagged=flagged, detail=f"{head}. {summary}", periods=built)
