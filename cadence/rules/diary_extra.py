"""Diary rules the diary app needs beyond ``cadence.rules.diary`` (clinic-reference.md
section 1): the per-day medication-overuse flags that ``cadence.rules.outcomes`` counts.

Pure Python: no Django, no I/O.

Public API
----------
``OveruseDayFlags(is_overuse_class_day, is_simple_analgesic_day)``
``overuse_day_flags(drug_classes) -> OveruseDayFlags``

The definition is exactly the one ``cadence.rules.outcomes.medication_overuse`` applies
per day (its module docstring): an *overuse-class day* is a day on which a triptan, ergot,
opioid or combination analgesic was taken, or 2 or more different classes from
``OVERUSE_MIX_CLASSES`` (a "mix of acute classes"); a *simple-analgesic day* is a day on
which a simple analgesic was taken. Medicine counts even on a day without headache, as in
outcomes.py. Storing these two flags per day lets the outcomes app count the ICHD-3 8.2
thresholds in SQL and get the same answer as the pure function.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cadence.rules.diary import AcuteDrugClass
from cadence.rules.outcomes import OVERUSE_MIX_CLASSES, OVERUSE_SPECIFIC_CLASSES

__all__ = ["OveruseDayFlags", "overuse_day_flags"]

#: Different classes from OVERUSE_MIX_CLASSES on one day that make a "mix" day.
_MIX_MIN_CLASSES = 2


@dataclass(frozen=True, slots=True)
class OveruseDayFlags:
    """Medication-overuse counting flags of one diary day."""

    is_overuse_class_day: bool = False
    is_simple_analgesic_day: bool = False


def overuse_day_flags(drug_classes: Iterable[AcuteDrugClass | str]) -> OveruseDayFlags:
    """Flags for a day on which medicines of ``drug_classes`` were taken.

    Raises ``ValueError`` for an unknown class (validate with
    ``cadence.rules.diary.diary_day_problems`` first).
    """
    classes = frozenset(AcuteDrugClass(c) for c in drug_classes)
    is_mix = len(classes & OVERUSE_MIX_CLASSES) >= _MIX_MIN_CLASSES
    return OveruseDayFlags(
        is_overuse_class_day=bool(is_mix or classes & OVERUSE_SPECIFIC_CLASSES),
        is_simple_analgesic_day=AcuteDrugClass.simple_analgesic in classes,
    )
