"""Plan validation: PREEMPT, follow-the-pain, targeted plans and the 400 U / 84-day rule."""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadence.rules.plans import (
    PlannedSite,
    PlanTemplate,
    plan_totals,
    preempt_plan,
    targeted_plan,
    validate_plan,
    validate_preempt_additions,
    worst_window,
)
from cadence.rules.sites import (
    FOLLOW_THE_PAIN_SITES,
    FTP_SITE_CAPS,
    MAX_UNITS_PER_SESSION,
    PREEMPT_SITES,
    SITE_CATALOGUE,
)

ON = date(2027, 3, 1)
D = Decimal


def ps(code, units=5):
    return PlannedSite(code, D(str(units)))


def rules(problems):
    return sorted(p.rule for p in problems)


#: The most follow-the-pain a session may take: 8 sites, 40 U, within each muscle's cap,
#: both temporalis extras on the left and both occipitalis extras on the right.
ALL_FTP = [
    ps(code)
    for code in (
        "temporalis_left_ftp_1",
        "temporalis_left_ftp_2",
        "occipitalis_right_ftp_1",
        "occipitalis_right_ftp_2",
        "trapezius_left_ftp_1",
        "trapezius_left_ftp_2",
        "trapezius_right_ftp_1",
        "trapezius_right_ftp_2",
    )
]


def test_preempt_plan_is_the_31_fixed_sites_plus_additions():
    plan = preempt_plan([ps("temporalis_left_ftp_1")])
    assert plan_totals(plan) == (32, D(160))
    assert [p.code for p in plan[:31]] == [s.code for s in PREEMPT_SITES]
    assert plan_totals(preempt_plan()) == (31, D(155))


def test_full_preempt_with_all_follow_the_pain_is_the_195_unit_maximum():
    plan = preempt_plan(ALL_FTP)
    assert plan_totals(plan) == (39, D(195))
    assert validate_plan(PlanTemplate.preempt, plan, on=ON, other_toxin_doses=[]) == []


def test_planned_site_coerces_units_to_decimal():
    assert PlannedSite("procerus_midline_1", 5).units == D(5)
    assert PlannedSite("procerus_midline_1", "2.5").units == D("2.5")


@pytest.mark.parametrize(
    ("additions", "expected_rules", "message_part"),
    [
        ([], [], None),
        ([ps("temporalis_left_ftp_1"), ps("temporalis_right_ftp_1")], [], None),
        ([ps("trapezius_left_ftp_1", "2.5")], [], None),
        ([ps("temporalis_left_ftp_1", 10)], [], None),
        ([ps("nose_left_1")], ["unknown_site"], "Unknown injection site 'nose_left_1'"),
        (
            [ps("temporalis_left_ftp_1"), ps("temporalis_left_ftp_1")],
            ["duplicate_site"],
            "appears 2 times",
        ),
        ([ps("temporalis_left_1")], ["duplicate_site"], "a fixed PREEMPT site already in the plan"),
        (
            [ps("temporalis_left_ftp_1", 12)],
            ["follow_the_pain_cap", "units_out_of_range"],
            "12 U per site is outside 2.5-10 U, 2 U over the 10 U maximum",
        ),
        (
            [ps("occipitalis_left_ftp_1", 2)],
            ["units_out_of_range"],
            "2 U per site is outside 2.5-10 U, 0.5 U under the 2.5 U minimum",
        ),
        (
            [ps("temporalis_left_ftp_1", 10), ps("temporalis_right_ftp_1", 5)],
            ["follow_the_pain_cap"],
            "Follow-the-pain temporalis totals 15 U, 5 U over the 10 U cap",
        ),
        (
            [
                ps(s.code, 10)
                for s in FOLLOW_THE_PAIN_SITES
                if s.muscle == "trapezius" and s.side == "left"
            ],
            ["follow_the_pain_cap"],
            "Follow-the-pain trapezius totals 40 U, 20 U over the 20 U cap",
        ),
        (
            [ps("temporalis_left_ftp_1", 0)],
            ["invalid_units"],
            "units must be a positive number, got 0",
        ),
        (
            [PlannedSite("temporalis_left_ftp_1", D("NaN"))],
            ["invalid_units"],
            "units must be a positive number, got NaN",
        ),
    ],
    ids=[
        "no-additions",
        "two-temporalis",
        "half-dose-ftp",
        "one-10u-temporalis",
        "unknown-site",
        "ftp-twice",
        "ftp-repeats-fixed-site",
        "ftp-over-10u",
        "ftp-under-2.5u",
        "temporalis-unit-cap",
        "trapezius-unit-cap",
        "zero-units",
        "nan-units",
    ],
)
def test_preempt_additions(additions, expected_rules, message_part):
    problems = validate_preempt_additions(additions, on=ON, other_toxin_doses=[])
    assert rules(problems) == sorted(expected_rules)
    if message_part:
        assert any(message_part in p.message for p in problems), problems


