"""Preventive history that payers accept: was a preventive trial adequate?
(clinic-reference.md section 1: "an adequate trial (typically 2 months or more at a
therapeutic dose) of at least 2 oral preventive classes").

Pure Python: no Django, no I/O.

An *ineffective* trial counts as a failure only when it was adequate:

- **long enough**: at least ``MIN_ADEQUATE_TRIAL_WEEKS`` (8) weeks, from the recorded
  duration (``weeks``, or ``months`` from older records) or from start and end dates;
- **at a usual dose**: the daily dose in mg at least the drug's minimum usual daily dose
  in ``DEFAULT_MIN_DAILY_DOSES_MG`` (a clinic may pass its own table).

The answer (``Adequacy``): ``adequate``; ``too_short`` or ``low_dose`` (flagged: the
trial does not count); ``unknown_duration`` (the duration is not recorded: the trial
cannot be shown adequate); ``dose_not_checked`` (long enough, but the dose is not
recorded or the drug is not in the table: it counts, shown as "dose not checked");
``not_applicable`` for outcomes other than ineffective (a trial stopped because it was not
tolerated or is contraindicated counts whatever its length or dose).

**The minimum usual daily doses are Cadence defaults** chosen at the low end of the doses
used in migraine-prevention trials and guidelines (so that a real trial is not wrongly
discarded); they are not in clinic-reference.md and a clinic may change them (setting
``CADENCE_PREVENTIVE_MIN_DAILY_DOSES_MG``).

Public API
----------
- ``MIN_ADEQUATE_TRIAL_WEEKS``, ``DEFAULT_MIN_DAILY_DOSES_MG``, ``DRUG_ALIASES``
- ``Adequacy``, ``TrialAdequacy``
- ``trial_adequacy(*, drug, outcome, start=None, end=None, weeks=None, months=None,
  daily_dose_mg=None, min_doses=DEFAULT_MIN_DAILY_DOSES_MG) -> TrialAdequacy``
- ``normalise_drug(name) -> str``
- ``is_concurrent_preventive(drug_class, outcome, end, today) -> bool`` (a CGRP antibody
  or gepant taken now)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "CONCURRENT_PREVENTIVE_CLASSES",
    "DEFAULT_MIN_DAILY_DOSES_MG",
    "DRUG_ALIASES",
    "MIN_ADEQUATE_TRIAL_WEEKS",
    "Adequacy",
    "TrialAdequacy",
    "is_concurrent_preventive",
    "normalise_drug",
    "trial_adequacy",
]

#: "typically 2 months or more": a trial shorter than 8 weeks is too short to count.
MIN_ADEQUATE_TRIAL_WEEKS = 8
_MIN_ADEQUATE_TRIAL_DAYS = MIN_ADEQUATE_TRIAL_WEEKS * 7
#: Average days in a month, to read older records that give a duration in months.
_DAYS_PER_MONTH = Decimal("30.4375")

#: Cadence defaults: the minimum usual daily dose (mg) for a preventive trial to count.
DEFAULT_MIN_DAILY_DOSES_MG: Mapping[str, Decimal] = MappingProxyType(
    {
        "topiramate": Decimal(50),
        "valproate": Decimal(500),
        "propranolol": Decimal(80),
        "metoprolol": Decimal(100),
        "timolol": Decimal(20),
        "amitriptyline": Decimal(25),
        "nortriptyline": Decimal(25),
        "venlafaxine": Decimal(75),
        "duloxetine": Decimal(60),
        "candesartan": Decimal(16),
        "lisinopril": Decimal(10),
        "flunarizine": Decimal(5),
        "verapamil": Decimal(240),
    }
)

#: Other names the clinic may type for the same drug.
DRUG_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "topamax": "topiramate",
        "sodium valproate": "valproate",
        "valproic acid": "valproate",
        "divalproex": "valproate",
        "depakote": "valproate",
        "inderal": "propranolol",
        "elavil": "amitriptyline",
        "effexor": "venlafaxine",
        "cymbalta": "duloxetine",
        "atacand": "candesartan",
    }
)

#: CGRP antibodies and gepants: recorded as concurrent preventives when taken now.
CONCURRENT_PREVENTIVE_CLASSES = frozenset({"cgrp_antibody", "gepant"})


class Adequacy(StrEnum):
    adequate = "adequate"
    too_short = "too_short"
    low_dose = "low_dose"
    unknown_duration = "unknown_duration"
    dose_not_checked = "dose_not_checked"
    not_applicable = "not_applicable"

    @property
    def counts(self) -> bool | None:
        """Whether an ineffective trial counts as a failure (None: not known)."""
        if self in (Adequacy.too_short, Adequacy.low_dose):
            return False
        if self is Adequacy.unknown_duration:
            return None
        return True

    @property
    def label(self) -> str:
        return {
            "adequate": "adequate trial",
            "too_short": "too short to count",
            "low_dose": "below the usual dose",
            "unknown_duration": "duration not recorded",
            "dose_not_checked": "dose not checked",
            "not_applicable": "",
        }[self.value]


@dataclass(frozen=True, slots=True)
class TrialAdequacy:
    adequacy: Adequacy
    detail: str
    duration_days: int | None = None
    min_daily_dose_mg: Decimal | None = None


def normalise_drug(name: str) -> str:
    """``" Sodium Valproate "`` -> ``"valproate"``; unknown names lower-cased."""
    key = " ".join(name.lower().split())
    if key in DRUG_ALIASES:
        return DRUG_ALIASES[key]
    first = key.split(" ")[0] if key else key
    return DRUG_ALIASES.get(first, first)


def _duration_days(
    start: date | None, end: date | None, weeks: float | None, months: float | None
) -> int | None:
    if weeks is not None:
        return int(Decimal(str(weeks)) * 7)
    if months is not None:
        return int(Decimal(str(months)) * _DAYS_PER_MONTH)
    if start is not None and end is not None:
        return (end - start).days
    return None


def _mg(value: Decimal) -> str:
    return f"{value.normalize():f} mg"


def trial_adequacy(
    *,
    drug: str,
    outcome: str,
    start: date | None = None,
    end: date | None = None,
    weeks: float | None = None,
    months: float | None = None,
    daily_dose_mg: float | Decimal | None = None,
    min_doses: Mapping[str, Decimal] = DEFAULT_MIN_DAILY_DOSES_MG,
) -> TrialAdequacy:
    """Was this trial adequate to count as a failure? See the module docstring."""
    days = _duration_days(start, end, weeks, months)
    if str(outcome) != "ineffective":
        return TrialAdequacy(Adequacy.not_applicable, "", days)
    minimum = min_doses.get(normalise_drug(drug))
    if days is None:
        return TrialAdequacy(
            Adequacy.unknown_duration,
            f"{drug}: duration not recorded (an adequate trial lasts "
            f"{MIN_ADEQUATE_TRIAL_WEEKS} weeks or more)",
            None,
            minimum,
        )
    if days < _MIN_ADEQUATE_TRIAL_DAYS:
        return TrialAdequacy(
            Adequacy.too_short,
            f"{drug} was taken for {days // 7} weeks {days % 7} days, under the "
            f"{MIN_ADEQUATE_TRIAL_WEEKS} weeks of an adequate trial",
            days,
            minimum,
        )
    if minimum is not None and daily_dose_mg is not None:
        dose = Decimal(str(daily_dose_mg))
        if dose < minimum:
            return TrialAdequacy(
                Adequacy.low_dose,
                f"{drug} at {_mg(dose)} a day, below the usual minimum of {_mg(minimum)}",
                days,
                minimum,
            )
        return TrialAdequacy(
            Adequacy.adequate,
            f"{drug} at {_mg(dose)} a day for {days // 7} weeks",
            days,
            minimum,
        )
    why = (
        "daily dose not recorded"
        if minimum is not None
        else "no usual dose on the clinic's table for this drug"
    )
    return TrialAdequacy(
        Adequacy.dose_not_checked, f"{drug} for {days // 7} weeks; {why}", days, minimum
    )


def is_concurrent_preventive(drug_class: str, outcome: str, end: date | None, today: date) -> bool:
    """A CGRP antibody or gepant the patient takes now (no end date, or one still to
    come, and not stopped as a failure)."""
    if str(drug_class) not in CONCURRENT_PREVENTIVE_CLASSES:
        return False
    if str(outcome) in ("ineffective", "not_tolerated", "contraindicated"):
        return False
    return end is None or end >= today
