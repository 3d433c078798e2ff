"""Classify one headache-diary day (clinic-reference.md section 1).

Pure Python: no Django, no I/O. The Django diary app stores the raw answers; these
functions derive the flags the API returns (``is_headache_day``, ``is_migraine_day``,
``is_moderate_severe_day``) and that outcomes.py counts.

Public API
----------
Enums
    ``PeakSeverity``      none, mild, moderate, severe.
    ``AcuteDrugClass``    triptan, ergot, opioid, combination_analgesic, simple_analgesic,
                          gepant, antiemetic, other (the API contract's values).
Data
    ``AcuteMedicationTaken(name, drug_class, relieved)``
    ``DiaryDayFacts(headache_hours, peak_severity, unilateral, pulsating,
    worse_with_activity, nausea, vomiting, photophobia, phonophobia, aura,
    acute_medications)``
    ``DayClassification(is_headache_day, is_migraine_day, is_probable_migraine_day,
    is_moderate_severe_day, is_acute_medication_day, is_triptan_day, is_treated_day)``
Functions
    ``pain_feature_count(facts) -> int``           ICHD-3 criterion C features present.
    ``has_pain_features(facts) -> bool``           at least 2 pain features.
    ``has_associated_features(facts) -> bool``     ICHD-3 criterion D met.
    ``is_treated(facts) -> bool``                  triptan/ergot/gepant taken and relieved.
    ``has_headache(facts) -> bool``                any headache at all (hours > 0 or treated).
    ``classify_day(facts) -> DayClassification``   section 1 steps 1-6, in order.
    ``diary_day_problems(facts) -> list[tuple[str, str]]``  (field, message) validation.
Constants
    ``MIN_HEADACHE_HOURS`` (4), ``MAX_HOURS`` (24), ``MIN_PAIN_FEATURES`` (2),
    ``TREATING_CLASSES``, ``MODERATE_OR_SEVERE``, ``NO_HEADACHE`` (the classification of
    a headache-free day), ``DIARY_GAP_DAYS`` (3, a Cadence default).
Stored columns
    ``CLASSIFICATION_COLUMNS`` (the fields of ``DayClassification``), ``OVERUSE_COLUMNS``
    (the fields of ``cadence.rules.overuse.OveruseDayFlags``) and ``DERIVED_COLUMNS``
    (both): the names of the derived columns a stored diary day keeps for SQL counts. The
    diary model, its services and every selector that reads them use these lists.

Interpretation choices (documented here because the reference leaves them open)
------------------------------------------------------------------------------
* **"A day with no headache"** is a day with ``headache_hours == 0`` that is *not* a
  treated day. A relieving triptan/ergot/gepant with 0 hours recorded is a headache
  aborted by the drug, so it is a treated day, hence a headache and migraine day.
* **Aura with a short headache** (0 < hours < 4, not treated) is a migraine day (step 4:
  "any day with aura and headache") but **not** a headache day: step 3 defines a
  headache day as >= 4 h or treated, and Cadence does not widen that definition because
  headache days are the primary outcome and the payer responder measure. So the
  invariant is: a migraine day is always a headache day, a treated day, or an aura day
  with headache. Such a day is also not a moderate/severe day (step 5 needs a headache
  day). Aura with no headache at all (hours 0, not treated) is none of these.
* **Probable migraine** (``is_probable_migraine_day``) is set only when the day qualifies
  through the feature criteria alone with exactly one of the two groups met. A day that
  qualifies as treated or as aura-with-headache counts as (full) migraine; in every case
  ``is_migraine_day`` includes probable migraine, as trials count both.
* **Acute-medication day / triptan day** follow "a day with no headache is none of
  these": medicine taken on a headache-free day does not make an acute-medication day
  here. (Medication-overuse counting in outcomes.py uses the raw drug classes instead.)
  Any class counts for an acute-medication day, antiemetics and "other" included.
* A headache with ``peak_severity == none`` (the patient did not rate it) is accepted;
  it simply lacks the moderate/severe pain feature.
* ``classify_day`` never raises on odd input; call ``diary_day_problems`` first to
  reject it (the API answers 422 with the returned field names).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "CLASSIFICATION_COLUMNS",
    "DERIVED_COLUMNS",
    "DIARY_GAP_DAYS",
    "HEADACHE_FEATURES",
    "MAX_HOURS",
    "MIN_HEADACHE_HOURS",
    "MIN_PAIN_FEATURES",
    "MODERATE_OR_SEVERE",
    "NO_HEADACHE",
    "OVERUSE_COLUMNS",
    "TREATING_CLASSES",
    "AcuteDrugClass",
    "AcuteMedicationTaken",
    "DayClassification",
    "DiaryDayFacts",
    "PeakSeverity",
    "classify_day",
    "diary_day_problems",
    "has_associated_features",
    "has_headache",
    "has_pain_features",
    "is_treated",
    "pain_feature_count",
]

#: "Headache day: headache lasting 4 hours or more, or a treated day." (section 1, step 3)
MIN_HEADACHE_HOURS: float = 4
#: A diary day has 24 hours; ``headache_hours`` is 0-24 (API contract, "A diary day").
MAX_HOURS: float = 24
#: "at least two pain features" (section 1, step 4; ICHD-3 criterion C).
MIN_PAIN_FEATURES: int = 2
#: Cadence default (from the issue, not the clinic reference): a diary gap of this many
#: days gets a reminder, in the patient portal and as a diary nudge.
DIARY_GAP_DAYS: int = 3


class PeakSeverity(StrEnum):
    """Peak pain of the day."""

    none = "none"
    mild = "mild"
    moderate = "moderate"
    severe = "severe"


class AcuteDrugClass(StrEnum):
    """Acute (rescue) medicine classes, exactly the API contract's values."""

    triptan = "triptan"
    ergot = "ergot"
    opioid = "opioid"
    combination_analgesic = "combination_analgesic"
    simple_analgesic = "simple_analgesic"
    gepant = "gepant"
    antiemetic = "antiemetic"
    other = "other"


