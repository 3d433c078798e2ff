"""MIDAS and HIT-6 scoring (clinic-reference.md section 4). Pure Python, no Django."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadence.rules.questionnaires import (
    HIT6_MAX_SCORE,
    HIT6_MIN_SCORE,
    HIT6_NEUTRAL_LABELS,
    MIDAS_ITEMS,
    Change,
    Hit6Answer,
    Hit6Result,
    Instrument,
    MidasResult,
    QuestionnaireError,
    hit6_band,
    hit6_change,
    midas_change,
    midas_grade,
    score_hit6,
    score_midas,
    score_questionnaire,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing() -> None:
    """Shadow the root conftest's Django-only autouse fixture (tests run with -p no:django)."""


GRADE_ORDER = ["I", "II", "III", "IV"]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param([0, 0, 0, 0, 0], MidasResult(0, "I"), id="zero"),
        pytest.param([1, 1, 1, 1, 1], MidasResult(5, "I"), id="5-top-of-I"),
        pytest.param([2, 1, 1, 1, 1], MidasResult(6, "II"), id="6-bottom-of-II"),
        pytest.param([2, 2, 2, 2, 2], MidasResult(10, "II"), id="10-top-of-II"),
        pytest.param([3, 2, 2, 2, 2], MidasResult(11, "III"), id="11-bottom-of-III"),
        pytest.param([4, 4, 4, 4, 4], MidasResult(20, "III"), id="20-top-of-III"),
        pytest.param([5, 4, 4, 4, 4], MidasResult(21, "IV"), id="21-bottom-of-IV"),
        pytest.param([90, 0, 90, 0, 90], MidasResult(270, "IV"), id="max-270"),
        pytest.param([45, 45, 60, 30, 90], MidasResult(270, "IV"), id="pairs-exactly-90"),
        pytest.param([0, 90, 0, 90, 0], MidasResult(180, "IV"), id="halved-days-90"),
    ],
)
def test_score_midas(answers: list[int], expected: MidasResult) -> None:
    assert score_midas(answers) == expected


@pytest.mark.parametrize(
    ("answers", "field", "fragment"),
    [
        pytest.param([0, 0, 0, 0], "answers", "exactly 5", id="too-few"),
        pytest.param([0] * 6, "answers", "exactly 5", id="too-many"),
        pytest.param([0, 0, -1, 0, 0], "answers[2]", "item 3", id="negative"),
        pytest.param([0, 0, 0, 91, 0], "answers[3]", "item 4", id="over-90"),
        pytest.param([90, 90, 0, 0, 0], "answers[1]", "items 1 and 2", id="work-180"),
        pytest.param([46, 45, 0, 0, 0], "answers[1]", "add up to 91 days", id="work-91"),
        pytest.param([0, 0, 60, 31, 0], "answers[3]", "items 3 and 4", id="housework-91"),
        pytest.param([0, 0, 0, 0, 91], "answers[4]", "item 5", id="item-5-91"),
        pytest.param([1.5, 0, 0, 0, 0], "answers[0]", "item 1", id="float"),
        pytest.param([0, 0, 0, 0, True], "answers[4]", "item 5", id="bool"),
        pytest.param([0, "3", 0, 0, 0], "answers[1]", "item 2", id="string"),
        pytest.param("00000", "answers", "list", id="not-a-list"),
    ],
)
def test_score_midas_rejects(answers: object, field: str, fragment: str) -> None:
    with pytest.raises(QuestionnaireError) as info:
        score_midas(answers)  # type: ignore[arg-type]
    assert info.value.field == field
    assert fragment in str(info.value)


def test_midas_items() -> None:
    assert len(MIDAS_ITEMS) == 5
    assert all("3 months" in text for text in MIDAS_ITEMS)


