"""Vials, dilution, vial choice, waste and billing lines."""

from datetime import date
from decimal import Decimal
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadence.rules.vials import (
    VIAL_SIZES,
    BillingLine,
    Vial,
    billing_lines,
    dilution_ml,
    suggest_vials,
    units_to_ml,
    vial_problems,
    waste,
)

D = Decimal
ON = date(2027, 3, 1)


@pytest.mark.parametrize(("size", "ml"), [(100, D(2)), (200, D(4))], ids=["100U", "200U"])
def test_dilution_gives_5_units_per_0_1_ml(size, ml):
    assert VIAL_SIZES == (100, 200)
    assert dilution_ml(size) == ml
    assert size / (ml * 10) == 5  # units per 0.1 mL


def test_dilution_of_unknown_size_is_refused():
    with pytest.raises(ValueError, match="unknown vial size 50 U"):
        dilution_ml(50)


@pytest.mark.parametrize(
    ("units", "ml"), [(5, D("0.1")), ("2.5", D("0.05")), (155, D("3.1")), (195, D("3.9"))]
)
def test_units_to_ml(units, ml):
    assert units_to_ml(units) == ml


@pytest.mark.parametrize(
    ("vials", "expected"),
    [
        ([Vial("A1", date(2027, 3, 2), 200)], []),
        ([Vial("A1", ON, 200)], []),  # expires on the day: still usable
        (
            [Vial("A1", date(2027, 2, 28), 200)],
            ["Lot A1 expired on 2027-02-28, 1 day before 2027-03-01: an expired lot can't be used"],
        ),
        (
            [Vial("OK", date(2028, 1, 1), 100), Vial("B2", date(2026, 12, 1), 100)],
            [
                "Lot B2 expired on 2026-12-01, 90 days before 2027-03-01: an expired lot can't be used"
            ],
        ),
        (
            [Vial("C3", date(2028, 1, 1), 150)],
            ["Lot C3: unknown vial size 150 U (sizes are 100 and 200 U)"],
        ),
        ([Vial("  ", date(2028, 1, 1), 100)], ["A vial has no lot number"]),
        ([], ["No vial recorded: at least one vial is needed"]),
    ],
    ids=[
        "in-date",
        "expires-today",
        "expired-yesterday",
        "one-of-two-expired",
        "bad-size",
        "no-lot",
        "none",
    ],
)
def test_vial_problems(vials, expected):
    assert vial_problems(vials, ON) == expected


@pytest.mark.parametrize(
    ("dose", "vials"),
    [
        (5, (100,)),
        (100, (100,)),
        (101, (200,)),
        (155, (200,)),
        (165, (200,)),
        ("152.5", (200,)),
        (195, (200,)),
        (200, (200,)),
        (250, (100, 200)),  # 50 U waste, 2 vials beats 100+100+100
        (300, (100, 200)),
        (400, (200, 200)),
        (401, (100, 200, 200)),
    ],
)
def test_suggest_vials_least_waste_then_fewest_vials(dose, vials):
    assert suggest_vials(dose) == vials


@pytest.mark.parametrize(
    ("dose", "sizes", "vials"),
    [
        (155, (100,), (100, 100)),
        (155, (200,), (200,)),
        (60, (50, 100), (100,)),
        (140, (50, 100), (50, 100)),
    ],
)
def test_suggest_vials_with_other_stock(dose, sizes, vials):
    assert suggest_vials(dose, sizes) == vials


