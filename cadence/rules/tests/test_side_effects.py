"""Side effects after a session (clinic-reference.md section 5). Pure Python, no Django."""

from __future__ import annotations

import pytest

from cadence.rules.side_effects import (
    CLINIC_TODAY_ADVICE,
    COMMON_SIDE_EFFECTS,
    EMERGENCY_ADVICE,
    ONSET_ADVICE,
    PREEMPT_INCIDENCE_PERCENT,
    SIDE_EFFECT_ADVICE,
    SIDE_EFFECT_LABELS,
    URGENT_ADVICE,
    URGENT_ADVICE_LINES,
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
    # section 7 (the boxed warning)
    "blurred_vision",
    "voice_change",
    "loss_of_bladder_control",
    "allergic_reaction",
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


SEVERITIES = ["mild", "moderate", "severe"]


@pytest.mark.parametrize(
    ("effect", "severity", "urgent"),
    [pytest.param(e, s, True, id=f"{e}-{s}") for e in URGENT for s in SEVERITIES]
    + [pytest.param(e, s, s == "severe", id=f"{e}-{s}") for e in COMMON for s in SEVERITIES],
)
def test_urgent_is_an_urgent_effect_or_a_common_one_reported_severe(
    effect: str, severity: str, urgent: bool
) -> None:
    """Section 7: every effect x every severity."""
    assert is_urgent(effect, severity) is urgent
    assert is_urgent(SideEffect(effect), Severity(severity)) is urgent
    assert needs_clinic_alert(effect, severity) is urgent
    assert (advice_for(effect, severity) == URGENT_ADVICE) is urgent


@pytest.mark.parametrize(
    ("effect", "urgent"),
    [pytest.param(e, True, id=e) for e in URGENT] + [pytest.param(e, False, id=e) for e in COMMON],
)
def test_without_a_severity_the_effect_alone_decides(effect: str, urgent: bool) -> None:
    assert is_urgent(effect) is urgent


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
    assert all(advice_for(e) == URGENT_ADVICE for e in URGENT_SIDE_EFFECTS)
    assert not URGENT_SIDE_EFFECTS & set(SIDE_EFFECT_ADVICE)


@pytest.mark.parametrize(
    ("line", "fragments"),
    [
        pytest.param(EMERGENCY_ADVICE, ["trouble breathing or swallowing", "emergency", "now"]),
        pytest.param(CLINIC_TODAY_ADVICE, ["any other urgent symptom", "clinic today"]),
        pytest.param(ONSET_ADVICE, ["hours to weeks after the injection"]),
    ],
)
def test_the_one_wording_says_what_section_7_says(line: str, fragments: list[str]) -> None:
    for fragment in fragments:
        assert fragment in line


def test_the_one_wording_is_three_sentences_in_order_and_the_api_text_is_them() -> None:
    assert URGENT_ADVICE_LINES == (EMERGENCY_ADVICE, CLINIC_TODAY_ADVICE, ONSET_ADVICE)
    assert " ".join(URGENT_ADVICE_LINES) == URGENT_ADVICE
    assert all(line.endswith(".") for line in URGENT_ADVICE_LINES)


def test_a_severe_common_effect_gets_the_urgent_advice_not_its_own() -> None:
    assert advice_for("eyelid_ptosis", "severe") == URGENT_ADVICE
    assert "1-2 weeks" in (advice_for("eyelid_ptosis", "moderate") or "")


def test_no_advice_where_reference_gives_none() -> None:
    assert advice_for(SideEffect.rash) is None


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: is_urgent("sneezing"), id="unknown-effect"),
        pytest.param(lambda: advice_for("sneezing"), id="unknown-effect-advice"),
        pytest.param(lambda: needs_clinic_alert("rash", "extreme"), id="unknown-severity"),
        pytest.param(lambda: is_urgent("double_vision", "extreme"), id="unknown-severity-urgent"),
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