@pytest.mark.parametrize(
    ("previous", "current", "points", "percent", "meaningful", "direction"),
    [
        pytest.param(15, 10, -5, -33.3, True, "better", id="11-20-exactly-5-points"),
        pytest.param(15, 11, -4, -26.7, False, "better", id="11-20-4-points"),
        pytest.param(11, 16, 5, 45.5, True, "worse", id="11-20-worse-5"),
        pytest.param(20, 15, -5, -25.0, True, "better", id="20-uses-points-rule"),
        pytest.param(30, 21, -9, -30.0, True, "better", id="over-20-exactly-30pct"),
        pytest.param(30, 22, -8, -26.7, False, "better", id="over-20-26pct"),
        pytest.param(21, 15, -6, -28.6, False, "better", id="21-6-points-not-30pct"),
        pytest.param(100, 60, -40, -40.0, True, "better", id="over-20-40pct"),
        pytest.param(10, 5, -5, -50.0, True, "better", id="le-10-5-points-and-grade-change"),
        pytest.param(10, 6, -4, -40.0, False, "better", id="le-10-grade-same"),
        pytest.param(8, 3, -5, -62.5, True, "better", id="le-10-II-to-I"),
        pytest.param(6, 5, -1, -16.7, False, "better", id="le-10-grade-change-1-point"),
        pytest.param(5, 0, -5, -100.0, False, "better", id="le-10-same-grade-I"),
        pytest.param(0, 12, 12, None, True, "worse", id="from-zero-no-percent"),
        pytest.param(12, 12, 0, 0.0, False, "unchanged", id="unchanged"),
    ],
)
def test_midas_change(
    previous: int,
    current: int,
    points: int,
    percent: float | None,
    meaningful: bool,
    direction: str,
) -> None:
    assert midas_change(previous, current) == Change(points, percent, meaningful, direction)


@pytest.mark.parametrize(
    ("previous", "current"),
    [
        pytest.param(-1, 5, id="negative"),
        pytest.param(5, 271, id="over-max-270"),
        pytest.param(450, 5, id="old-max-450"),
    ],
)
def test_midas_change_rejects(previous: int, current: int) -> None:
    with pytest.raises(QuestionnaireError):
        midas_change(previous, current)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param(["never"] * 6, Hit6Result(36, "little"), id="min-36"),
        pytest.param(["always"] * 6, Hit6Result(78, "severe"), id="max-78"),
        pytest.param(["sometimes"] * 5 + ["never"], Hit6Result(56, "substantial"), id="56"),
        pytest.param(
            ["sometimes"] * 4 + ["rarely", "rarely"], Hit6Result(56, "substantial"), id="56-b"
        ),
        pytest.param(
            ["sometimes", "sometimes", "sometimes", "rarely", "rarely", "never"],
            Hit6Result(52, "some"),
            id="52",
        ),
        pytest.param(
            ["sometimes", "sometimes", "rarely", "rarely", "rarely", "rarely"],
            Hit6Result(52, "some"),
            id="52-b",
        ),
        pytest.param(["sometimes"] * 6, Hit6Result(60, "severe"), id="60-severe"),
        pytest.param(
            [Hit6Answer.very_often] * 6, Hit6Result(66, "severe"), id="enum-values-accepted"
        ),
        pytest.param(
            ["rarely", "rarely", "rarely", "rarely", "sometimes", "sometimes"],
            Hit6Result(52, "some"),
            id="order-irrelevant",
        ),
    ],
)
def test_score_hit6(answers: list[str], expected: Hit6Result) -> None:
    assert score_hit6(answers) == expected


@pytest.mark.parametrize(
    ("score", "band"),
    [
        pytest.param(36, "little", id="36"),
        pytest.param(49, "little", id="49"),
        pytest.param(50, "some", id="50"),
        pytest.param(55, "some", id="55"),
        pytest.param(56, "substantial", id="56"),
        pytest.param(59, "substantial", id="59"),
        pytest.param(60, "severe", id="60"),
        pytest.param(78, "severe", id="78"),
    ],
)
def test_hit6_band(score: int, band: str) -> None:
    assert hit6_band(score) == band


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        pytest.param(["never"] * 5, "answers", id="too-few"),
        pytest.param(["never"] * 7, "answers", id="too-many"),
        pytest.param(["never"] * 5 + ["often"], "answers[5]", id="unknown-answer"),
        pytest.param(["Very often"] + ["never"] * 5, "answers[0]", id="display-text-not-value"),
        pytest.param([6] * 6, "answers[0]", id="points-not-answers"),
    ],
)
def test_score_hit6_rejects(answers: list[object], field: str) -> None:
    with pytest.raises(QuestionnaireError) as info:
        score_hit6(answers)  # type: ignore[arg-type]
    assert info.value.field == field


