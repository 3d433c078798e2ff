"""Trigger sites, site-level response at its boundaries, PAINS and the MHI
(clinic-reference.md section 8)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadence.rules.pain_regions import PainRegion
from cadence.rules.sites import ALL_SITES, Muscle
from cadence.rules.surgery import (
    MHI_SEVERITY_SCORES,
    TRIGGER_SITES,
    Attack,
    SiteDay,
    SiteResponse,
    TriggerSite,
    WindowCount,
    add_months,
    mhi,
    mhi_from_attacks,
    nerve_block_billing_lines,
    operation_windows,
    pains,
    site_regions,
    site_response,
    sketch_shares,
    surgery_change,
    trigger_sites_for_injection_site,
    trigger_sites_for_muscle,
    trigger_sites_for_region,
)

T = TriggerSite
R = PainRegion
INJECTED = date(2026, 3, 1)
TODAY = date(2026, 6, 1)


# ------------------------------------------------------------------ the mapping
def test_six_sites_in_guyurons_order_with_contract_codes():
    assert [s.numeral for s in TRIGGER_SITES.values()] == ["I", "II", "III", "IV", "V", "VI"]
    assert [str(c) for c in TRIGGER_SITES] == [
        "frontal",
        "temporal",
        "rhinogenic",
        "occipital",
        "auriculotemporal",
        "lesser_occipital",
    ]


@pytest.mark.parametrize(
    ("site", "regions", "muscles", "injectable"),
    [
        (
            T.frontal,
            {R.forehead_left, R.forehead_right},
            {Muscle.corrugator, Muscle.procerus},
            True,
        ),
        (T.temporal, {R.temple_left, R.temple_right}, {Muscle.temporalis}, True),
        (T.rhinogenic, {R.eye_left, R.eye_right}, set(), False),
        (
            T.occipital,
            {R.back_of_head_left, R.back_of_head_right, R.neck_left, R.neck_right},
            {Muscle.occipitalis, Muscle.cervical_paraspinal},
            True,
        ),
        (T.auriculotemporal, {R.temple_left, R.temple_right}, set(), True),
        (T.lesser_occipital, {R.back_of_head_left, R.back_of_head_right}, set(), True),
    ],
)
def test_each_site_maps_to_regions_and_muscles(site, regions, muscles, injectable):
    spec = TRIGGER_SITES[site]
    assert spec.regions == regions
    assert spec.muscles == muscles
    assert spec.injectable is injectable


def test_reverse_lookups():
    assert trigger_sites_for_region("temple_left") == (T.temporal, T.auriculotemporal)
    assert trigger_sites_for_region("top_of_head") == ()
    assert trigger_sites_for_muscle("occipitalis") == (T.occipital,)
    assert trigger_sites_for_muscle("trapezius") == ()
    assert trigger_sites_for_injection_site("corrugator_left_1") == (T.frontal,)
    assert trigger_sites_for_injection_site("occipitalis_right_ftp_1") == (T.occipital,)


def test_every_catalogue_muscle_of_a_site_exists_in_the_catalogue():
    catalogue_muscles = {s.muscle for s in ALL_SITES}
    for spec in TRIGGER_SITES.values():
        assert spec.muscles <= catalogue_muscles


def test_site_regions_by_side():
    assert site_regions("occipital", "left") == {R.back_of_head_left, R.neck_left}
    assert site_regions("occipital", "both") == TRIGGER_SITES[T.occipital].regions
    with pytest.raises(ValueError):
        site_regions("occipital", "middle")


# ------------------------------------------------------------------ site response
def diary(
    before_site: int, after_site: int, *, before_days=28, after_days=28, region="back_of_head_left"
):
    """Recorded days around INJECTED: the first n of each window are headache days at
    ``region``; the rest are headache-free."""
    days = []
    for i in range(before_days):
        on = INJECTED - timedelta(days=28 - i)
        days.append(SiteDay(on, i < before_site, frozenset({region}) if i < before_site else None))
    for i in range(after_days):
        on = INJECTED + timedelta(days=i)
        days.append(SiteDay(on, i < after_site, frozenset({region}) if i < after_site else None))
    return days


@pytest.mark.parametrize(
    ("before", "after", "before_days", "after_days", "responded"),
    [
        (10, 5, 28, 28, True),  # exactly 50% fewer: responded
        (10, 6, 28, 28, False),  # 40% fewer
        (10, 5, 21, 21, True),  # section 7's exact-values example, on a site
        (10, 5, 20, 28, True),  # 10 in 20 days is 14 per 28 before, 5 after: 64% fewer
        (8, 4, 20, 20, True),
        (8, 5, 20, 20, False),
        (0, 0, 28, 28, None),  # nothing to halve
        (10, 5, 19, 28, None),  # 19 recorded days before: unknown
        (10, 5, 28, 19, None),  # 19 recorded days after: unknown
    ],
)
def test_site_response_boundaries(before, after, before_days, after_days, responded):
    got = site_response(
        diary(before, after, before_days=before_days, after_days=after_days),
        trigger_site="occipital",
        side="left",
        injected_on=INJECTED,
        as_of=TODAY,
    )
    assert got.responded is responded, got.reason
    if responded is None:
        assert got.reason.startswith("unknown:")


def test_exactly_50_percent_on_exact_fractions():
    got = site_response(
        diary(10, 5, before_days=21, after_days=21),
        trigger_site="occipital",
        side="left",
        injected_on=INJECTED,
        as_of=TODAY,
    )
    assert got.before.exact == Fraction(40, 3)
    assert got.after.exact == Fraction(20, 3)
    assert got.percent_fewer == 50
    assert got.before.shown == 13.3


def test_a_running_after_window_is_unknown_until_it_ends():
    days = diary(10, 2)
    end = INJECTED + timedelta(days=27)
    assert (
        site_response(
            days, trigger_site="occipital", side="left", injected_on=INJECTED, as_of=end
        ).responded
        is None
    )
    assert (
        site_response(
            days,
            trigger_site="occipital",
            side="left",
            injected_on=INJECTED,
            as_of=end + timedelta(1),
        ).responded
        is True
    )


def test_the_window_edges():
    """The day before the injection is in the before window; the injection day is after."""
    days = [SiteDay(INJECTED - timedelta(days=i), False) for i in range(1, 29)]
    days += [SiteDay(INJECTED + timedelta(days=i), False) for i in range(0, 28)]
    got = site_response(
        days, trigger_site="occipital", side="left", injected_on=INJECTED, as_of=TODAY
    )
    assert got.before.days_recorded == 28 and got.after.days_recorded == 28
    assert got.before.start == INJECTED - timedelta(days=28)
    assert got.after.end == INJECTED + timedelta(days=27)


def test_headache_days_elsewhere_or_on_the_other_side_do_not_count():
    days = diary(10, 10, region="back_of_head_right")
    got = site_response(
        days, trigger_site="occipital", side="left", injected_on=INJECTED, as_of=TODAY
    )
    assert got.before.site_days == 0
    both = site_response(
        days, trigger_site="occipital", side="both", injected_on=INJECTED, as_of=TODAY
    )
    assert both.before.site_days == 10


def test_unlocated_headache_days_are_not_recorded_for_the_site():
    days = [
        SiteDay(d.on, d.is_headache_day, None) if d.is_headache_day else d for d in diary(10, 5)
    ]
    got = site_response(
        days, trigger_site="occipital", side="left", injected_on=INJECTED, as_of=TODAY
    )
    assert got.responded is None
    assert got.before.unlocated_days == 10
    assert "10 headache days have no pain regions" in got.reason


def test_responder_percent_is_configurable():
    days = diary(10, 6)
    got = site_response(
        days,
        trigger_site="occipital",
        side="left",
        injected_on=INJECTED,
        as_of=TODAY,
        responder_percent=40,
    )
    assert got.responded is True


@given(
    before=st.integers(0, 28),
    after=st.integers(0, 28),
    before_days=st.integers(0, 28),
    after_days=st.integers(0, 28),
)
def test_response_properties(before, after, before_days, after_days):
    before = min(before, before_days)
    after = min(after, after_days)
    got = site_response(
        diary(before, after, before_days=before_days, after_days=after_days),
        trigger_site="occipital",
        side="both",
        injected_on=INJECTED,
        as_of=TODAY,
    )
    if got.responded is not None:
        assert got.before.days_recorded >= 20 and got.after.days_recorded >= 20
        exact = (got.before.exact - got.after.exact) * 100 / got.before.exact
        assert got.responded == (exact >= 50)
    for window in (got.before, got.after):
        if window.exact is not None:
            assert 0 <= window.exact <= 28


# ------------------------------------------------------------------ the sketch
def test_sketch_shares_count_located_headache_days():
    days = [
        SiteDay(date(2026, 1, 1), True, frozenset({"back_of_head_left"})),
        SiteDay(date(2026, 1, 2), True, frozenset({"temple_right", "neck_left"})),
        SiteDay(date(2026, 1, 3), True, None),
        SiteDay(date(2026, 1, 4), False, frozenset({"forehead_left"})),
    ]
    shares = sketch_shares(days)
    assert shares[T.occipital].share == 1
    assert shares[T.temporal].share == Fraction(1, 2)
    assert shares[T.frontal].share == 0
    assert shares[T.occipital].located_days == 2
    assert sketch_shares([])[T.frontal].share is None


# ------------------------------------------------------------------ PAINS
def responded(site=T.occipital, ok=True):
    w = WindowCount(INJECTED, INJECTED, 28, 10, 0, Fraction(10))
    return SiteResponse(site, "left", INJECTED, w, w, ok, "responded" if ok else "did not")


def all_met(**over):
    shares = sketch_shares([SiteDay(date(2026, 1, 1), True, frozenset({"neck_left"}))])
    kwargs = dict(
        trigger_site="occipital",
        pain_point="yes",
        pain_point_site="occipital",
        symptoms="yes",
        symptoms_detail="starts at the back of the head",
        responses=[responded()],
        neurologist=(True, "confirmed by a neurologist: G43.709"),
        sketch=shares,
        sketch_days_recorded=28,
    )
    kwargs.update(over)
    return pains(**kwargs)


def test_pains_all_met_is_a_candidate():
    got = all_met()
    assert [c.code for c in got.criteria] == [
        "pain_point",
        "appropriate_symptoms",
        "injectables_improve",
        "neurologist_diagnosis",
        "sketch_matching",
    ]
    assert all(c.met for c in got.criteria)
    assert got.candidate is True


@pytest.mark.parametrize(
    ("over", "code", "met"),
    [
        ({"pain_point": "no"}, "pain_point", False),
        ({"pain_point": None}, "pain_point", None),
        ({"pain_point_site": "frontal"}, "pain_point", False),
        ({"symptoms": "no"}, "appropriate_symptoms", False),
        ({"symptoms": "unknown"}, "appropriate_symptoms", None),
        ({"responses": [responded(ok=False)]}, "injectables_improve", False),
        ({"responses": [responded(ok=None)]}, "injectables_improve", None),
        ({"responses": [responded(site=T.frontal)]}, "injectables_improve", None),
        ({"responses": [responded(ok=False), responded()]}, "injectables_improve", True),
        ({"neurologist": (False, "not confirmed")}, "neurologist_diagnosis", False),
        ({"sketch_days_recorded": 19}, "sketch_matching", None),
    ],
)
def test_pains_each_criterion(over, code, met):
    got = all_met(**over)
    criterion = next(c for c in got.criteria if c.code == code)
    assert criterion.met is met
    assert criterion.detail
    assert got.candidate is {False: False, None: None, True: True}[met]


def test_sketch_matches_at_half_the_days_and_not_below():
    half = sketch_shares(
        [
            SiteDay(date(2026, 1, 1), True, frozenset({"neck_left"})),
            SiteDay(date(2026, 1, 2), True, frozenset({"forehead_left"})),
        ]
    )
    third = sketch_shares(
        [
            SiteDay(date(2026, 1, 1), True, frozenset({"neck_left"})),
            SiteDay(date(2026, 1, 2), True, frozenset({"forehead_left"})),
            SiteDay(date(2026, 1, 3), True, frozenset({"forehead_right"})),
        ]
    )
    assert next(c for c in all_met(sketch=half).criteria if c.code == "sketch_matching").met
    assert not next(c for c in all_met(sketch=third).criteria if c.code == "sketch_matching").met


def test_rhinogenic_is_never_judged_by_injection():
    got = all_met(trigger_site="rhinogenic", pain_point_site="rhinogenic", responses=[])
    crit = next(c for c in got.criteria if c.code == "injectables_improve")
    assert crit.met is None and "endoscopy" in crit.detail


def test_pains_without_a_site_is_unknown():
    got = all_met(trigger_site=None)
    assert got.candidate is None
    assert got.trigger_site is None


# ------------------------------------------------------------------ MHI
def test_mhi_formula():
    assert mhi(10, 6, Fraction(1, 2)) == 30
    with pytest.raises(ValueError):
        mhi(1, 11, 1)


def test_mhi_from_attacks_dedupes_and_scales():
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)
    attacks = [
        Attack(start, start + timedelta(hours=12), "severe"),
        Attack(start, start + timedelta(hours=12), "severe"),  # the same attack, next day
        Attack(start + timedelta(days=3), start + timedelta(days=3, hours=12), "mild"),
    ]
    got = mhi_from_attacks(attacks, days_recorded=14 + 6, period_end=start + timedelta(days=28))
    assert got.attacks_per_period == Fraction(2 * 28, 20)
    assert got.average_severity == (MHI_SEVERITY_SCORES["severe"] + MHI_SEVERITY_SCORES["mild"]) / 2
    assert got.average_duration_days == Fraction(1, 2)
    assert got.value == got.attacks_per_period * got.average_severity * Fraction(1, 2)


def test_mhi_needs_coverage_and_zero_without_attacks():
    end = datetime(2026, 2, 1, tzinfo=UTC)
    assert mhi_from_attacks([], days_recorded=19, period_end=end).value is None
    assert mhi_from_attacks([], days_recorded=20, period_end=end).value == 0


@given(
    n=st.integers(1, 20),
    hours=st.integers(1, 72),
    severity=st.sampled_from(["mild", "moderate", "severe"]),
    recorded=st.integers(20, 28),
)
def test_mhi_properties(n, hours, severity, recorded):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    attacks = [
        Attack(start + timedelta(days=i), start + timedelta(days=i, hours=hours), severity)
        for i in range(n)
    ]
    got = mhi_from_attacks(attacks, days_recorded=recorded, period_end=start + timedelta(days=60))
    assert got.value == Fraction(n * 28, recorded) * MHI_SEVERITY_SCORES[severity] * Fraction(
        hours, 24
    )
    assert got.value > 0


# ------------------------------------------------------------------ after surgery
@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 15), 3, date(2026, 4, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 6, 1), 12, date(2027, 6, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_operation_windows():
    got = operation_windows(date(2026, 1, 15))
    assert got[None] == (date(2025, 12, 18), date(2026, 1, 14))
    assert got[3] == (date(2026, 3, 18), date(2026, 4, 14))
    assert set(got) == {None, 3, 6, 12}
    for start, end in got.values():
        assert (end - start).days == 27


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 36))
def test_add_months_properties(day, months):
    got = add_months(day, months)
    assert (got.year * 12 + got.month) - (day.year * 12 + day.month) == months
    assert got.day <= day.day


# ------------------------------------------------- a follow-up window against the baseline
@pytest.mark.parametrize(
    ("ended", "baseline", "after", "change", "success"),
    [
        (True, Fraction(20), Fraction(10), Fraction(50), True),  # exactly 50% fewer
        (True, Fraction(20), Fraction(1001, 100), Fraction(4995, 100), False),  # 49.95%
        (True, Fraction(20), Fraction(24), Fraction(-20), False),  # worse
        (True, Fraction(0), Fraction(3), None, None),  # no baseline to compare with
        (True, None, Fraction(3), None, None),
        (True, Fraction(20), None, None, None),  # too few days recorded in the window
        (False, Fraction(20), Fraction(2), None, None),  # the window has not ended yet
    ],
)
def test_a_window_after_surgery_against_the_baseline(ended, baseline, after, change, success):
    got = surgery_change(
        ended=ended,
        baseline_headache_days=baseline,
        headache_days=after,
        baseline_mhi=None,
        mhi_value=None,
    )
    assert (got.headache_change, got.success, got.mhi_change) == (change, success, None)


def test_the_mhi_change_is_its_own_percent_fewer():
    got = surgery_change(
        ended=True,
        baseline_headache_days=Fraction(10),
        headache_days=Fraction(8),
        baseline_mhi=Fraction(40),
        mhi_value=Fraction(10),
    )
    assert (got.mhi_change, got.success) == (Fraction(75), False)


@pytest.mark.parametrize(("side", "modifier"), [("both", "50"), ("left", ""), ("right", "")])
def test_a_bilateral_nerve_block_carries_modifier_50(side, modifier):
    assert nerve_block_billing_lines(["64405"], side) == [
        {"code": "64405", "units": 1, "modifier": modifier}
    ]
    assert nerve_block_billing_lines([], side) == []
