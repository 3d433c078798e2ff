"""Diary-day classification (clinic-reference.md section 1). Pure Python, no Django."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadence.rules.diary import (
    CLASSIFICATION_COLUMNS,
    DERIVED_COLUMNS,
    DIARY_GAP_DAYS,
    MAX_HOURS,
    MIN_HEADACHE_HOURS,
    OVERUSE_COLUMNS,
    AcuteDrugClass,
    AcuteMedicationTaken,
    DayClassification,
    DiaryDayFacts,
    PeakSeverity,
    classify_day,
    diary_day_problems,
    has_associated_features,
    pain_feature_count,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing() -> None:
    """Shadow the root conftest's Django-only autouse fixture: these tests run with
    ``-p no:django`` (cadence.rules is pure Python) where its ``settings`` is missing."""


T = AcuteDrugClass
S = PeakSeverity


def med(
    drug_class: AcuteDrugClass, relieved: bool = False, name: str = "x"
) -> AcuteMedicationTaken:
    return AcuteMedicationTaken(name=name, drug_class=drug_class, relieved=relieved)


def day(hours: float, severity: PeakSeverity = S.mild, **kw: object) -> DiaryDayFacts:
    return DiaryDayFacts(headache_hours=hours, peak_severity=severity, **kw)  # type: ignore[arg-type]


# (facts, headache, migraine, probable, moderate_severe, acute, triptan, treated)
CASES = [
    pytest.param(day(0, S.none), 0, 0, 0, 0, 0, 0, 0, id="no-headache"),
    pytest.param(day(4), 1, 0, 0, 0, 0, 0, 0, id="exactly-4h-no-features"),
    pytest.param(
        day(3.9, unilateral=True, pulsating=True, nausea=True),
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        id="3.9h-all-features-not-headache-day",
    ),
    pytest.param(
        day(4, unilateral=True, pulsating=True), 1, 1, 1, 0, 0, 0, 0, id="2-pain-features-probable"
    ),
    pytest.param(day(4, unilateral=True), 1, 0, 0, 0, 0, 0, 0, id="one-pain-feature-short"),
    pytest.param(
        day(4, S.moderate, unilateral=True),
        1,
        1,
        1,
        1,
        0,
        0,
        0,
        id="moderate-counts-as-pain-feature",
    ),
    pytest.param(day(6, S.severe), 1, 0, 0, 1, 0, 0, 0, id="severity-only"),
    pytest.param(day(5, nausea=True), 1, 1, 1, 0, 0, 0, 0, id="nausea-alone-probable"),
    pytest.param(day(5, vomiting=True), 1, 1, 1, 0, 0, 0, 0, id="vomiting-alone-probable"),
    pytest.param(
        day(5, photophobia=True), 1, 0, 0, 0, 0, 0, 0, id="photophobia-without-phonophobia"
    ),
    pytest.param(
        day(5, phonophobia=True), 1, 0, 0, 0, 0, 0, 0, id="phonophobia-without-photophobia"
    ),
    pytest.param(
        day(5, photophobia=True, phonophobia=True), 1, 1, 1, 0, 0, 0, 0, id="photo-and-phonophobia"
    ),
    pytest.param(
        day(8, S.severe, pulsating=True, nausea=True),
        1,
        1,
        0,
        1,
        0,
        0,
        0,
        id="both-groups-full-migraine",
    ),
    pytest.param(day(0, S.none, aura=True), 0, 0, 0, 0, 0, 0, 0, id="aura-alone-no-headache"),
    pytest.param(day(2, aura=True), 0, 1, 0, 0, 0, 0, 0, id="aura-with-short-headache"),
    pytest.param(day(6, S.severe, aura=True), 1, 1, 0, 1, 0, 0, 0, id="aura-with-long-headache"),
    pytest.param(
        day(1, acute_medications=(med(T.triptan, True),)),
        1,
        1,
        0,
        0,
        1,
        1,
        1,
        id="relieving-triptan-short-headache",
    ),
    pytest.param(
        day(0, S.none, acute_medications=(med(T.triptan, True),)),
        1,
        1,
        0,
        0,
        1,
        1,
        1,
        id="relieving-triptan-0h-aborted",
    ),
    pytest.param(
        day(2, acute_medications=(med(T.triptan, False),)),
        0,
        0,
        0,
        0,
        1,
        1,
        0,
        id="non-relieving-triptan-short",
    ),
    pytest.param(
        day(5, acute_medications=(med(T.triptan, False),)),
        1,
        0,
        0,
        0,
        1,
        1,
        0,
        id="non-relieving-triptan-long",
    ),
    pytest.param(
        day(2, acute_medications=(med(T.gepant, True),)), 1, 1, 0, 0, 1, 0, 1, id="relieving-gepant"
    ),
    pytest.param(
        day(2, acute_medications=(med(T.ergot, True),)), 1, 1, 0, 0, 1, 0, 1, id="relieving-ergot"
    ),
    pytest.param(
        day(2, acute_medications=(med(T.simple_analgesic, True),)),
        0,
        0,
        0,
        0,
        1,
        0,
        0,
        id="relieving-simple-analgesic-not-treated",
    ),
    pytest.param(
        day(2, acute_medications=(med(T.opioid, True),)),
        0,
        0,
        0,
        0,
        1,
        0,
        0,
        id="relieving-opioid-not-treated",
    ),
    pytest.param(
        day(0, S.none, acute_medications=(med(T.simple_analgesic),)),
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        id="medicine-without-headache-is-none",
    ),
    pytest.param(
        day(5, acute_medications=(med(T.antiemetic),)),
        1,
        0,
        0,
        0,
        1,
        0,
        0,
        id="antiemetic-is-acute-medication",
    ),
    pytest.param(
        day(2, S.severe, unilateral=True, pulsating=True, nausea=True),
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        id="short-severe-not-moderate-severe-day",
    ),
    pytest.param(
        day(24, S.moderate, worse_with_activity=True),
        1,
        1,
        1,
        1,
        0,
        0,
        0,
        id="24h-activity-and-moderate",
    ),
]


@pytest.mark.parametrize(
    ("facts", "headache", "migraine", "probable", "mod_sev", "acute", "triptan", "treated"), CASES
)
def test_classify_day(
    facts: DiaryDayFacts,
    headache: int,
    migraine: int,
    probable: int,
    mod_sev: int,
    acute: int,
    triptan: int,
    treated: int,
) -> None:
    assert classify_day(facts) == DayClassification(
        is_headache_day=bool(headache),
        is_migraine_day=bool(migraine),
        is_probable_migraine_day=bool(probable),
        is_moderate_severe_day=bool(mod_sev),
        is_acute_medication_day=bool(acute),
        is_triptan_day=bool(triptan),
        is_treated_day=bool(treated),
    )


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(day(4), 0, id="none"),
        pytest.param(day(4, S.moderate), 1, id="moderate"),
        pytest.param(
            day(4, S.mild, unilateral=True, pulsating=True, worse_with_activity=True),
            3,
            id="three-mild",
        ),
        pytest.param(
            day(4, S.severe, unilateral=True, pulsating=True, worse_with_activity=True),
            4,
            id="all-four",
        ),
    ],
)
def test_pain_feature_count(facts: DiaryDayFacts, expected: int) -> None:
    assert pain_feature_count(facts) == expected


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        pytest.param({}, False, id="none"),
        pytest.param({"nausea": True}, True, id="nausea"),
        pytest.param({"vomiting": True}, True, id="vomiting"),
        pytest.param({"photophobia": True}, False, id="photo-only"),
        pytest.param({"photophobia": True, "phonophobia": True}, True, id="photo-phono"),
    ],
)
def test_associated_features(kw: dict[str, bool], expected: bool) -> None:
    assert has_associated_features(day(5, **kw)) is expected


def test_constants_quote_the_reference() -> None:
    assert MIN_HEADACHE_HOURS == 4
    assert MAX_HOURS == 24
    assert DIARY_GAP_DAYS == 3  # Cadence default


def test_the_stored_columns_are_the_classification_then_the_overuse_flags() -> None:
    """They name the diary model's columns: renaming one needs a migration."""
    assert CLASSIFICATION_COLUMNS == (
        "is_headache_day",
        "is_migraine_day",
        "is_probable_migraine_day",
        "is_moderate_severe_day",
        "is_acute_medication_day",
        "is_triptan_day",
        "is_treated_day",
    )
    assert OVERUSE_COLUMNS == ("is_overuse_class_day", "is_simple_analgesic_day")
    assert DERIVED_COLUMNS == CLASSIFICATION_COLUMNS + OVERUSE_COLUMNS
    assert len(set(DERIVED_COLUMNS)) == len(DERIVED_COLUMNS) == 9