@pytest.mark.parametrize(
    ("previous", "current", "meaningful", "direction"),
    [
        pytest.param(64, 59, True, "better", id="minus-5"),
        pytest.param(64, 60, False, "better", id="minus-4"),
        pytest.param(50, 55, True, "worse", id="plus-5"),
        pytest.param(50, 50, False, "unchanged", id="same"),
    ],
)
def test_hit6_change(previous: int, current: int, meaningful: bool, direction: str) -> None:
    change = hit6_change(previous, current)
    assert change.points == current - previous
    assert change.meaningful is meaningful
    assert change.direction == direction


@pytest.mark.parametrize(
    ("previous", "current"), [pytest.param(35, 50, id="below-36"), pytest.param(50, 79, id="above")]
)
def test_hit6_change_rejects(previous: int, current: int) -> None:
    with pytest.raises(QuestionnaireError):
        hit6_change(previous, current)


def test_hit6_neutral_labels_hold_no_item_text() -> None:
    assert len(HIT6_NEUTRAL_LABELS) == 6
    for number, label in enumerate(HIT6_NEUTRAL_LABELS, start=1):
        assert label.startswith(f"Item {number} – ")
        assert "?" not in label and "you" not in label.lower()


@pytest.mark.parametrize(
    ("instrument", "answers", "expected"),
    [
        pytest.param("MIDAS", [1, 2, 3, 4, 5], MidasResult(15, "III"), id="midas"),
        pytest.param("HIT-6", ["always"] * 6, Hit6Result(78, "severe"), id="hit6"),
        pytest.param(Instrument.HIT6, ["never"] * 6, Hit6Result(36, "little"), id="enum"),
    ],
)
def test_score_questionnaire(instrument: str, answers: list[object], expected: object) -> None:
    assert score_questionnaire(instrument, answers) == expected


def test_score_questionnaire_unknown_instrument() -> None:
    with pytest.raises(QuestionnaireError) as info:
        score_questionnaire("PHQ-9", [])
    assert info.value.field == "instrument"


def test_instrument_values() -> None:
    assert [i.value for i in Instrument] == ["MIDAS", "HIT-6"]


# --- properties ----------------------------------------------------------------------


@given(st.integers(0, 270), st.integers(0, 270))
def test_midas_grade_monotone(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert GRADE_ORDER.index(midas_grade(low)) <= GRADE_ORDER.index(midas_grade(high))


@given(st.lists(st.integers(0, 90), min_size=5, max_size=5))
def test_midas_score_is_sum_when_the_days_add_up(answers: list[int]) -> None:
    if answers[0] + answers[1] > 90 or answers[2] + answers[3] > 90:
        with pytest.raises(QuestionnaireError, match="add up to"):
            score_midas(answers)
        return
    result = score_midas(answers)
    assert result.score == sum(answers) <= 270
    assert result.grade == midas_grade(result.score)


@given(st.lists(st.sampled_from(list(Hit6Answer)), min_size=6, max_size=6))
def test_hit6_total_in_range(answers: list[Hit6Answer]) -> None:
    result = score_hit6(answers)
    assert HIT6_MIN_SCORE == 36 and HIT6_MAX_SCORE == 78
    assert 36 <= result.score <= 78
    assert result.band == hit6_band(result.score)


@given(st.integers(36, 78), st.integers(36, 78))
def test_hit6_change_symmetric(a: int, b: int) -> None:
    assert hit6_change(a, b).meaningful == hit6_change(b, a).meaningful == (abs(a - b) >= 5)