@pytest.mark.parametrize(
    ("plan", "expected_rules", "message_part"),
    [
        (
            [ps(s.code, 10 if s.code == "frontalis_left_1" else 5) for s in PREEMPT_SITES],
            ["preempt_units_fixed"],
            "PREEMPT sites take a fixed 5 U, got 10 U (5 U over)",
        ),
        (
            [ps(s.code, "2.5" if s.code == "procerus_midline_1" else 5) for s in PREEMPT_SITES],
            ["preempt_units_fixed"],
            "got 2.5 U (2.5 U under)",
        ),
        (
            [ps(s.code) for s in PREEMPT_SITES if s.code != "procerus_midline_1"],
            ["preempt_site_missing"],
            "missing the fixed site Procerus, midline (procerus_midline_1)",
        ),
        (
            preempt_plan([ps("frontalis_left_1")]),
            ["duplicate_site"],
            "Frontalis, left, site 1 (frontalis_left_1) appears 2 times",
        ),
        (
            [ps(s.code) for s in PREEMPT_SITES if s.muscle != "frontalis"]
            + [ps("frontalis_left_1"), ps("frontalis_left_2"), ps("frontalis_right_1")]
            + [ps("frontalis_right_2")],
            [],
            None,
        ),
    ],
    ids=["fixed-site-10u", "fixed-site-2.5u", "missing-fixed-site", "duplicate-fixed", "reordered"],
)
def test_preempt_fixed_sites(plan, expected_rules, message_part):
    problems = validate_plan(PlanTemplate.preempt, plan, on=ON, other_toxin_doses=[])
    assert rules(problems) == expected_rules
    if message_part:
        assert any(message_part in p.message for p in problems), problems


@pytest.mark.parametrize(
    ("plan", "expected_rules", "message_part"),
    [
        (targeted_plan(["forehead", "brow"]), [], None),
        ([ps("frontalis_left_1", "2.5"), ps("frontalis_right_1", 10)], [], None),
        ([ps("temporalis_left_ftp_1", 5)], [], None),
        ([], ["empty_plan"], "The plan has no injection sites"),
        ([ps("frontalis_left_1", "2.4")], ["units_out_of_range"], "0.1 U under the 2.5 U minimum"),
        ([ps("frontalis_left_1", "10.5")], ["units_out_of_range"], "0.5 U over the 10 U maximum"),
        ([ps("frontalis_left_1", -5)], ["invalid_units"], "got -5"),
        ([ps("bogus")], ["unknown_site"], "'bogus'"),
        (
            [ps("frontalis_left_1"), ps("frontalis_left_1")],
            ["duplicate_site"],
            "listed more than once",
        ),
        (
            [ps(s.code, 10) for s in PREEMPT_SITES[:20]],
            ["session_max_units"],
            "Plan totals 200 U, 5 U over the 195 U per-session limit",
        ),
        (
            [ps(s.code, 10) for s in PREEMPT_SITES[:20]] + [ps("frontalis_left_1")],
            ["duplicate_site", "session_max_units"],
            "Plan totals 205 U, 10 U over the 195 U per-session limit",
        ),
        (
            [ps(s.code) for s in PREEMPT_SITES] + ALL_FTP + [ps("corrugator_left_1")],
            ["duplicate_site", "session_max_sites", "session_max_units"],
            "Plan has 40 sites, 1 over the 39-site per-session limit",
        ),
    ],
    ids=[
        "targeted-forehead-brow",
        "targeted-2.5-and-10",
        "custom-ftp-code",
        "empty",
        "under-2.5",
        "over-10",
        "negative",
        "unknown",
        "duplicate",
        "200u",
        "205u",
        "40-sites",
    ],
)
def test_custom_plans(plan, expected_rules, message_part):
    problems = validate_plan(PlanTemplate.custom, plan, on=ON, other_toxin_doses=[])
    assert rules(problems) == expected_rules
    if message_part:
        assert any(message_part in p.message for p in problems), problems


