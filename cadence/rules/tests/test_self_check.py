"""Table tests for the public self-check (cadence.rules.self_check)."""

import pytest

from cadence.rules.self_check import (
    NOT_A_DIAGNOSIS,
    RED_FLAG_ADVICE,
    RED_FLAG_HEADLINE,
    RED_FLAG_QUESTIONS,
    RedFlag,
    SelfCheckAnswers,
    SelfCheckLevel,
    assess_self_check,
    red_flags,
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


# ---------------------------------------------------------------- red flags (section 7)
RED_FLAG_CODES = [
    "sudden_worst_ever",
    "new_after_50",
    "fever_and_stiff_neck",
    "weakness_numbness_confusion_vision",
    "after_head_injury",
    "changed_pattern",
]


def test_the_red_flag_questions_are_section_7s_six():
    assert [flag.value for flag in RedFlag] == RED_FLAG_CODES
    assert set(RED_FLAG_QUESTIONS) == set(RedFlag)
    assert all(question.strip() for question in RED_FLAG_QUESTIONS.values())


@pytest.mark.parametrize("flag", RED_FLAG_CODES)
@pytest.mark.parametrize(
    ("days", "months", "migraine_days", "tried"),
    [
        pytest.param(20, 12, 10, 2, id="would-be-likely"),
        pytest.param(15, 4, 8, 1, id="would-be-possible"),
        pytest.param(2, 1, 0, 0, id="would-be-unlikely"),
    ],
)
def test_any_red_flag_comes_first_whatever_the_other_answers(
    flag, days, months, migraine_days, tried
):
    result = assess_self_check(
        SelfCheckAnswers(days, months, migraine_days, tried, age=35, red_flags=frozenset({flag}))
    )
    assert result.level is SelfCheckLevel.red_flag
    assert result.headline == RED_FLAG_HEADLINE
    assert result.reasons == (RED_FLAG_QUESTIONS[RedFlag(flag)],)
    assert result.summary == ""  # nothing to carry into a consultation request
    words = " ".join([result.headline, *result.reasons, *RED_FLAG_ADVICE]).lower()
    for about_the_treatment in ("botox", "botulinum", "treatment", "consultation", "book"):
        assert about_the_treatment not in words


def test_several_red_flags_are_all_listed_in_question_order():
    flags = frozenset({RedFlag.changed_pattern, RedFlag.sudden_worst_ever})
    result = assess_self_check(SelfCheckAnswers(20, 12, 10, 2, age=40, red_flags=flags))
    assert result.reasons == (
        RED_FLAG_QUESTIONS[RedFlag.sudden_worst_ever],
        RED_FLAG_QUESTIONS[RedFlag.changed_pattern],
    )


@pytest.mark.parametrize(
    ("age", "months", "flagged"),
    [
        pytest.param(None, 0, False, id="no-age"),
        pytest.param(49, 0, False, id="49-new"),
        pytest.param(50, 0, True, id="50-new"),
        pytest.param(50, 12, False, id="50-since-49"),
        pytest.param(51, 12, True, id="51-since-50"),
        pytest.param(51, 13, False, id="51-since-just-under-50"),
        pytest.param(70, 6, True, id="70-new"),
        pytest.param(70, 300, False, id="70-since-45"),
    ],
)
def test_a_new_headache_after_50_follows_from_age_and_months(age, months, flagged):
    answers = SelfCheckAnswers(20, months, 10, 2, age=age)
    assert (RedFlag.new_after_50 in red_flags(answers)) is flagged
    assert (assess_self_check(answers).level is SelfCheckLevel.red_flag) is flagged


def test_no_red_flag_keeps_the_usual_answer():
    result = assess_self_check(SelfCheckAnswers(20, 12, 10, 2, age=35))
    assert result.level is SelfCheckLevel.likely and result.summary


def test_under_18_is_told_the_treatment_is_for_adults():
    result = assess_self_check(SelfCheckAnswers(20, 12, 10, 2, age=16))
    assert any("adults (18 and over)" in reason for reason in result.reasons)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        pytest.param(SelfCheckAnswers(20, 12, 10, 2, age=-1), "age", id="negative-age"),
        pytest.param(SelfCheckAnswers(20, 12, 10, 2, age=121), "age", id="age-too-high"),
        pytest.param(
            SelfCheckAnswers(20, 12, 10, 2, red_flags=frozenset({"dizzy"})),
            "red_flags",
            id="unknown-flag",
        ),
    ],
)
def test_bad_age_or_flags_are_problems(answers, field):
    assert field in [name for name, _ in self_check_problems(answers)]
    with pytest.raises(ValueError):
        assess_self_check(answers)
