"""Per-day medication-overuse flags agree with outcomes.medication_overuse."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cadence.rules.diary import AcuteDrugClass, AcuteMedicationTaken, DiaryDayFacts
from cadence.rules.diary_extra import overuse_day_flags
from cadence.rules.outcomes import medication_overuse, recorded_day

C = AcuteDrugClass


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
        ((C.simple_analgesic, C.gepant), True, True),  # a mix of acute classes
        ((C.simple_analgesic, C.simple_analgesic), False, True),  # one class twice: no mix
        ((C.simple_analgesic, C.antiemetic), False, True),  # adjuncts make no mix
    ],
)
def test_it_flags_a_day_by_its_drug_classes(classes, overuse, simple):
    flags = overuse_day_flags(classes)
    assert (flags.is_overuse_class_day, flags.is_simple_analgesic_day) == (overuse, simple)


def test_it_refuses_an_unknown_class():
    with pytest.raises(ValueError):
        overuse_day_flags(["homeopathy"])


@given(st.lists(st.lists(st.sampled_from(list(C)), max_size=3), min_size=84, max_size=84))
def test_counting_stored_flags_gives_the_same_overuse_answer_as_outcomes(days_classes):
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