def test_problems_name_the_site():
    problems = validate_plan("custom", [ps("frontalis_left_1", 11)], on=ON, other_toxin_doses=[])
    assert [(p.rule, p.site) for p in problems] == [("units_out_of_range", "frontalis_left_1")]


def test_targeted_plan_lists_shared_sites_once_and_rejects_unknown_areas():
    plan = targeted_plan(["neck", "neck"])
    assert plan_totals(plan) == (10, D(50))
    with pytest.raises(KeyError):
        targeted_plan(["knee"])


# --- the 400 U in any 84-day window -----------------------------------------------------
PREEMPT_155 = preempt_plan()  # 155 U
FULL_195 = preempt_plan(ALL_FTP)  # 195 U


@pytest.mark.parametrize(
    ("other_doses", "plan", "refused"),
    [
        ([], FULL_195, False),
        ([(ON - timedelta(days=83), D(210))], FULL_195, True),  # 405 U, same window
        ([(ON - timedelta(days=84), D(210))], FULL_195, False),  # day 84: outside
        ([(ON - timedelta(days=85), D(210))], FULL_195, False),
        ([(ON + timedelta(days=83), D(210))], FULL_195, True),  # a later dose counts too
        ([(ON + timedelta(days=84), D(210))], FULL_195, False),
        ([(ON + timedelta(days=85), D(210))], FULL_195, False),
        ([(ON, D(210))], FULL_195, True),  # same day, another indication
        ([(ON - timedelta(days=83), D(205))], FULL_195, False),  # exactly 400 U is allowed
        ([(ON - timedelta(days=83), D(245))], PREEMPT_155, False),  # 400 U
        ([(ON - timedelta(days=83), D("245.5"))], PREEMPT_155, True),
        # Doses on both sides 166 days apart never share one window with each other, but
        # each shares one with the new dose: 155 + 200 = 355 either way.
        (
            [(ON - timedelta(days=83), D(200)), (ON + timedelta(days=83), D(200))],
            PREEMPT_155,
            False,
        ),
        # ... whereas 40 days either side are within 83 days of each other: 555 U.
        ([(ON - timedelta(days=40), D(200)), (ON + timedelta(days=40), D(200))], PREEMPT_155, True),
        # A previous PREEMPT session 84 days earlier plus another indication in between.
        ([(ON - timedelta(days=84), D(195)), (ON - timedelta(days=30), D(200))], FULL_195, False),
        ([(ON - timedelta(days=83), D(195)), (ON - timedelta(days=30), D(11))], FULL_195, True),
    ],
    ids=[
        "nothing-else",
        "day-83-before",
        "day-84-before",
        "day-85-before",
        "day-83-after",
        "day-84-after",
        "day-85-after",
        "same-day",
        "exactly-400",
        "exactly-400-155",
        "400.5",
        "both-sides-far-apart",
        "both-sides-close",
        "previous-session-day-84",
        "previous-session-day-83",
    ],
)
def test_cumulative_400_units_in_any_84_day_window(other_doses, plan, refused):
    problems = validate_plan("preempt", plan, on=ON, other_toxin_doses=other_doses)
    assert ("cumulative_400_in_84_days" in rules(problems)) is refused
    assert len(problems) == int(refused)


def test_cumulative_message_names_the_window_and_the_excess():
    problems = validate_plan(
        "preempt",
        FULL_195,
        on=ON,
        other_toxin_doses=[(date(2027, 1, 10), D(100)), (date(2027, 4, 1), D(150))],
    )
    (problem,) = problems
    assert problem.rule == "cumulative_400_in_84_days"
    assert problem.message == (
        "195 U on 2027-03-01 would bring onabotulinumtoxinA to 445 U in the 84-day window "
        "2027-01-08 to 2027-04-01 (250 U from other doses), 45 U over the 400 U limit in any "
        "84 days"
    )


def test_worst_window_spans_84_days_inclusive():
    start, end, total = worst_window(D(155), on=ON, other_toxin_doses=[])
    assert (end - start).days == 83
    assert start <= ON <= end
    assert total == 155


