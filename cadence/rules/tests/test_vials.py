"""Vials, dilution, vial choice, waste and billing lines."""

import math
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
    canonical_lot,
    dilution_ml,
    lot_problem,
    one_sided,
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
        ("152.5", "47.5", [CPT, ("J0585", 153, None), ("J0585", 47, "JW")]),
        ("157.5", "42.5", [CPT, ("J0585", 158, None), ("J0585", 42, "JW")]),  # section 7
        ("199.5", "0.5", [CPT, ("J0585", 200, None)]),  # nothing left for JW, no JZ
        ("97.5", 0, [CPT, ("J0585", 98, "JZ")]),
        ("0.5", "199.5", [CPT, ("J0585", 1, None), ("J0585", 199, "JW")]),
        ("155.5", "44.5", [CPT, ("J0585", 156, None), ("J0585", 44, "JW")]),
    ],
    ids=[
        "155-from-200",
        "200-from-2x100",
        "195-from-200",
        "half-units",
        "157.5-from-200",
        "half-unit-waste",
        "half-injected-no-waste",
        "half-unit-dose",
        "155.5-from-200",
    ],
)
def test_billing_lines(injected, wasted, expected):
    lines = billing_lines(injected, wasted)
    assert summary(lines) == expected
    assert all(isinstance(line, BillingLine) and line.description for line in lines)


def test_billing_descriptions_keep_the_exact_amounts():
    lines = billing_lines("152.5", "47.5")
    assert "152.5 U injected (billed 153: a part unit is rounded up)" in lines[1].description
    assert "47.5 U discarded (billed 47: the rest of the 200 U drawn)" in lines[2].description
    no_jz = billing_lines("199.5", "0.5")[1]
    assert "the 0.5 U discarded is within the rounded-up dose" in no_jz.description


@pytest.mark.parametrize(
    ("injected", "wasted"),
    [(0, 200), (155, -1)],
    ids=["nothing", "negative-waste"],
)
def test_billing_refuses_impossible_sessions(injected, wasted):
    with pytest.raises(ValueError):
        billing_lines(injected, wasted)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=2, max_value=800).map(lambda n: D(n) / 2),
    st.sampled_from([100, 200, 300, 400]),
)
def test_billing_lines_add_up_to_the_units_drawn(injected, drawn):
    if injected > drawn:
        injected = D(drawn)
    wasted = waste(drawn, injected)
    lines = billing_lines(injected, wasted)
    assert lines[0] == BillingLine("64615", 1, None, lines[0].description)
    drug = [line for line in lines if line.code == "J0585"]
    assert sum(line.units for line in drug) == drawn  # the lines add up to units drawn
    assert drug[0].units == math.ceil(injected)  # the dose rounded up, never down
    assert drug[0].units >= injected
    assert (drug[0].modifier == "JZ") is (wasted == 0)
    assert [line.modifier for line in drug[1:]] == (
        ["JW"] if drawn - math.ceil(injected) >= 1 else []
    )


@pytest.mark.parametrize(
    ("sides", "expected"),
    [
        (["left", "left"], True),
        (["right"], True),
        (["left", "right"], False),
        (["left", "midline"], False),
        (["midline"], False),
        ([], False),
    ],
    ids=["all-left", "all-right", "both", "left-and-midline", "midline-only", "none"],
)
def test_one_sided(sides, expected):
    assert one_sided(sides) is expected


def test_a_one_sided_session_carries_modifier_52():
    lines = billing_lines(40, 60, one_sided=True)
    assert summary(lines)[0] == ("64615", 1, "52")
    assert "one side only" in lines[0].description
    assert summary(billing_lines(40, 60))[0] == CPT


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("c7002a", "C7002A"),
        ("  C7002a ", "C7002A"),
        ("ab-12/3.x", "AB-12/3.X"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_lot_is_kept_trimmed_and_upper_case(typed, canonical):
    assert canonical_lot(typed) == canonical


@pytest.mark.parametrize("lot", ["C7002A", "AB-12/3.X", "12345", "A" * 40])
def test_a_lot_of_letters_digits_hyphens_stops_and_slashes_is_fine(lot):
    assert lot_problem(lot) is None


@pytest.mark.parametrize(
    "lot",
    ['=HYPERLINK("X")', "+C7002A", "-C7002A", "C7002 A", "C7002A;", "A" * 41, "C7002\u00c9", ""],
)
def test_any_other_lot_is_refused_with_a_sentence(lot):
    problem = lot_problem(canonical_lot(lot))
    assert problem is not None
    assert problem.endswith(".")


@given(st.text(max_size=50))
@settings(max_examples=200)
def test_canonical_form_is_stable(text):
    assert canonical_lot(canonical_lot(text)) == canonical_lot(text)
