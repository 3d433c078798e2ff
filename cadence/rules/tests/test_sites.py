"""The injection-site catalogue against clinic-reference.md section 2."""

import re
from collections import Counter
from decimal import Decimal

import pytest

from cadence.rules import sites as s
from cadence.rules.sites import Muscle, Side


def test_preempt_pattern_is_31_sites_155_units_at_5_units_each():
    assert len(s.PREEMPT_SITES) == s.PREEMPT_SITE_COUNT == 31
    assert sum(site.default_units for site in s.PREEMPT_SITES) == s.PREEMPT_TOTAL_UNITS == 155
    assert {site.default_units for site in s.ALL_SITES} == {Decimal(5)}
    assert not any(site.follow_the_pain for site in s.PREEMPT_SITES)
    assert all(site.follow_the_pain for site in s.FOLLOW_THE_PAIN_SITES)


@pytest.mark.parametrize(
    ("muscle", "fixed", "ftp", "sides"),  # ftp: catalogue sites (both sides)
    [
        (Muscle.corrugator, 2, 0, {Side.left: 1, Side.right: 1}),
        (Muscle.procerus, 1, 0, {Side.midline: 1}),
        (Muscle.frontalis, 4, 0, {Side.left: 2, Side.right: 2}),
        (Muscle.temporalis, 8, 4, {Side.left: 6, Side.right: 6}),
        (Muscle.occipitalis, 6, 4, {Side.left: 5, Side.right: 5}),
        (Muscle.cervical_paraspinal, 4, 0, {Side.left: 2, Side.right: 2}),
        (Muscle.trapezius, 6, 8, {Side.left: 7, Side.right: 7}),
    ],
    ids=lambda v: str(v) if isinstance(v, Muscle) else None,
)
def test_sites_per_muscle_match_the_reference_table(muscle, fixed, ftp, sides):
    assert len(s.sites_for_muscle(muscle, follow_the_pain=False)) == fixed
    assert s.PREEMPT_SITES_PER_MUSCLE[muscle] == fixed
    assert len(s.sites_for_muscle(muscle, follow_the_pain=True)) == ftp
    assert Counter(site.side for site in s.sites_for_muscle(muscle)) == sides
    if ftp:
        cap = CAPS[muscle]
        assert s.FTP_SITE_CAPS[muscle] == cap
        assert s.FTP_UNIT_CAPS[muscle] == cap * 5
    else:
        assert muscle not in s.FTP_MUSCLES


#: Section 2: "temporalis (up to 2 sites, 10 U), occipitalis (up to 2 sites, 10 U) and
#: trapezius (up to 4 sites, 20 U)" -- per muscle, not per side (section 7).
CAPS = {Muscle.temporalis: 2, Muscle.occipitalis: 2, Muscle.trapezius: 4}


@pytest.mark.parametrize(
    ("muscle", "cap"), [(Muscle.temporalis, 2), (Muscle.occipitalis, 2), (Muscle.trapezius, 4)]
)
@pytest.mark.parametrize("side", [Side.left, Side.right])
def test_all_ftp_extras_of_a_muscle_fit_on_one_side(muscle, cap, side):
    """Section 7: the caps are per muscle, not per side, so each side has as many FTP
    sites as the muscle's cap (trapezius: all 4 extras on the painful side)."""
    on_side = [
        site for site in s.sites_for_muscle(muscle, follow_the_pain=True) if site.side is side
    ]
    assert len(on_side) == s.FTP_SITE_CAPS[muscle] == cap
    assert [site.code for site in on_side] == [
        f"{muscle}_{side}_ftp_{n}" for n in range(1, cap + 1)
    ]


def test_session_limits_are_preempt_plus_follow_the_pain():
    assert (len(s.FOLLOW_THE_PAIN_SITES), s.FTP_MAX_SITES, s.FTP_MAX_UNITS) == (16, 8, 40)
    assert (s.MAX_SITES_PER_SESSION, s.MAX_UNITS_PER_SESSION) == (39, 195)
    assert str(s.TARGETED_MIN_UNITS) == "2.5"
    assert s.TARGETED_MAX_UNITS == 10
    assert (s.CUMULATIVE_WINDOW_DAYS, s.CUMULATIVE_MAX_UNITS) == (84, 400)


