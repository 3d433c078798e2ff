"""Table tests for the public self-check (cadence.rules.self_check)."""

import pytest

from cadence.rules.self_check import (
    NOT_A_DIAGNOSIS,
    SelfCheckAnswers,
    SelfCheckLevel,
    assess_self_check,
    self_check_problems,
)


@pytest.mark.parametrize(
    ("days", "months", "migraine_days", "tried", "level"),
    [
        (20, 12, 10, 2, SelfCheckLevel.likely),
        (15, 4, 8, 3, SelfCheckLevel.likely),  # every threshold exactly met
        (15, 4, 8, 1, SelfCheckLevel.possible),  # too few preventives
        (20, 3, 10, 2, SelfCheckLevel.possible),  # "more than 3 months" not reached
        (20, 1, 10, 0, SelfCheckLevel.possible),
        (14, 12, 8, 3, SelfCheckLevel.unlikely),  # one day under 15
        (20, 12, 7, 3, SelfCheckLevel.unlikely),  # too few migraine-feature days
        (4, 24, 4, 0, SelfCheckLevel.unlikely),
        (0, 0, 0, 0, SelfCheckLevel.unlikely),
    ],
)
def test_it_grades_how_worthwhile_a_consultation_is(days, months, migraine_days, tried, level):
    result = assess_self_check(SelfCheckAnswers(days, months, migraine_days, tried))
    assert result.level is level


def test_it_never_gives_a_diagnosis():
    result = assess_self_check(SelfCheckAnswers(20, 12, 10, 2))
    assert result.reasons[-1] == NOT_A_DIAGNOSIS
    assert "diagnos" not in result.headline.lower()


@pytest.mark.parametrize(
    ("score", "words"),
    [(3, "grade I, little or no disability)."), (15, "grade III"), (40, "grade IV")],
)
def test_it_explains_the_midas_grade(score, words):
    result = assess_self_check(SelfCheckAnswers(20, 12, 10, 2, midas_score=score))
    assert any(words in reason for reason in result.reasons)


def test_its_summary_prefills_the_consultation_message():
    result = assess_self_check(SelfCheckAnswers(18, 6, 9, 1, midas_score=22))
    assert result.summary == (
        "Self-check: headaches on 18 days a month for 6 months, migraine features on 9 days, "
        "1 preventive medicine kind tried, MIDAS 22."
    )


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        (SelfCheckAnswers(32, 4, 8, 2), "headache_days_per_month"),
        (SelfCheckAnswers(-1, 4, 0, 2), "headache_days_per_month"),
        (SelfCheckAnswers(20, -2, 8, 2), "months_with_pattern"),
        (SelfCheckAnswers(10, 4, 12, 2), "migraine_feature_days"),
        (SelfCheckAnswers(20, 4, 8, 7), "preventive_classes_tried"),
        (SelfCheckAnswers(20, 4, 8, 2, midas_score=451), "midas_score"),
        (SelfCheckAnswers(20, 4, 8, True), "preventive_classes_tried"),
    ],
)
def test_it_refuses_answers_out_of_range(answers, field):
    assert [name for name, _ in self_check_problems(answers)] == [field]
    with pytest.raises(ValueError, match=field):
        assess_self_check(answers)