#: "Treated day: a triptan, ergot or gepant was taken for the headache and relieved it."
#: (section 1, step 2)
TREATING_CLASSES: frozenset[AcuteDrugClass] = frozenset(
    {AcuteDrugClass.triptan, AcuteDrugClass.ergot, AcuteDrugClass.gepant}
)
#: "moderate or severe peak pain" (section 1, steps 1 and 5).
MODERATE_OR_SEVERE: frozenset[PeakSeverity] = frozenset(
    {PeakSeverity.moderate, PeakSeverity.severe}
)


@dataclass(frozen=True, slots=True)
class AcuteMedicationTaken:
    """One acute medicine taken on the day and whether it relieved the headache."""

    name: str
    drug_class: AcuteDrugClass
    relieved: bool = False


@dataclass(frozen=True, slots=True)
class DiaryDayFacts:
    """The raw answers of one diary day (the clinically relevant subset of the API body)."""

    headache_hours: float
    peak_severity: PeakSeverity = PeakSeverity.none
    unilateral: bool = False
    pulsating: bool = False
    worse_with_activity: bool = False
    nausea: bool = False
    vomiting: bool = False
    photophobia: bool = False
    phonophobia: bool = False
    aura: bool = False
    acute_medications: tuple[AcuteMedicationTaken, ...] = ()
    #: Aura with no headache at all: a choice of its own (validation only; such a day
    #: classifies as a day with no headache).
    aura_without_headache: bool = False


#: The headache's features (ICHD-3 criteria C and D): recorded only with a headache.
HEADACHE_FEATURES: tuple[str, ...] = (
    "unilateral",
    "pulsating",
    "worse_with_activity",
    "nausea",
    "vomiting",
    "photophobia",
    "phonophobia",
)


