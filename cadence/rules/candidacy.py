"""Who is a candidate for onabotulinumtoxinA (clinic-reference.md section 1).

``evaluate_candidacy(facts, profile)`` checks five criteria, each met (True), unmet
(False) or unknown (None), with a ``detail`` that says why or what is missing:

- ``chronic_migraine`` (ICHD-3 1.3): >= 15 headache days a month, >= 8 of them migraine
  days, for more than 3 months. ``months_with_chronic_pattern`` is a whole number of
  months, so "more than 3 months" means 4 or more.
- ``neurologist_diagnosis``: confirmed by a neurologist *and* coded in the ICD-10-CM G43.7
  family or, with aura, G43.E0x/G43.E1x (``ICD10_CHRONIC_MIGRAINE_CODES``).
- ``preventive_failures``: at least ``profile.min_preventive_classes`` distinct *oral*
  preventive classes (``ORAL_PREVENTIVE_CLASSES``) with an outcome of ineffective, not
  tolerated or contraindicated. Cadence's adequacy rule (reference: "an adequate trial
  (typically 2 months or more at a therapeutic dose)") is ``cadence.rules.preventives``:
  an *ineffective* trial counts only if it lasted at least 8 weeks (``weeks``,
  ``months`` or ``start``/``end``) and, when its daily dose is recorded, at least the
  drug's minimum usual daily dose (``CandidacyFacts.min_daily_doses_mg``); when its
  duration is not recorded it is "unverified" and can make the criterion unknown, never
  met; with no dose recorded it counts and the detail says the dose was not checked. Not tolerated / contraindicated count whatever the
  duration. ``preventive_trials=None`` means the history was not taken (unknown); an empty
  sequence means no preventive was tried (unmet).
- ``no_contraindication``: no infection at a proposed site and no hypersensitivity.
- ``adult``: 18 or older. Under 18 is off-label: the criterion is unmet (so ``eligible``
  is False) and an ``off_label_age`` flag is raised *until* a clinician records an
  override reason (``age_override_reason``); with a non-blank reason the criterion is met
  and the flag stays, naming the reason.

``eligible`` is False if any criterion is False, None if none is False but one is None,
else True. Flags (``medication_overuse``, ``neuromuscular_disorder``, ``aminoglycoside``,
``swallowing_breathing_difficulty``, ``pregnancy``, ``off_label_age``) never exclude a
patient; screening questions left unanswered are listed in ``unanswered_screening``.
Alternatives (section 1) are listed whenever ``eligible`` is not True.

Public API
----------
- Enums ``PreventiveClass``, ``TrialOutcome``, ``ChronicSource``, ``CandidacyDecision``
- ``ORAL_PREVENTIVE_CLASSES``, ``FAILED_OUTCOMES``, ``ICD10_CHRONIC_MIGRAINE_CODES``,
  ``ALTERNATIVES`` and the ``CHRONIC_*`` / ``ADULT_AGE`` / ``ADEQUATE_TRIAL_MONTHS``
  constants
- Dataclasses ``PreventiveTrial``, ``Contraindications``, ``Warnings``, ``CandidacyFacts``,
  ``Criterion``, ``Flag``, ``Alternative``, ``CandidacyResult``
- ``evaluate_candidacy(facts, profile=DEFAULT_PAYER_PROFILE, *, age_override_reason=None)
  -> CandidacyResult``
- ``normalise_icd10(code) -> str``
- ``alternatives_for(trials=()) -> list[Alternative]`` (also for non-responders)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from cadence.rules.payer import DEFAULT_PAYER_PROFILE, PayerProfile
from cadence.rules.preventives import (
    DEFAULT_MIN_DAILY_DOSES_MG,
    MIN_ADEQUATE_TRIAL_WEEKS,
    Adequacy,
    TrialAdequacy,
    trial_adequacy,
)

__all__ = [
    "ADEQUATE_TRIAL_MONTHS",
    "ADULT_AGE",
    "ALTERNATIVES",
    "CHRONIC_MIN_HEADACHE_DAYS",
    "CHRONIC_MIN_MIGRAINE_DAYS",
    "CHRONIC_MIN_MONTHS_EXCLUSIVE",
    "FAILED_OUTCOMES",
    "ICD10_CHRONIC_MIGRAINE_CODES",
    "ORAL_PREVENTIVE_CLASSES",
    "Alternative",
    "CandidacyDecision",
    "CandidacyFacts",
    "CandidacyResult",
    "ChronicSource",
    "Contraindications",
    "Criterion",
    "Flag",
    "PreventiveClass",
    "PreventiveTrial",
    "TrialOutcome",
    "Warnings",
    "alternatives_for",
    "evaluate_candidacy",
    "normalise_icd10",
]

#: ICHD-3 1.3: "headache ... on 15 or more days a month for more than 3 months, with
#: features of migraine on at least 8 of those days a month".
CHRONIC_MIN_HEADACHE_DAYS = 15
CHRONIC_MIN_MIGRAINE_DAYS = 8
CHRONIC_MIN_MONTHS_EXCLUSIVE = 3
#: "approved for chronic migraine in adults (18+)".
ADULT_AGE = 18
#: "an adequate trial (typically 2 months or more at a therapeutic dose)"; the rule itself
#: is ``cadence.rules.preventives`` (8 weeks, ``MIN_ADEQUATE_TRIAL_WEEKS``).
ADEQUATE_TRIAL_MONTHS = 2

#: "ICD-10-CM G43.7 family" (section 1) and, since ICD-10-CM FY2025, chronic migraine
#: *with aura* G43.E01, G43.E09, G43.E11, G43.E19: "chronic-migraine diagnoses like
#: G43.7x" (section 7).
ICD10_CHRONIC_MIGRAINE_CODES: Mapping[str, str] = MappingProxyType(
    {
        "G43.709": "Chronic migraine without aura, not intractable, without status migrainosus",
        "G43.719": "Chronic migraine without aura, intractable, without status migrainosus",
        "G43.701": "Chronic migraine without aura, not intractable, with status migrainosus",
        "G43.711": "Chronic migraine without aura, intractable, with status migrainosus",
        "G43.E09": "Chronic migraine with aura, not intractable, without status migrainosus",
        "G43.E19": "Chronic migraine with aura, intractable, without status migrainosus",
        "G43.E01": "Chronic migraine with aura, not intractable, with status migrainosus",
        "G43.E11": "Chronic migraine with aura, intractable, with status migrainosus",
    }
)


class PreventiveClass(StrEnum):
    antiepileptic = "antiepileptic"
    beta_blocker = "beta_blocker"
    tricyclic = "tricyclic"
    snri = "snri"
    arb_ace_inhibitor = "arb_ace_inhibitor"
    calcium_channel_blocker = "calcium_channel_blocker"
    cgrp_antibody = "cgrp_antibody"
    gepant = "gepant"
    other = "other"


#: The oral classes the payer rule counts (section 1's list).
ORAL_PREVENTIVE_CLASSES = frozenset(
    {
        PreventiveClass.antiepileptic,
        PreventiveClass.beta_blocker,
        PreventiveClass.tricyclic,
        PreventiveClass.snri,
        PreventiveClass.arb_ace_inhibitor,
        PreventiveClass.calcium_channel_blocker,
    }
)


class TrialOutcome(StrEnum):
    ineffective = "ineffective"
    not_tolerated = "not_tolerated"
    contraindicated = "contraindicated"
    effective = "effective"
    ongoing = "ongoing"


#: "failed or were not tolerated or are contraindicated".
FAILED_OUTCOMES = frozenset(
    {TrialOutcome.ineffective, TrialOutcome.not_tolerated, TrialOutcome.contraindicated}
)


class ChronicSource(StrEnum):
    diary = "diary"
    history = "history"


class CandidacyDecision(StrEnum):
    botox = "botox"
    surgery_evaluation = "surgery_evaluation"
    both = "both"
    other = "other"


@dataclass(frozen=True, slots=True)
class PreventiveTrial:
    drug: str
    drug_class: PreventiveClass
    outcome: TrialOutcome
    months: float | None = None
    start: date | None = None
    end: date | None = None
    weeks: float | None = None
    daily_dose_mg: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "drug_class", PreventiveClass(self.drug_class))
        object.__setattr__(self, "outcome", TrialOutcome(self.outcome))


@dataclass(frozen=True, slots=True)
class Contraindications:
    infection_at_site: bool | None = None
    hypersensitivity: bool | None = None


@dataclass(frozen=True, slots=True)
class Warnings:
    neuromuscular_disease: bool | None = None
    aminoglycosides: bool | None = None
    swallowing_or_breathing_difficulty: bool | None = None
    pregnant_or_breastfeeding: bool | None = None


@dataclass(frozen=True, slots=True)
class CandidacyFacts:
    """Everything candidacy needs; ``None`` anywhere means "not recorded"."""

    age: int | None = None
    headache_days_per_month: float | None = None
    migraine_days_per_month: float | None = None
    months_with_chronic_pattern: int | None = None
    chronic_source: ChronicSource | None = None
    neurologist_confirmed: bool | None = None
    icd10_code: str | None = None
    preventive_trials: Sequence[PreventiveTrial] | None = None
    contraindications: Contraindications = field(default_factory=Contraindications)
    warnings: Warnings = field(default_factory=Warnings)
    medication_overuse: bool | None = None
    #: The clinic's minimum usual daily doses (``cadence.rules.preventives``).
    min_daily_doses_mg: Mapping[str, Decimal] = field(
        default_factory=lambda: DEFAULT_MIN_DAILY_DOSES_MG
    )


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str
    met: bool | None
    detail: str


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    detail: str


#: Each flag in the clinic's words: the checklist question that raises or clears it
#: (the off-label age flag is cleared by the decision's override reason).
FLAG_QUESTIONS: dict[str, str] = {
    "medication_overuse": "Medication-overuse headache suspected",
    "neuromuscular_disorder": "Neuromuscular disease",
    "aminoglycoside": "Takes aminoglycosides or other agents affecting neuromuscular transmission",
    "swallowing_breathing_difficulty": "Swallowing or breathing difficulty",
    "pregnancy": "Pregnant or breastfeeding",
    "off_label_age": "Under 18 (off-label)",
}


def flag_question(code: str) -> str:
    """The words shown for a flag or an unanswered screening question."""
    return FLAG_QUESTIONS.get(code, code.replace("_", " ").capitalize())


@dataclass(frozen=True, slots=True)
class Alternative:
    code: str
    label: str
    detail: str


@dataclass(frozen=True, slots=True)
class CandidacyResult:
    eligible: bool | None
    criteria: list[Criterion]
    flags: list[Flag]
    alternatives: list[Alternative]
    unanswered_screening: list[str] = field(default_factory=list)


#: Section 1: "Alternatives when not a candidate or not responding".
ALTERNATIVES: tuple[Alternative, ...] = (
    Alternative(
        "cgrp_antibody",
        "CGRP monoclonal antibodies",
        "erenumab (Aimovig), fremanezumab (Ajovy), galcanezumab (Emgality), eptinezumab (Vyepti)",
    ),
    Alternative("gepant", "Gepants", "atogepant, rimegepant"),
    Alternative(
        "cefaly",
        "External trigeminal nerve stimulation (Cefaly)",
        "non-drug neuromodulation device",
    ),
    Alternative("spg_block", "Sphenopalatine-ganglion (SPG) block", "nerve block procedure"),
    Alternative(
        "act_mindfulness",
        "Acceptance and commitment therapy or mindfulness-based counselling",
        "psychological therapy",
    ),
    Alternative(
        "migraine_surgery_evaluation",
        "Migraine surgery evaluation",
        "trigger-site decompression surgery: referral for evaluation",
    ),
)

_CLASS_FOR_ALTERNATIVE = {
    "cgrp_antibody": PreventiveClass.cgrp_antibody,
    "gepant": PreventiveClass.gepant,
}


def normalise_icd10(code: str) -> str:
    """``" g43709 " -> "G43.709"``."""
    c = code.strip().upper().replace(" ", "")
    if "." not in c and len(c) > 3:
        c = f"{c[:3]}.{c[3:]}"
    return c


def _adequacy(trial: PreventiveTrial, min_doses: Mapping[str, Decimal]) -> TrialAdequacy:
    """Was an ineffective trial adequate (long enough, at a usual dose)?"""
    return trial_adequacy(
        drug=trial.drug,
        outcome=trial.outcome,
        start=trial.start,
        end=trial.end,
        weeks=trial.weeks,
        months=trial.months,
        daily_dose_mg=trial.daily_dose_mg,
        min_doses=min_doses,
    )


def _num(value: float) -> str:
    return f"{value:g}"


def _chronic_migraine(facts: CandidacyFacts) -> Criterion:
    code = "chronic_migraine"
    hd, md, months = (
        facts.headache_days_per_month,
        facts.migraine_days_per_month,
        facts.months_with_chronic_pattern,
    )
    if hd is None and md is None and months is None:
        return Criterion(
            code, None, "unknown: no baseline diary and no headache-day history recorded"
        )
    source = f" (from {facts.chronic_source})" if facts.chronic_source else ""
    for name, value in (("headache days", hd), ("migraine days", md), ("months", months)):
        if value is not None and value < 0:
            return Criterion(code, None, f"unknown: {name} cannot be negative ({_num(value)})")
    # Migraine days may exceed headache days (clinic-reference.md section 7: an aura day
    # with a short headache is a migraine day but not a headache day): not a record error.
    unmet: list[str] = []
    missing: list[str] = []
    if hd is None:
        missing.append("headache days a month")
    elif hd < CHRONIC_MIN_HEADACHE_DAYS:
        unmet.append(
            f"{_num(hd)} headache days a month, {_num(CHRONIC_MIN_HEADACHE_DAYS - hd)} under "
            f"the {CHRONIC_MIN_HEADACHE_DAYS} required"
        )
    if md is None:
        missing.append("migraine days a month")
    elif md < CHRONIC_MIN_MIGRAINE_DAYS:
        unmet.append(
            f"{_num(md)} migraine days a month, {_num(CHRONIC_MIN_MIGRAINE_DAYS - md)} under "
            f"the {CHRONIC_MIN_MIGRAINE_DAYS} required"
        )
    if months is None:
        missing.append("how many months the pattern has lasted")
    elif months <= CHRONIC_MIN_MONTHS_EXCLUSIVE:
        unmet.append(f"pattern for {months} months, not more than {CHRONIC_MIN_MONTHS_EXCLUSIVE}")
    if unmet:
        return Criterion(code, False, "; ".join(unmet) + source + ": not ICHD-3 chronic migraine")
    if missing:
        return Criterion(code, None, "unknown: " + ", ".join(missing) + " not recorded" + source)
    return Criterion(
        code,
        True,
        f"{_num(hd)} headache days a month ({_num(md)} with migraine features) for {months} "
        f"months{source}: meets ICHD-3 chronic migraine (>= {CHRONIC_MIN_HEADACHE_DAYS} "
        f"headache days, >= {CHRONIC_MIN_MIGRAINE_DAYS} migraine days, more than "
        f"{CHRONIC_MIN_MONTHS_EXCLUSIVE} months)",
    )


def _neurologist_diagnosis(facts: CandidacyFacts) -> Criterion:
    code = "neurologist_diagnosis"
    icd = (
        normalise_icd10(facts.icd10_code) if facts.icd10_code and facts.icd10_code.strip() else None
    )
    if facts.neurologist_confirmed is False:
        return Criterion(code, False, "chronic migraine not confirmed by a neurologist")
    if icd is not None and icd not in ICD10_CHRONIC_MIGRAINE_CODES:
        return Criterion(
            code,
            False,
            f"ICD-10 code {icd} is not a chronic-migraine code (G43.7 and G43.E families: "
            f"{', '.join(ICD10_CHRONIC_MIGRAINE_CODES)})",
        )
    if facts.neurologist_confirmed is None:
        return Criterion(
            code, None, "unknown: not recorded whether a neurologist confirmed the diagnosis"
        )
    if icd is None:
        return Criterion(code, None, "unknown: neurologist-confirmed but no ICD-10 code recorded")
    return Criterion(
        code, True, f"confirmed by a neurologist: {icd} {ICD10_CHRONIC_MIGRAINE_CODES[icd]}"
    )


def _preventive_failures(facts: CandidacyFacts, profile: PayerProfile) -> Criterion:
    code = "preventive_failures"
    required = profile.min_preventive_classes
    trials = facts.preventive_trials
    if trials is None:
        return Criterion(
            code,
            None,
            f"unknown: no preventive history recorded; payer requires {required} classes",
        )
    confirmed: set[PreventiveClass] = set()
    unverified: set[PreventiveClass] = set()
    notes: list[str] = []
    dose_unchecked: list[str] = []
    for trial in trials:
        if trial.outcome not in FAILED_OUTCOMES:
            continue
        if trial.drug_class not in ORAL_PREVENTIVE_CLASSES:
            notes.append(f"{trial.drug} ({trial.drug_class}) is not an oral class the payer counts")
            continue
        if trial.outcome is TrialOutcome.ineffective:
            adequacy = _adequacy(trial, facts.min_daily_doses_mg)
            if adequacy.adequacy is Adequacy.unknown_duration:
                unverified.add(trial.drug_class)
                continue
            if adequacy.adequacy is Adequacy.too_short:
                notes.append(
                    f"{trial.drug} stopped before an adequate {MIN_ADEQUATE_TRIAL_WEEKS}-week trial"
                )
                continue
            if adequacy.adequacy is Adequacy.low_dose:
                notes.append(adequacy.detail)
                continue
            if adequacy.adequacy is Adequacy.dose_not_checked:
                dose_unchecked.append(trial.drug)
        confirmed.add(trial.drug_class)
    unverified -= confirmed
    order = list(PreventiveClass)

    def names(classes: set[PreventiveClass]) -> str:
        return ", ".join(sorted(classes, key=order.index))

    n = len(confirmed)
    detail = (
        f"{n} distinct failed class{'es' if n != 1 else ''}"
        + (f" ({names(confirmed)})" if confirmed else "")
        + f"; payer requires {required}"
    )
    if notes:
        detail += "; not counted: " + "; ".join(notes)
    if dose_unchecked:
        detail += "; dose adequacy unknown (no daily dose recorded) for " + ", ".join(
            dose_unchecked
        )
    if n >= required:
        return Criterion(code, True, detail)
    if n + len(unverified) >= required:
        return Criterion(
            code,
            None,
            f"unknown: {detail}; trial length not recorded for {names(unverified)} "
            f"(an ineffective trial must last {MIN_ADEQUATE_TRIAL_WEEKS} weeks or more)",
        )
    if unverified:
        detail += f"; trial length not recorded for {names(unverified)}"
    return Criterion(code, False, detail)


def _no_contraindication(facts: CandidacyFacts) -> Criterion:
    code = "no_contraindication"
    c = facts.contraindications
    present = []
    if c.infection_at_site:
        present.append("infection at a proposed injection site (defer until it has resolved)")
    if c.hypersensitivity:
        present.append("known hypersensitivity to a botulinum toxin or excipient")
    if present:
        return Criterion(code, False, "contraindicated: " + "; ".join(present))
    missing = [
        name
        for name, value in (
            ("infection at an injection site", c.infection_at_site),
            ("hypersensitivity", c.hypersensitivity),
        )
        if value is None
    ]
    if missing:
        return Criterion(code, None, "unknown: not recorded: " + ", ".join(missing))
    return Criterion(
        code, True, "no infection at the injection sites and no known hypersensitivity"
    )


def _adult(age: int | None, override: str | None) -> tuple[Criterion, Flag | None]:
    code = "adult"
    if age is None:
        return Criterion(code, None, "unknown: no age or date of birth recorded"), None
    if age < 0:
        return Criterion(code, None, f"unknown: age {age} is not valid"), None
    if age >= ADULT_AGE:
        return Criterion(code, True, f"{age} years: adult ({ADULT_AGE}+)"), None
    if override:
        return (
            Criterion(
                code,
                True,
                f"{age} years: under {ADULT_AGE}, off-label; clinician override: {override}",
            ),
            Flag(
                "off_label_age",
                f"{age} years: off-label use under {ADULT_AGE}; override: {override}",
            ),
        )
    return (
        Criterion(
            code,
            False,
            f"{age} years: under {ADULT_AGE}, off-label; needs a clinician override with a reason",
        ),
        Flag(
            "off_label_age", f"{age} years: off-label use under {ADULT_AGE}; no override recorded"
        ),
    )


def alternatives_for(trials: Sequence[PreventiveTrial] | None = ()) -> list[Alternative]:
    """Section 1's alternatives; notes classes the patient already tried."""
    result = []
    for alt in ALTERNATIVES:
        cls = _CLASS_FOR_ALTERNATIVE.get(alt.code)
        tried = [t for t in (trials or ()) if cls is not None and t.drug_class is cls]
        if tried:
            done = ", ".join(f"{t.drug} ({t.outcome})" for t in tried)
            alt = Alternative(alt.code, alt.label, f"{alt.detail}; already tried: {done}")
        result.append(alt)
    return result