@pytest.mark.parametrize(
    "code",
    [
        "corrugator_left_1",
        "procerus_midline_1",
        "frontalis_right_2",
        "temporalis_left_4",
        "occipitalis_right_3",
        "cervical_paraspinal_left_2",
        "trapezius_right_3",
        "temporalis_left_ftp_1",
        "temporalis_left_ftp_2",
        "temporalis_right_ftp_2",
        "occipitalis_right_ftp_1",
        "occipitalis_left_ftp_2",
        "occipitalis_right_ftp_2",
        "trapezius_right_ftp_2",
        "trapezius_left_ftp_3",
        "trapezius_right_ftp_4",
    ],
)
def test_documented_codes_exist(code):
    site = s.get_site(code)
    assert site.code == code
    assert code.startswith(f"{site.muscle}_{site.side}_")
    assert ("_ftp_" in code) is site.follow_the_pain


@pytest.mark.parametrize("code", ["corrugator_left_2", "procerus_left_1", "masseter_left_1", ""])
def test_unknown_codes_are_not_in_the_catalogue(code):
    assert code not in s.SITE_CATALOGUE
    with pytest.raises(KeyError):
        s.get_site(code)


def test_codes_follow_the_pattern_and_are_unique():
    pattern = re.compile(r"^(?P<m>[a-z_]+?)_(?P<s>left|right|midline)_(?:ftp_)?(?P<n>\d+)$")
    for site in s.ALL_SITES:
        match = pattern.match(site.code)
        assert match, site.code
        assert (match["m"], match["s"], int(match["n"])) == (site.muscle, site.side, site.number)
    assert len(s.SITE_CATALOGUE) == len(s.ALL_SITES) == 47


def test_head_map_positions_are_in_the_box_distinct_and_on_the_right_view():
    seen = set()
    expected_views = {
        Muscle.corrugator: {"front"},
        Muscle.procerus: {"front"},
        Muscle.frontalis: {"front"},
        Muscle.temporalis: {"left", "right"},
        Muscle.occipitalis: {"back"},
        Muscle.cervical_paraspinal: {"back"},
        Muscle.trapezius: {"back"},
    }
    for site in s.ALL_SITES:
        assert 0 <= site.x <= 100 and 0 <= site.y <= 100, site.code
        assert (site.view, site.x, site.y) not in seen, site.code
        seen.add((site.view, site.x, site.y))
        assert site.view in expected_views[site.muscle]
        if site.muscle is Muscle.temporalis:
            assert site.view == str(site.side)
        if site.view == "front" and site.side is not Side.midline:
            assert (site.x > 50) is (site.side is Side.left)  # patient's left on viewer's right
        if site.view == "back":
            assert (site.x < 50) is (site.side is Side.left)  # seen from behind
        assert site.label


@pytest.mark.parametrize(
    ("area", "muscles", "count"),
    [
        ("forehead", {Muscle.frontalis}, 4),
        ("brow", {Muscle.corrugator, Muscle.procerus}, 3),
        ("temples", {Muscle.temporalis}, 8),
        ("back_of_scalp", {Muscle.occipitalis}, 6),
        ("neck", {Muscle.cervical_paraspinal, Muscle.trapezius}, 10),
    ],
)
def test_trigger_areas_map_to_their_muscles(area, muscles, count):
    trigger = s.TRIGGER_AREAS[area]
    assert trigger.code == area and trigger.label
    assert len(trigger.site_codes) == count
    assert {s.get_site(c).muscle for c in trigger.site_codes} == muscles


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("155"), "155"),
        (Decimal("155.0"), "155"),
        (Decimal("2.50"), "2.5"),
        (Decimal("200"), "200"),
        (Decimal("0.00"), "0"),
        (7, "7"),
    ],
)
def test_format_units(value, text):
    assert s.format_units(value) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5, Decimal(5)), ("2.5", Decimal("2.5")), (2.5, Decimal("2.5")), (0.1, Decimal("0.1"))],
    ids=["int", "str", "float", "float-repr"],
)
def test_to_units(value, expected):
    assert s.to_units(value) == expected


@pytest.mark.parametrize("value", ["five", True, None, [5]], ids=["word", "bool", "none", "list"])
def test_to_units_rejects_non_numbers(value):
    with pytest.raises(ValueError):
        s.to_units(value)