@dataclass(frozen=True, slots=True)
class DayClassification:
    """Derived flags of one diary day (section 1, steps 2-6)."""

    is_headache_day: bool = False
    is_migraine_day: bool = False
    is_probable_migraine_day: bool = False
    is_moderate_severe_day: bool = False
    is_acute_medication_day: bool = False
    is_triptan_day: bool = False
    is_treated_day: bool = False


NO_HEADACHE = DayClassification()

#: The derived classification columns a stored diary day keeps, in order: the fields of
#: ``DayClassification`` (is_headache_day, is_migraine_day, ...).
CLASSIFICATION_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(DayClassification))
#: The medication-overuse flags a stored diary day keeps (the fields of
#: ``cadence.rules.overuse.OveruseDayFlags``; a test checks they agree).
OVERUSE_COLUMNS: tuple[str, ...] = ("is_overuse_class_day", "is_simple_analgesic_day")
#: Every derived column of a stored diary day.
DERIVED_COLUMNS: tuple[str, ...] = CLASSIFICATION_COLUMNS + OVERUSE_COLUMNS


def pain_feature_count(facts: DiaryDayFacts) -> int:
    """Number of ICHD-3 criterion C pain features present (0-4)."""
    return sum(
        (
            bool(facts.unilateral),
            bool(facts.pulsating),
            facts.peak_severity in MODERATE_OR_SEVERE,
            bool(facts.worse_with_activity),
        )
    )


def has_pain_features(facts: DiaryDayFacts) -> bool:
    """True when at least ``MIN_PAIN_FEATURES`` (2) pain features are present."""
    return pain_feature_count(facts) >= MIN_PAIN_FEATURES


def has_associated_features(facts: DiaryDayFacts) -> bool:
    """ICHD-3 criterion D: nausea or vomiting, or photophobia *and* phonophobia."""
    return bool(facts.nausea or facts.vomiting or (facts.photophobia and facts.phonophobia))


def is_treated(facts: DiaryDayFacts) -> bool:
    """Section 1 step 2: a triptan, ergot or gepant was taken and relieved the headache."""
    return any(
        med.drug_class in TREATING_CLASSES and med.relieved for med in facts.acute_medications
    )


def has_headache(facts: DiaryDayFacts) -> bool:
    """Whether the day had any headache: ``headache_hours > 0`` or a treated day."""
    return _hours(facts) > 0 or is_treated(facts)


def _hours(facts: DiaryDayFacts) -> float:
    hours = facts.headache_hours
    if hours is None or isinstance(hours, bool):
        return 0.0
    try:
        value = float(hours)
    except (TypeError, ValueError):
        return 0.0
    return value if math.isfinite(value) else 0.0


def classify_day(facts: DiaryDayFacts) -> DayClassification:
    """Classify a diary day following clinic-reference.md section 1, steps 1-6 in order.

    See the module docstring for the interpretation of the edge cases (aura with a short
    headache, treated day with 0 hours, probable migraine).
    """
    hours = _hours(facts)
    # Step 1: feature groups.
    pain_group = has_pain_features(facts)
    associated_group = has_associated_features(facts)
    # Step 2: treated day.
    treated = is_treated(facts)
    # "A day with no headache is none of these."
    if hours <= 0 and not treated:
        return NO_HEADACHE
    # Step 3: headache day.
    headache_day = hours >= MIN_HEADACHE_HOURS or treated
    # Step 4: migraine day (incl. probable).
    by_features = headache_day and (pain_group or associated_group)
    aura_with_headache = bool(facts.aura)  # a headache is present (checked above)
    migraine_day = by_features or treated or aura_with_headache
    probable = (
        by_features and (pain_group != associated_group) and not treated and not aura_with_headache
    )
    # Step 5: moderate/severe headache day.
    moderate_severe = headache_day and facts.peak_severity in MODERATE_OR_SEVERE
    # Step 6: acute-medication day, triptan day.
    acute_day = len(facts.acute_medications) > 0
    triptan_day = any(m.drug_class == AcuteDrugClass.triptan for m in facts.acute_medications)
    return DayClassification(
        is_headache_day=headache_day,
        is_migraine_day=migraine_day,
        is_probable_migraine_day=probable,
        is_moderate_severe_day=moderate_severe,
        is_acute_medication_day=acute_day,
        is_triptan_day=triptan_day,
        is_treated_day=treated,
    )


