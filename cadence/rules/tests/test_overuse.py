"""Medication overuse (ICHD-3 8.2): the per-day flags, the 3-period flag and the same
answer from counts. No Django."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadence.rules.diary import (
    OVERUSE_COLUMNS,
    AcuteDrugClass,
    AcuteMedicationTaken,
    DiaryDayFacts,
    PeakSeverity,
)
from cadence.rules.outcomes import RecordedDay, recorded_day
from cadence.rules.overuse import (
    OVERUSE_MIX_MIN_CLASSES,
    OVERUSE_PERIODS,
    OVERUSE_SIMPLE_ANALGESIC_DAYS,
    OVERUSE_SPECIFIC_DAYS,
    OveruseCounts,
    OveruseDayFlags,
    medication_overuse,
    overuse_day_flags,
    overuse_from_counts,
    overuse_windows,
)
from cadence.rules.tests.recorded import rec

C = AcuteDrugClass
AS_OF = date(2025, 6, 30)


def test_constants_quote_the_reference() -> None:
    assert (OVERUSE_SPECIFIC_DAYS, OVERUSE_SIMPLE_ANALGESIC_DAYS) == (10, 15)
    assert (OVERUSE_PERIODS, OVERUSE_MIX_MIN_CLASSES) == (3, 2)


# --- one diary day -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("classes", "overuse", "simple"),
    [
        ((), False, False),
        ((C.triptan,), True, False),
        ((C.ergot,), True, False),
        ((C.opioid,), True, False),
        ((C.combination_analgesic,), True, False),
        ((C.simple_analgesic,), False, True),
        ((C.gepant,), False, False),
        ((C.antiemetic,), False, False),
        ((C.other,), False, False),
        ((C.simple_analgesic, C.gepant), False, True),  # gepants are not an overuse class
        ((C.triptan, C.gepant), True, False),
        ((C.simple_analgesic, C.opioid), True, True),  # a mix of acute classes
        ((C.simple_analgesic, C.simple_analgesic), False, True),  # one class twice: no mix
        ((C.simple_analgesic, C.antiemetic), False, True),  # adjuncts make no mix
    ],
)
def test_it_flags_a_day_by_its_drug_classes(classes, overuse, simple):
    flags = overuse_day_flags(classes)
    assert (flags.is_overuse_class_day, flags.is_simple_analgesic_day) == (overuse, simple)


@pytest.mark.parametrize(
    ("classes", "overuse", "simple"),
    [
        pytest.param(["homeopathy"], False, False, id="unknown-alone"),
        pytest.param(["nonsense", "other"], False, False, id="unknown-and-other"),
        pytest.param(["homeopathy", "simple_analgesic"], False, True, id="unknown-makes-no-mix"),
        pytest.param(["homeopathy", "triptan"], True, False, id="unknown-beside-a-triptan"),
        pytest.param(["other", "gepant"], False, False, id="other-makes-no-mix"),
        pytest.param(["triptan", "triptan"], True, False, id="one-class-twice"),
        pytest.param(["triptan", "ergot"], True, False, id="mix-of-specific-classes"),
        pytest.param(["simple_analgesic", "opioid"], True, True, id="mix-with-simple"),
    ],
)
def test_an_unknown_or_other_class_is_shown_but_never_counted(classes, overuse, simple) -> None:
    """Decision (issue 14): an unknown class is ignored like ``other``, never an error."""
    assert overuse_day_flags(classes) == OveruseDayFlags(overuse, simple)


def test_the_flags_are_the_stored_overuse_columns() -> None:
    assert tuple(f.name for f in dataclasses.fields(OveruseDayFlags)) == OVERUSE_COLUMNS


def test_an_unknown_class_counts_as_no_medicine_in_medication_overuse() -> None:
    unknown_and_simple = {"homeopathy", C.simple_analgesic}
    days = [rec(AS_OF - timedelta(days=i), True, classes=unknown_and_simple) for i in range(84)]
    result = medication_overuse(days, AS_OF)
    assert [p.specific_or_mix_days for p in result.periods] == [0, 0, 0]
    assert [p.simple_analgesic_days for p in result.periods] == [28, 28, 28]
    assert all(p.mix_days == 0 for p in result.periods)


@given(st.lists(st.lists(st.sampled_from(list(C)), max_size=3), min_size=84, max_size=84))
def test_counting_stored_flags_gives_the_same_answer_as_medication_overuse(days_classes):
    """Counting the stored per-day flags per 28 days reproduces medication_overuse."""
    as_of = date(2026, 3, 31)
    start = as_of - timedelta(days=83)
    recorded = []
    flags = []
    for offset, classes in enumerate(days_classes):
        on = start + timedelta(days=offset)
        meds = tuple(AcuteMedicationTaken(name=c.value, drug_class=c) for c in classes)
        recorded.append(recorded_day(on, DiaryDayFacts(headache_hours=0, acute_medications=meds)))
        flags.append(overuse_day_flags(classes))
    expected = medication_overuse(recorded, as_of)
    for index, period in enumerate(expected.periods):
        chunk = flags[index * 28 : (index + 1) * 28]
        assert sum(f.is_overuse_class_day for f in chunk) == period.specific_or_mix_days
        assert sum(f.is_simple_analgesic_day for f in chunk) == period.simple_analgesic_days


# --- three 28-day periods -------------------------------------------------------------------


def overuse_days(per_period: list[tuple[int, frozenset[AcuteDrugClass]]]) -> list[RecordedDay]:
    """For each of the 3 periods ending AS_OF (oldest first): n days with these classes."""
    days = []
    for index, (n, classes) in enumerate(per_period):
        end = AS_OF - timedelta(days=28 * (2 - index))
        start = end - timedelta(days=27)
        days += [
            rec(start + timedelta(days=i), True, classes=classes if i < n else frozenset())
            for i in range(28)
        ]
    return days


TRIP = frozenset({C.triptan})
SIMPLE = frozenset({C.simple_analgesic})
MIX = frozenset({C.simple_analgesic, C.triptan})
GEPANT_MIX = frozenset({C.simple_analgesic, C.gepant})


@pytest.mark.parametrize(
    ("pattern", "flagged"),
    [
        pytest.param([(10, TRIP)] * 3, True, id="triptan-10-days-x3"),
        pytest.param([(9, TRIP)] * 3, False, id="triptan-9-days"),
        pytest.param([(10, TRIP), (10, TRIP), (9, TRIP)], False, id="last-period-short"),
        pytest.param([(9, TRIP), (10, TRIP), (10, TRIP)], False, id="only-2-periods"),
        pytest.param([(10, frozenset({C.ergot}))] * 3, True, id="ergot"),
        pytest.param([(10, frozenset({C.opioid}))] * 3, True, id="opioid"),
        pytest.param([(10, frozenset({C.combination_analgesic}))] * 3, True, id="combination"),
        pytest.param([(10, frozenset({C.gepant}))] * 3, False, id="gepant-alone-not-counted"),
        pytest.param([(15, SIMPLE)] * 3, True, id="simple-15-days"),
        pytest.param([(14, SIMPLE)] * 3, False, id="simple-14-days"),
        pytest.param([(10, MIX)] * 3, True, id="mix-of-classes-10-days"),
        pytest.param([(9, MIX)] * 3, False, id="mix-9-days"),
        pytest.param(
            [(14, frozenset({C.simple_analgesic, C.antiemetic}))] * 3,
            False,
            id="antiemetic-does-not-make-a-mix",
        ),
        pytest.param([(28, frozenset({C.other}))] * 3, False, id="other-only"),
        pytest.param([(14, GEPANT_MIX)] * 3, False, id="gepant-makes-no-mix"),
        pytest.param(
            [(28, frozenset({C.gepant, C.antiemetic}))] * 3, False, id="gepant-antiemetic"
        ),
    ],
)
def test_medication_overuse(
    pattern: list[tuple[int, frozenset[AcuteDrugClass]]], flagged: bool
) -> None:
    result = medication_overuse(overuse_days(pattern), AS_OF)
    assert result.flagged is flagged
    assert len(result.periods) == 3
    assert result.periods[-1].end == AS_OF
    assert result.detail


def test_overuse_mixed_single_and_mix_days_add_up() -> None:
    """5 triptan days + 5 mix days (different days) reach the 10-day threshold."""
    days = []
    for k in range(3):
        end = AS_OF - timedelta(days=28 * k)
        start = end - timedelta(days=27)
        days += [rec(start + timedelta(days=i), True, classes=TRIP) for i in range(5)]
        days += [rec(start + timedelta(days=5 + i), True, classes=MIX) for i in range(5)]
    result = medication_overuse(days, AS_OF)
    assert result.flagged
    assert all(p.specific_or_mix_days == 10 and p.mix_days == 5 for p in result.periods)


def test_overuse_counts_medicine_on_headache_free_days() -> None:
    days = [rec(AS_OF - timedelta(days=i), False, classes=TRIP) for i in range(84)]
    assert medication_overuse(days, AS_OF).flagged


def test_overuse_ignores_days_after_as_of() -> None:
    days = [rec(AS_OF + timedelta(days=i), True, classes=TRIP) for i in range(1, 90)]
    assert not medication_overuse(days, AS_OF).flagged


# --- from counts (SQL aggregates) --------------------------------------------------------

START = date(2025, 1, 1)
facts_strategy = st.builds(
    DiaryDayFacts,
    headache_hours=st.sampled_from([0, 0, 1, 3.5, 4, 6.25, 12, 24]),
    peak_severity=st.sampled_from(list(PeakSeverity)),
    acute_medications=st.lists(
        st.builds(
            AcuteMedicationTaken,
            name=st.just("x"),
            drug_class=st.sampled_from([c.value for c in C]),
            relieved=st.booleans(),
        ),
        max_size=2,
    ).map(tuple),
)


def recorded(diary: dict[int, DiaryDayFacts]) -> list[RecordedDay]:
    return [recorded_day(START + timedelta(days=k), facts) for k, facts in diary.items()]


@settings(max_examples=60, deadline=None)
@given(diary=st.dictionaries(st.integers(0, 100), facts_strategy, max_size=101))
def test_overuse_from_counts_agrees_with_medication_overuse(diary):
    days = recorded(diary)
    as_of = START + timedelta(days=100)
    expected = medication_overuse(days, as_of)
    periods = []
    for start, end in overuse_windows(as_of):
        in_range = [d for d in days if start <= d.on <= end]
        flags = [overuse_day_flags(d.acute_drug_classes) for d in in_range]
        periods.append(
            OveruseCounts(
                start,
                end,
                len(in_range),
                sum(f.is_overuse_class_day for f in flags),
                sum(f.is_simple_analgesic_day for f in flags),
                sum(f.is_overuse_class_day or f.is_simple_analgesic_day for f in flags),
            )
        )
    got = overuse_from_counts(periods, as_of)
    assert got.flagged == expected.flagged
    assert [p.met for p in got.periods] == [p.met for p in expected.periods]
    assert [p.specific_or_mix_days for p in got.periods] == [
        p.specific_or_mix_days for p in expected.periods
    ]


# --- ICHD-3 8.2.6: two or more classes, none alone over its line ----------------------------


def split_days(per_period: list[list[tuple[int, frozenset[AcuteDrugClass]]]]) -> list[RecordedDay]:
    """For each of the 3 periods ending AS_OF: consecutive runs of n days with classes."""
    days = []
    for index, runs in enumerate(per_period):
        end = AS_OF - timedelta(days=28 * (2 - index))
        on = end - timedelta(days=27)
        for n, classes in runs:
            for _ in range(n):
                days.append(rec(on, True, classes=classes))
                on += timedelta(days=1)
    return days


PARA = frozenset({C.simple_analgesic})


@pytest.mark.parametrize(
    ("runs", "flagged", "by_combination"),
    [
        pytest.param([(6, TRIP), (6, PARA)], True, True, id="6-triptan-6-paracetamol"),
        pytest.param([(5, TRIP), (5, PARA)], True, True, id="exactly-10-days-2-classes"),
        pytest.param([(5, TRIP), (4, PARA)], False, False, id="9-days-2-classes"),
        pytest.param([(5, TRIP), (5, TRIP | PARA)], True, False, id="10-specific-days-not-combo"),
        pytest.param([(4, TRIP), (5, TRIP | PARA)], False, False, id="9-days-overlap-counts-once"),
        pytest.param([(9, TRIP), (1, PARA)], True, True, id="9-triptan-1-paracetamol"),
        pytest.param([(14, PARA)], False, False, id="one-class-14-days"),
        pytest.param([(6, TRIP), (6, frozenset({C.gepant}))], False, False, id="gepant-no-class"),
        pytest.param([(6, PARA), (6, frozenset({C.antiemetic}))], False, False, id="antiemetic"),
        pytest.param(
            [(3, frozenset({C.opioid})), (3, frozenset({C.ergot})), (4, PARA)],
            True,
            True,
            id="three-classes-10-days",
        ),
    ],
)
def test_ichd3_8_2_6_combination(runs, flagged, by_combination) -> None:
    result = medication_overuse(split_days([runs] * 3), AS_OF)
    assert result.flagged is flagged
    assert all(p.met_by_combination is by_combination for p in result.periods)
    if by_combination:
        assert "8.2.6" in result.detail


def test_combination_must_be_sustained_for_three_periods() -> None:
    runs = [(6, TRIP), (6, PARA)]
    result = medication_overuse(split_days([runs, runs, [(6, TRIP), (3, PARA)]]), AS_OF)
    assert not result.flagged
    assert [p.met for p in result.periods] == [True, True, False]


def test_8_2_6_from_counts() -> None:
    windows = overuse_windows(AS_OF)
    counts = [OveruseCounts(s, e, 28, 6, 6, 12) for s, e in windows]
    got = overuse_from_counts(counts, AS_OF)
    assert got.flagged and all(p.met_by_combination for p in got.periods)
    assert not overuse_from_counts(
        [OveruseCounts(s, e, 28, 6, 6, 9) for s, e in windows], AS_OF
    ).flagged
    # not counted: the larger count, which never invents a combination
    assert not overuse_from_counts(
        [OveruseCounts(s, e, 28, 6, 6) for s, e in windows], AS_OF
    ).flagged