@pytest.mark.parametrize(
    ("facts", "fields"),
    [
        pytest.param(day(0, S.none), [], id="valid-no-headache"),
        pytest.param(day(5, S.severe), [], id="valid-headache"),
        pytest.param(day(5, S.none), [], id="headache-unrated-allowed"),
        pytest.param(day(24, S.mild), [], id="24h-ok"),
        pytest.param(day(Decimal("4.5"), S.mild), [], id="decimal-hours-ok"),  # type: ignore[arg-type]
        pytest.param(day("4", S.mild), ["headache_hours"], id="string-hours"),  # type: ignore[arg-type]
        pytest.param(day(-1, S.none), ["headache_hours"], id="negative-hours"),
        pytest.param(day(24.5, S.mild), ["headache_hours"], id="over-24"),
        pytest.param(day(math.nan, S.mild), ["headache_hours"], id="nan"),
        pytest.param(day(math.inf, S.mild), ["headache_hours"], id="inf"),
        pytest.param(day(0, S.moderate), ["peak_severity"], id="severity-without-headache"),
        pytest.param(
            day(0, S.moderate, acute_medications=(med(T.triptan, True),)),
            [],
            id="severity-ok-on-treated-0h",
        ),
        pytest.param(day(3, "extreme"), ["peak_severity"], id="unknown-severity"),  # type: ignore[arg-type]
        pytest.param(
            day(3, acute_medications=(med(T.triptan, name=" "),)),
            ["acute_medications[0].name"],
            id="blank-medicine-name",
        ),
        pytest.param(
            day(
                3,
                acute_medications=(
                    med(T.triptan),
                    med("aspirin"),
                ),
            ),  # type: ignore[arg-type]
            ["acute_medications[1].drug_class"],
            id="unknown-drug-class",
        ),
    ],
)
def test_diary_day_problems(facts: DiaryDayFacts, fields: list[str]) -> None:
    problems = diary_day_problems(facts)
    assert [f for f, _ in problems] == fields
    assert all(message for _, message in problems)


