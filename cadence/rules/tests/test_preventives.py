"""Adequate preventive trials (clinic-reference.md section 1) and candidacy counting only
adequate failures. No Django."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from cadence.rules.candidacy import CandidacyFacts, PreventiveTrial, evaluate_candidacy
from cadence.rules.payer import DEFAULT_PAYER_PROFILE
from cadence.rules.preventives import (
    DEFAULT_MIN_DAILY_DOSES_MG,
    MIN_ADEQUATE_TRIAL_WEEKS,
    Adequacy,
    is_concurrent_preventive,
    normalise_drug,
    trial_adequacy,
)

START = date(2025, 1, 1)


@pytest.fixture(autouse=True)
def _fast_password_hashing() -> None:
    """Shadow the root conftest's Django-only autouse fixture (tests run with -p no:django)."""


@pytest.mark.parametrize(
    ("drug", "days", "weeks", "dose", "expected"),
    [
        ("topiramate", 56, None, 50, Adequacy.adequate),  # exactly 8 weeks, exactly 50 mg
        ("topiramate", 55, None, 100, Adequacy.too_short),  # a day under 8 weeks
        ("topiramate", 90, None, 25, Adequacy.low_dose),
        ("topiramate", 90, None, Decimal("49.9"), Adequacy.low_dose),
        ("Topamax", 90, None, 25, Adequacy.low_dose),  # brand name
        ("propranolol", 90, None, 80, Adequacy.adequate),
        ("propranolol", 90, None, 40, Adequacy.low_dose),
        ("amitriptyline", 90, None, 25, Adequacy.adequate),
        ("amitriptyline", 90, None, 10, Adequacy.low_dose),
        ("Sodium valproate", 90, None, 400, Adequacy.low_dose),
        ("amitriptyline", 90, None, None, Adequacy.dose_not_checked),  # no dose recorded
        ("pizotifen", 90, None, 1, Adequacy.dose_not_checked),  # not on the table
        ("topiramate", None, 8, 50, Adequacy.adequate),  # duration in weeks
        ("topiramate", None, 7.9, 50, Adequacy.too_short),
        ("topiramate", None, None, 50, Adequacy.unknown_duration),
    ],
)
def test_trial_adequacy_at_the_boundaries(drug, days, weeks, dose, expected):
    end = START + timedelta(days=days) if days is not None else None
    result = trial_adequacy(
        drug=drug, outcome="ineffective", start=START, end=end, weeks=weeks, daily_dose_mg=dose
    )
    assert result.adequacy is expected
    if expected is not Adequacy.adequate:
        assert result.detail


def test_a_trial_not_tolerated_counts_whatever_its_length_or_dose():
    result = trial_adequacy(
        drug="topiramate",
        outcome="not_tolerated",
        start=START,
        end=START + timedelta(days=10),
        daily_dose_mg=25,
    )
    assert result.adequacy is Adequacy.not_applicable
    assert result.adequacy.counts is True


def test_the_dose_table_is_configurable():
    clinic = {"topiramate": Decimal(100)}
    result = trial_adequacy(
        drug="topiramate",
        outcome="ineffective",
        start=START,
        end=START + timedelta(days=90),
        daily_dose_mg=50,
        min_doses=clinic,
    )
    assert result.adequacy is Adequacy.low_dose
    assert "100 mg" in result.detail


def test_named_defaults():
    assert MIN_ADEQUATE_TRIAL_WEEKS == 8
    assert DEFAULT_MIN_DAILY_DOSES_MG["topiramate"] == 50
    assert DEFAULT_MIN_DAILY_DOSES_MG["propranolol"] == 80
    assert DEFAULT_MIN_DAILY_DOSES_MG["amitriptyline"] == 25
    assert normalise_drug("  Depakote ") == "valproate"


@pytest.mark.parametrize(
    ("drug_class", "outcome", "end", "expected"),
    [
        ("cgrp_antibody", "ongoing", None, True),
        ("gepant", "effective", None, True),
        ("gepant", "ongoing", START + timedelta(days=30), True),  # ends after today
        ("cgrp_antibody", "ongoing", START - timedelta(days=1), False),  # ended
        ("cgrp_antibody", "ineffective", None, False),
        ("beta_blocker", "ongoing", None, False),
    ],
)
def test_concurrent_preventive(drug_class, outcome, end, expected):
    assert is_concurrent_preventive(drug_class, outcome, end, START) is expected


def _criterion(trials):
    facts = CandidacyFacts(preventive_trials=trials)
    result = evaluate_candidacy(facts, DEFAULT_PAYER_PROFILE)
    return next(c for c in result.criteria if c.code == "preventive_failures")


def _trial(drug, drug_class, dose, days=90):
    return PreventiveTrial(
        drug,
        drug_class,
        "ineffective",
        start=START,
        end=START + timedelta(days=days),
        daily_dose_mg=dose,
    )


def test_candidacy_counts_only_adequate_failures():
    low = _criterion(
        [_trial("topiramate", "antiepileptic", 25), _trial("propranolol", "beta_blocker", 80)]
    )
    assert low.met is False
    assert "topiramate at 25 mg a day, below the usual minimum of 50 mg" in low.detail
    good = _criterion(
        [_trial("topiramate", "antiepileptic", 50), _trial("propranolol", "beta_blocker", 80)]
    )
    assert good.met is True


def test_candidacy_counts_an_unknown_dose_and_says_so():
    c = _criterion(
        [_trial("topiramate", "antiepileptic", None), _trial("propranolol", "beta_blocker", 80)]
    )
    assert c.met is True
    assert "dose adequacy unknown (no daily dose recorded) for topiramate" in c.detail