def evaluate_candidacy(
    facts: CandidacyFacts,
    profile: PayerProfile = DEFAULT_PAYER_PROFILE,
    *,
    age_override_reason: str | None = None,
) -> CandidacyResult:
    """Evaluate the five criteria, the warning flags and the alternatives."""
    override = (age_override_reason or "").strip() or None
    adult, age_flag = _adult(facts.age, override)
    criteria = [
        _chronic_migraine(facts),
        _neurologist_diagnosis(facts),
        _preventive_failures(facts, profile),
        _no_contraindication(facts),
        adult,
    ]
    if any(c.met is False for c in criteria):
        eligible: bool | None = False
    elif any(c.met is None for c in criteria):
        eligible = None
    else:
        eligible = True

    w = facts.warnings
    flags: list[Flag] = []
    unanswered: list[str] = []
    screening = (
        (
            "medication_overuse",
            facts.medication_overuse,
            "medication-overuse headache (ICHD-3 8.2) suspected: flagged, does not exclude",
        ),
        (
            "neuromuscular_disorder",
            w.neuromuscular_disease,
            "neuromuscular disease (e.g. myasthenia gravis, Lambert-Eaton, ALS, motor "
            "neuropathy): higher risk of serious effects",
        ),
        (
            "aminoglycoside",
            w.aminoglycosides,
            "aminoglycosides or other agents that interfere with neuromuscular transmission",
        ),
        (
            "swallowing_breathing_difficulty",
            w.swallowing_or_breathing_difficulty,
            "pre-existing swallowing or breathing difficulty",
        ),
        ("pregnancy", w.pregnant_or_breastfeeding, "pregnant or breastfeeding: insufficient data"),
    )
    for flag_code, value, detail in screening:
        if value:
            flags.append(Flag(flag_code, detail))
        elif value is None:
            unanswered.append(flag_code)
    if age_flag is not None:
        flags.append(age_flag)

    return CandidacyResult(
        eligible=eligible,
        criteria=criteria,
        flags=flags,
        alternatives=[] if eligible is True else alternatives_for(facts.preventive_trials),
        unanswered_screening=unanswered,
    )