def diary_day_problems(facts: DiaryDayFacts) -> list[tuple[str, str]]:
    """Validate a diary day; return ``(field, message)`` pairs, empty when valid.

    Field names are the API's (``acute_medications[i].name`` for list items). Rules:

    * ``headache_hours`` must be a finite number from 0 to ``MAX_HOURS`` (24).
    * ``peak_severity`` must be a ``PeakSeverity`` value; it must be ``none`` when
      ``headache_hours`` is 0 -- unless a triptan/ergot/gepant relieved the headache (a
      treated day: the headache was real but aborted, so its peak may be rated).
      A headache (hours > 0) rated ``none`` is accepted as "not rated".
    * every acute medicine needs a non-empty name and a valid ``drug_class``.
    * a day with no headache (0 hours, not treated) has no headache features
      (``HEADACHE_FEATURES``) and no ``aura``; aura with no headache is the separate
      ``aura_without_headache``, which in turn can't go with hours of headache. A treated
      day with 0 hours (a headache aborted by the drug) may carry its features.
    """
    problems: list[tuple[str, str]] = []
    hours = facts.headache_hours
    hours_ok = False
    if isinstance(hours, bool) or not isinstance(hours, int | float | Decimal):
        problems.append(("headache_hours", "headache_hours must be a number of hours (0-24)"))
    elif not math.isfinite(float(hours)):
        problems.append(("headache_hours", "headache_hours must be a finite number"))
    elif hours < 0 or hours > MAX_HOURS:
        problems.append(("headache_hours", f"headache_hours must be between 0 and {MAX_HOURS:g}"))
    else:
        hours_ok = True

    severity_ok = True
    try:
        severity = PeakSeverity(facts.peak_severity)
    except ValueError:
        severity_ok = False
        allowed = ", ".join(s.value for s in PeakSeverity)
        problems.append(("peak_severity", f"peak_severity must be one of: {allowed}"))

    medications_ok = True
    for index, med in enumerate(facts.acute_medications):
        if not isinstance(med.name, str) or not med.name.strip():
            problems.append((f"acute_medications[{index}].name", "a medicine name is required"))
        try:
            AcuteDrugClass(med.drug_class)
        except ValueError:
            medications_ok = False
            allowed = ", ".join(c.value for c in AcuteDrugClass)
            problems.append(
                (f"acute_medications[{index}].drug_class", f"drug_class must be one of: {allowed}")
            )

    no_headache = hours_ok and medications_ok and hours == 0 and not is_treated(facts)
    if no_headache and severity_ok and severity != PeakSeverity.none:
        problems.append(
            (
                "peak_severity",
                "A day with 0 hours of headache can't have a worst pain: enter how many "
                "hours the headache lasted, or choose None.",
            )
        )
    if no_headache:
        ticked = [name for name in HEADACHE_FEATURES if getattr(facts, name)]
        if ticked:
            problems.append(
                (
                    ticked[0],
                    "A day with 0 hours of headache can't have headache features: enter how "
                    "many hours the headache lasted, or untick what it was like.",
                )
            )
        if facts.aura:
            problems.append(
                (
                    "aura",
                    "An aura with a headache needs the hours of headache; for an aura with "
                    'no headache at all, choose "Aura without headache" instead.',
                )
            )
    if hours_ok and (hours > 0 or is_treated(facts)) and facts.aura_without_headache:
        problems.append(
            (
                "aura_without_headache",
                '"Aura without headache" can\'t go with hours of headache: tick "Aura" '
                "among the headache's features instead.",
            )
        )
    return problems