# --- properties ----------------------------------------------------------------------------
CODES = sorted(SITE_CATALOGUE)
UNITS = st.sampled_from([D(x) / 2 for x in range(0, 25)])  # 0 .. 12 U in 0.5 U steps
DOSE_DAY = st.integers(min_value=-200, max_value=200)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(CODES), UNITS), max_size=45),
    st.sampled_from(list(PlanTemplate)),
    st.lists(st.tuples(DOSE_DAY, st.integers(min_value=1, max_value=400)), max_size=4),
)
def test_a_valid_plan_never_exceeds_the_limits(pairs, template, doses):
    plan = [PlannedSite(code, units) for code, units in pairs]
    if template is PlanTemplate.preempt:
        plan = preempt_plan(plan)
    other = [(ON + timedelta(days=d), D(u)) for d, u in doses]
    problems = validate_plan(template, plan, on=ON, other_toxin_doses=other)
    count, total = plan_totals(plan)
    if total > MAX_UNITS_PER_SESSION:
        assert "session_max_units" in rules(problems)
    if not problems:
        assert total <= 195 and count <= 39
        assert len({p.code for p in plan}) == count
        for d, u in other:
            if abs((d - ON).days) <= 83:
                assert total + u <= 400
        for p in plan:
            assert D("2.5") <= p.units <= 10


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FOLLOW_THE_PAIN_SITES), unique=True))
def test_any_set_of_ftp_sites_at_5_units_is_valid_exactly_within_each_muscles_cap(chosen):
    additions = [ps(site.code) for site in chosen]
    per_muscle = Counter(site.muscle for site in chosen)
    problems = validate_preempt_additions(additions, on=ON, other_toxin_doses=[])
    within = all(n <= FTP_SITE_CAPS[m] for m, n in per_muscle.items())
    assert (problems == []) is within  # whatever the sides
    if not within:
        assert "follow_the_pain_cap" in rules(problems)
    assert plan_totals(preempt_plan(additions)) == (31 + len(chosen), D(155 + 5 * len(chosen)))


@pytest.mark.parametrize(
    ("codes", "ok"),
    [
        (["temporalis_left_ftp_1", "temporalis_left_ftp_2"], True),
        (["temporalis_right_ftp_1", "temporalis_right_ftp_2"], True),
        (["occipitalis_left_ftp_1", "occipitalis_left_ftp_2"], True),
        (["temporalis_left_ftp_1", "temporalis_right_ftp_1"], True),
        (["temporalis_left_ftp_1", "temporalis_left_ftp_2", "temporalis_right_ftp_1"], False),
        (["occipitalis_right_ftp_1", "occipitalis_right_ftp_2", "occipitalis_left_ftp_2"], False),
        ([f"trapezius_left_ftp_{n}" for n in (1, 2, 3, 4)], True),
        ([f"trapezius_right_ftp_{n}" for n in (1, 2, 3, 4)], True),
        (["trapezius_left_ftp_1", "trapezius_left_ftp_2", "trapezius_left_ftp_3",
          "trapezius_right_ftp_1"], True),
        ([f"trapezius_left_ftp_{n}" for n in (1, 2, 3, 4)] + ["trapezius_right_ftp_1"], False),
        ([f"trapezius_left_ftp_{n}" for n in (1, 2, 3)], True),
    ],
    ids=["temporalis-both-left", "temporalis-both-right", "occipitalis-both-left",
         "temporalis-one-each-side", "temporalis-3", "occipitalis-3",
         "trapezius-all-4-left", "trapezius-all-4-right", "trapezius-3-left-1-right",
         "trapezius-5", "trapezius-3-left"],
)  # fmt: skip
def test_follow_the_pain_caps_are_per_muscle_not_per_side(codes, ok):
    problems = validate_preempt_additions([ps(c) for c in codes], on=ON, other_toxin_doses=[])
    assert (problems == []) is ok
    if not ok:
        assert set(rules(problems)) == {"follow_the_pain_cap"}


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=-83, max_value=83),
    st.integers(min_value=84, max_value=400),
    st.integers(min_value=1, max_value=400),
)
def test_cumulative_window_inside_vs_outside(days_inside, days_outside, units):
    other_units = D(units)
    inside = validate_plan(
        "preempt",
        PREEMPT_155,
        on=ON,
        other_toxin_doses=[(ON + timedelta(days=days_inside), other_units)],
    )
    outside = validate_plan(
        "preempt",
        PREEMPT_155,
        on=ON,
        other_toxin_doses=[(ON - timedelta(days=days_outside), other_units)],
    )
    assert ("cumulative_400_in_84_days" in rules(inside)) is (155 + units > 400)
    assert outside == []
