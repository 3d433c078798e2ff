"""Pain regions: the pain map and follow-the-pain suggestions within the caps."""

from __future__ import annotations

from decimal import Decimal

from cadence.rules.pain_regions import (
    PainRegion,
    follow_the_pain_suggestions,
    pain_map,
)
from cadence.rules.sites import FOLLOW_THE_PAIN_SITES, FTP_SITE_CAPS, FTP_UNIT_CAPS, get_site

R = PainRegion


def test_the_pain_map_counts_days_not_mentions():
    counts = pain_map([["temple_left", "temple_left"], ["temple_left", "neck_right"], None, []])
    assert counts[R.temple_left] == 2
    assert counts[R.neck_right] == 1
    assert counts[R.forehead_left] == 0
    assert set(counts) == set(PainRegion)


def test_unknown_region_codes_are_ignored():
    assert sum(pain_map([["ear_left"]]).values()) == 0


def test_suggestions_follow_the_side_and_muscle_of_the_pain():
    days = {R.temple_left: 9, R.back_of_head_right: 3, R.forehead_left: 20}
    got = follow_the_pain_suggestions(days, FOLLOW_THE_PAIN_SITES)
    assert [(s.site, s.region, s.days) for s in got] == [
        ("temporalis_left_ftp_1", R.temple_left, 9),
        ("occipitalis_right_ftp_1", R.back_of_head_right, 3),
        # Both extras of a muscle may follow the pain to the same side (section 7).
        ("temporalis_left_ftp_2", R.temple_left, 9),
        ("occipitalis_right_ftp_2", R.back_of_head_right, 3),
    ]
    assert all(s.units == Decimal(5) for s in got)


def test_two_aching_temples_get_one_site_each_before_a_second_on_one_side():
    got = follow_the_pain_suggestions({R.temple_left: 9, R.temple_right: 2}, FOLLOW_THE_PAIN_SITES)
    assert [s.site for s in got] == ["temporalis_left_ftp_1", "temporalis_right_ftp_1"]


def test_no_pain_no_suggestion():
    assert follow_the_pain_suggestions({}, FOLLOW_THE_PAIN_SITES) == []
    assert follow_the_pain_suggestions({R.temple_left: 2}, FOLLOW_THE_PAIN_SITES, min_days=3) == []


def test_every_region_hurting_stays_within_the_caps_per_muscle():
    days = {region: 28 for region in PainRegion}
    got = follow_the_pain_suggestions(days, FOLLOW_THE_PAIN_SITES)
    per_muscle: dict = {}
    for s in got:
        muscle = get_site(s.site).muscle
        sites, units = per_muscle.get(muscle, (0, Decimal(0)))
        per_muscle[muscle] = (sites + 1, units + s.units)
    for muscle, (sites, units) in per_muscle.items():
        assert sites <= FTP_SITE_CAPS[muscle]
        assert units <= FTP_UNIT_CAPS[muscle]
    assert len({s.site for s in got}) == len(got) == 8


def test_neck_and_shoulder_share_the_trapezius_sites_of_their_side():
    got = follow_the_pain_suggestions({R.neck_left: 5, R.shoulder_left: 4}, FOLLOW_THE_PAIN_SITES)
    # Trapezius allows up to 4 extra sites, all of them on the painful side (section 7).
    assert [(s.site, s.region) for s in got] == [
        ("trapezius_left_ftp_1", R.neck_left),
        ("trapezius_left_ftp_2", R.shoulder_left),
        ("trapezius_left_ftp_3", R.neck_left),
        ("trapezius_left_ftp_4", R.shoulder_left),
    ]