def test_no_headache_severity_message() -> None:
    [(field, message)] = diary_day_problems(day(0, S.severe))
    assert field == "peak_severity"
    assert message.startswith("A day with 0 hours of headache can't have a worst pain")


@pytest.mark.parametrize(
    ("facts", "fields"),
    [
        pytest.param(DiaryDayFacts(headache_hours=0, pulsating=True), ["pulsating"], id="feature"),
        pytest.param(
            DiaryDayFacts(headache_hours=0, nausea=True, photophobia=True), ["nausea"], id="two"
        ),
        pytest.param(DiaryDayFacts(headache_hours=0, aura=True), ["aura"], id="aura-no-hours"),
        pytest.param(
            DiaryDayFacts(headache_hours=0, aura_without_headache=True), [], id="aura-alone"
        ),
        pytest.param(
            DiaryDayFacts(headache_hours=2, aura_without_headache=True),
            ["aura_without_headache"],
            id="aura-alone-with-hours",
        ),
        pytest.param(DiaryDayFacts(headache_hours=0.5, aura=True, pulsating=True), [], id="ok"),
        pytest.param(
            DiaryDayFacts(
                headache_hours=0,
                pulsating=True,
                acute_medications=(AcuteMedicationTaken("suma", AcuteDrugClass.triptan, True),),
            ),
            [],
            id="treated-aborted",
        ),
    ],
)
def test_a_day_without_headache_has_no_features_or_aura(
    facts: DiaryDayFacts, fields: list[str]
) -> None:
    assert [f for f, _ in diary_day_problems(facts)] == fields


def test_classify_does_not_raise_on_invalid_hours() -> None:
    assert classify_day(day(math.nan, S.none)) == DayClassification()


# --- properties ----------------------------------------------------------------------

medications = st.builds(
    AcuteMedicationTaken,
    name=st.text(min_size=1, max_size=5),
    drug_class=st.sampled_from(list(AcuteDrugClass)),
    relieved=st.booleans(),
)
facts_strategy = st.builds(
    DiaryDayFacts,
    headache_hours=st.one_of(
        st.sampled_from([0, 3.9, 4, 24]), st.floats(min_value=0, max_value=24)
    ),
    peak_severity=st.sampled_from(list(PeakSeverity)),
    unilateral=st.booleans(),
    pulsating=st.booleans(),
    worse_with_activity=st.booleans(),
    nausea=st.booleans(),
    vomiting=st.booleans(),
    photophobia=st.booleans(),
    phonophobia=st.booleans(),
    aura=st.booleans(),
    acute_medications=st.lists(medications, max_size=3).map(tuple),
)


@given(facts_strategy)
def test_migraine_day_is_headache_treated_or_aura_day(facts: DiaryDayFacts) -> None:
    c = classify_day(facts)
    if c.is_migraine_day:
        assert c.is_headache_day or c.is_treated_day or (facts.aura and facts.headache_hours > 0)
    if c.is_probable_migraine_day:
        assert c.is_migraine_day and c.is_headache_day
    if c.is_moderate_severe_day:
        assert c.is_headache_day
    if c.is_treated_day:
        assert c.is_headache_day and c.is_migraine_day and c.is_acute_medication_day


@given(facts_strategy)
def test_headache_free_day_is_nothing(facts: DiaryDayFacts) -> None:
    no_relief = tuple(
        AcuteMedicationTaken(m.name, m.drug_class, False) for m in facts.acute_medications
    )
    free = DiaryDayFacts(
        headache_hours=0,
        peak_severity=facts.peak_severity,
        unilateral=facts.unilateral,
        nausea=facts.nausea,
        aura=facts.aura,
        acute_medications=no_relief,
    )
    assert classify_day(free) == DayClassification()


@given(facts_strategy)
def test_valid_generated_days_have_no_hour_problems(facts: DiaryDayFacts) -> None:
    fields = [f for f, _ in diary_day_problems(facts)]
    assert "headache_hours" not in fields
