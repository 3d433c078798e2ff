"""Side effects after a session (clinic-reference.md section 5). Pure Python, no Django."""

from __future__ import annotations

import pytest

from cadence.rules.side_effects import (
    COMMON_SIDE_EFFECTS,
    PREEMPT_INCIDENCE_PERCENT,
    SIDE_EFFECT_ADVICE,
    SIDE_EFFECT_LABELS,
    URGENT_ADVICE,
    URGENT_SIDE_EFFECTS,
    Severity,
    SideEffect,
    advice_for,
    is_urgent,
    needs_clinic_alert,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing() -> None:
    """Shadow the root conftest's Django-only autouse fixture (tests run with -p no:django)."""


URGENT = [
    "difficulty_swallowing",
    "difficulty_speaking",
    "difficulty_breathing",
    "generalised_weakness",
    "double_vision",
]
COMMON = [
    "neck_pain",
    "injection_site_pain",
    "redness_or_swelling",
    "bruising",
    "headache",
    "neck_muscle_weakness",
    "itching",
    "rash",
    "nausea",
    "back_pain",
    "loss_of_appetite",
    "reduced_facial_expression",
    "eyelid_ptosis",
]


@pytest.mark.parametrize(
    ("effect", "urgent"),
    [pytest.param(e, True, id=e) for e in URGENT] + [pytest.param(e, False, id=e) for e in COMMON],
)
def test_is_urgent(effect: str, urgent: bool) -> None:
    assert is_urgent(effect) is urgent
    assert is_urgent(SideEffect(effect)) is urgent
    assert needs_clinic_alert(effect, Severity.mild) is urgent
    assert needs_clinic_alert(effect, "severe") is urgent


def test_sets_partition_the_enum() -> None:
    assert {e.value for e in URGENT_SIDE_EFFECTS} == set(URGENT)
    assert {e.value for e in COMMON_SIDE_EFFECTS} == set(COMMON)
    assert URGENT_SIDE_EFFECTS.isdisjoint(COMMON_SIDE_EFFECTS)
    assert set(SideEffect) == URGENT_SIDE_EFFECTS | COMMON_SIDE_EFFECTS


def test_every_effect_has_a_label() -> None:
    assert set(SIDE_EFFECT_LABELS) == set(SideEffect)
    assert all(label.strip() for label in SIDE_EFFECT_LABELS.values())


@pytest.mark.parametrize(
    ("effect", "fragments"),
    [
        pytest.param("double_vision", ["now"], id="urgent-gets-urgent-advice"),
        pytest.param("eyelid_ptosis", ["1-2 weeks", "praclonidine"], id="ptosis"),
        pytest.param("redness_or_swelling", ["within an hour"], id="redness"),
    ],
)
def test_advice_for(effect: str, fragments: list[str]) -> None:
    advice = advice_for(effect)
    assert advice is not None
    for fragment in fragments:
        assert fragment in advice


def test_urgent_advice_is_for_every_urgent_effect() -> None:
    assert "now" in URGENT_ADVICE.lower()
    assert all(advice_for(e) == URGENT_ADVICE for e in URGENT_SIDE_EFFECTS)
    assert not URGENT_SIDE_EFFECTS & set(SIDE_EFFECT_ADVICE)


def test_no_advice_where_reference_gives_none() -> None:
    assert advice_for(SideEffect.rash) is None


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: is_urgent("sneezing"), id="unknown-effect"),
        pytest.param(lambda: advice_for("sneezing"), id="unknown-effect-advice"),
        pytest.param(lambda: needs_clinic_alert("rash", "extreme"), id="unknown-severity"),
    ],
)
def test_unknown_values_raise(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        call()


def test_preempt_incidence() -> None:
    assert PREEMPT_INCIDENCE_PERCENT[SideEffect.neck_pain] == 9.0
    assert PREEMPT_INCIDENCE_PERCENT[SideEffect.eyelid_ptosis] == 4.0


def test_severity_values() -> None:
    assert [s.value for s in Severity] == ["mild", "moderate", "severe"]