@pytest.mark.parametrize("dose", [0, -5, "NaN"])
def test_suggest_vials_refuses_non_positive_doses(dose):
    with pytest.raises(ValueError):
        suggest_vials(dose)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=800).map(lambda n: D(n) / 2),
    st.sampled_from([(100, 200), (100,), (200,), (50, 100, 200)]),
)
def test_suggest_vials_covers_the_dose_and_nothing_wastes_less(dose, sizes):
    chosen = suggest_vials(dose, sizes)
    assert sum(chosen) >= dose
    assert list(chosen) == sorted(chosen)
    assert set(chosen) <= set(sizes)
    best = (sum(chosen) - dose, len(chosen))
    limit = int(dose // min(sizes)) + 2
    for counts in product(range(limit + 1), repeat=len(sizes)):
        total = sum(c * s for c, s in zip(counts, sizes, strict=True))
        if total >= dose:
            assert (total - dose, sum(counts)) >= best


@pytest.mark.parametrize(
    ("drawn", "injected", "wasted"),
    [(200, 155, D(45)), (200, 200, D(0)), (200, "152.5", D("47.5")), (300, 250, D(50))],
)
def test_waste(drawn, injected, wasted):
    assert waste(drawn, injected) == wasted


@pytest.mark.parametrize(
    ("drawn", "injected", "message"),
    [
        (200, 205, "injected 205 U is more than the 200 U drawn \\(5 U over\\)"),
        (200, -1, "non-negative"),
    ],
)
def test_waste_refuses_impossible_amounts(drawn, injected, message):
    with pytest.raises(ValueError, match=message):
        waste(drawn, injected)


CPT = ("64615", 1, None)


def summary(lines):
    return [(line.code, line.units, line.modifier) for line in lines]


@pytest.mark.parametrize(
    ("injected", "wasted", "expected"),
    [
        (155, 45, [CPT, ("J0585", 155, None), ("J0585", 45, "JW")]),  # one 200 U vial
        (200, 0, [CPT, ("J0585", 200, "JZ")]),  # two 100 U vials, nothing discarded
        (195, 5, [CPT, ("J0585", 195, None), ("J0585", 5, "JW")]),
        ("152.5", "47.5", [CPT, ("J0585", 152, None), ("J0585", 47, "JW")]),
        ("199.5", "0.5", [CPT, ("J0585", 199, None)]),  # waste < 1 U: no JW line, no JZ
        ("97.5", 0, [CPT, ("J0585", 97, "JZ")]),
    ],
    ids=[
        "155-from-200",
        "200-from-2x100",
        "195-from-200",
        "half-units",
        "half-unit-waste",
        "half-injected-no-waste",
    ],
)
def test_billing_lines(injected, wasted, expected):
    lines = billing_lines(injected, wasted)
    assert summary(lines) == expected
    assert all(isinstance(line, BillingLine) and line.description for line in lines)


def test_billing_descriptions_keep_the_exact_amounts():
    lines = billing_lines("152.5", "47.5")
    assert "152.5 U injected (billed 152; fractional units are not billed)" in lines[1].description
    assert "47.5 U discarded (billed 47" in lines[2].description
    no_jz = billing_lines("199.5", "0.5")[1]
    assert "0.5 U discarded is under the 1-unit billing increment" in no_jz.description


@pytest.mark.parametrize(
    ("injected", "wasted"),
    [(0, 200), ("0.5", "199.5"), (155, -1)],
    ids=["nothing", "half-unit", "negative-waste"],
)
def test_billing_refuses_impossible_sessions(injected, wasted):
    with pytest.raises(ValueError):
        billing_lines(injected, wasted)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=2, max_value=800).map(lambda n: D(n) / 2),
    st.sampled_from([100, 200, 300, 400]),
)
def test_billing_never_bills_more_than_drawn(injected, drawn):
    if injected > drawn:
        injected = D(drawn)
    wasted = waste(drawn, injected)
    lines = billing_lines(injected, wasted)
    assert lines[0] == BillingLine("64615", 1, None, lines[0].description)
    drug = [line for line in lines if line.code == "J0585"]
    assert sum(line.units for line in drug) <= drawn
    assert drug[0].units == int(injected)
    assert (drug[0].modifier == "JZ") is (wasted == 0)
    assert [line.modifier for line in drug[1:]] == (["JW"] if wasted >= 1 else [])
