"""Candidacy: the five criteria (met / unmet / unknown), the flags and the alternatives."""

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadence.rules.candidacy import (
    ICD10_CHRONIC_MIGRAINE_CODES,
    ORAL_PREVENTIVE_CLASSES,
    CandidacyDecision,
    CandidacyFacts,
    ChronicSource,
    Contraindications,
    PreventiveClass,
    PreventiveTrial,
    TrialOutcome,
    Warnings,
    alternatives_for,
    evaluate_candidacy,
    normalise_icd10,
)
from cadence.rules.payer import DEFAULT_PAYER_PROFILE, PayerProfile

TOPIRAMATE = PreventiveTrial("topiramate", "antiepileptic", "ineffective", months=3)
PROPRANOLOL = PreventiveTrial("propranolol", "beta_blocker", "not_tolerated")
AMITRIPTYLINE = PreventiveTrial("amitriptyline", "tricyclic", "contraindicated")

CANDIDATE = CandidacyFacts(
    age=42,
    headache_days_per_month=20,
    migraine_days_per_month=12,
    months_with_chronic_pattern=6,
    chronic_source=ChronicSource.diary,
    neurologist_confirmed=True,
    icd10_code="G43.709",
    preventive_trials=[TOPIRAMATE, PROPRANOLOL],
    contraindications=Contraindications(infection_at_site=False, hypersensitivity=False),
    warnings=Warnings(
        neuromuscular_disease=False,
        aminoglycosides=False,
        swallowing_or_breathing_difficulty=False,
        pregnant_or_breastfeeding=False,
    ),
    medication_overuse=False,
)


def criterion(result, code):
    (found,) = [c for c in result.criteria if c.code == code]
    return found


def test_enums_match_the_contract():
    assert [c.value for c in PreventiveClass] == [
        "antiepileptic", "beta_blocker", "tricyclic", "snri", "arb_ace_inhibitor",
        "calcium_channel_blocker", "cgrp_antibody", "gepant", "other",
    ]  # fmt: skip
    assert sorted(ORAL_PREVENTIVE_CLASSES) == sorted(list(PreventiveClass)[:6])
    assert [o.value for o in TrialOutcome] == [
        "ineffective", "not_tolerated", "contraindicated", "effective", "ongoing",
    ]  # fmt: skip
    assert [d.value for d in CandidacyDecision] == ["botox", "surgery_evaluation", "both", "other"]
    assert set(ICD10_CHRONIC_MIGRAINE_CODES) == {
        "G43.709", "G43.719", "G43.701", "G43.711",
        "G43.E01", "G43.E09", "G43.E11", "G43.E19",
    }  # fmt: skip


def test_a_complete_candidate_is_eligible_with_no_flags_or_alternatives():
    result = evaluate_candidacy(CANDIDATE, DEFAULT_PAYER_PROFILE)
    assert result.eligible is True
    assert [c.code for c in result.criteria] == [
        "chronic_migraine", "neurologist_diagnosis", "preventive_failures",
        "no_contraindication", "adult",
    ]  # fmt: skip
    assert all(c.met is True and c.detail for c in result.criteria)
    assert result.flags == [] and result.alternatives == [] and result.unanswered_screening == []


@pytest.mark.parametrize(
    ("changes", "met", "detail"),
    [
        ({}, True, "20 headache days a month (12 with migraine features) for 6 months (from diary)"),
        ({"chronic_source": ChronicSource.history}, True, "(from history)"),
        ({"headache_days_per_month": 15, "migraine_days_per_month": 8, "months_with_chronic_pattern": 4}, True,
         "meets ICHD-3 chronic migraine"),
        ({"headache_days_per_month": 14}, False, "14 headache days a month, 1 under the 15 required"),
        ({"migraine_days_per_month": 7}, False, "7 migraine days a month, 1 under the 8 required"),
        ({"months_with_chronic_pattern": 3}, False, "pattern for 3 months, not more than 3"),
        ({"headache_days_per_month": 14.5, "months_with_chronic_pattern": None}, False, "0.5 under the 15"),
        ({"headache_days_per_month": None, "migraine_days_per_month": None,
          "months_with_chronic_pattern": None, "chronic_source": None}, None,
         "unknown: no baseline diary and no headache-day history recorded"),
        ({"months_with_chronic_pattern": None}, None,
         "unknown: how many months the pattern has lasted not recorded"),
        ({"migraine_days_per_month": None}, None, "unknown: migraine days a month not recorded"),
        ({"headache_days_per_month": 15, "migraine_days_per_month": 23, "months_with_chronic_pattern": 4}, True,
         "15 headache days a month (23 with migraine features) for 4 months"),
        ({"headache_days_per_month": 14, "migraine_days_per_month": 22}, False, "14 headache days a month"),
        ({"headache_days_per_month": -1}, None, "cannot be negative"),
    ],
    ids=["met", "history", "boundary-met", "14-days", "7-migraine", "3-months", "unmet-beats-unknown",
         "nothing", "no-months", "no-migraine-days", "aura-days-more-migraine-than-headache",
         "more-migraine-days-still-needs-15-headache-days", "negative"],
)  # fmt: skip
def test_chronic_migraine(changes, met, detail):
    c = criterion(
        evaluate_candidacy(replace(CANDIDATE, **changes), DEFAULT_PAYER_PROFILE), "chronic_migraine"
    )
    assert c.met is met
    assert detail in c.detail


@pytest.mark.parametrize(
    ("confirmed", "code", "met", "detail"),
    [
        (True, "G43.709", True, "confirmed by a neurologist: G43.709 Chronic migraine without aura"),
        (True, "g43719", True, "G43.719"),
        (True, " G43.711 ", True, "intractable, with status migrainosus"),
        (False, "G43.709", False, "not confirmed by a neurologist"),
        (True, "G43.909", False, "ICD-10 code G43.909 is not a chronic-migraine code"),
        (None, "G43.709", None, "unknown: not recorded whether a neurologist confirmed"),
        (True, None, None, "unknown: neurologist-confirmed but no ICD-10 code recorded"),
        (True, "  ", None, "no ICD-10 code recorded"),
        (None, "G44.2", False, "not a chronic-migraine code"),
        (True, "G43.E09", True, "G43.E09 Chronic migraine with aura, not intractable, without status"),
        (True, "g43e19", True, "G43.E19 Chronic migraine with aura, intractable"),
        (True, "G43.E01", True, "with aura, not intractable, with status migrainosus"),
        (True, "G43.E11", True, "with aura, intractable, with status migrainosus"),
        (True, "G43.E29", False, "not a chronic-migraine code"),
    ],
    ids=["met", "no-dot-lowercase", "spaces", "not-confirmed", "episodic-code", "confirmation-unknown",
         "code-missing", "code-blank", "wrong-code-beats-unknown", "aura-E09", "aura-no-dot-lowercase",
         "aura-E01", "aura-E11", "not-an-aura-code"],
)  # fmt: skip
def test_neurologist_diagnosis(confirmed, code, met, detail):
    facts = replace(CANDIDATE, neurologist_confirmed=confirmed, icd10_code=code)
    c = criterion(evaluate_candidacy(facts, DEFAULT_PAYER_PROFILE), "neurologist_diagnosis")
    assert c.met is met
    assert detail in c.detail


@pytest.mark.parametrize(
    ("trials", "profile", "met", "detail"),
    [
        ([TOPIRAMATE, PROPRANOLOL], DEFAULT_PAYER_PROFILE, True,
         "2 distinct failed classes (antiepileptic, beta_blocker); payer requires 2"),
        ([TOPIRAMATE, PROPRANOLOL], PayerProfile("Strict", min_preventive_classes=3), False,
         "2 distinct failed classes (antiepileptic, beta_blocker); payer requires 3"),
        ([TOPIRAMATE, PROPRANOLOL, AMITRIPTYLINE], PayerProfile("Strict", min_preventive_classes=3), True,
         "3 distinct failed classes (antiepileptic, beta_blocker, tricyclic); payer requires 3"),
        ([TOPIRAMATE, PreventiveTrial("valproate", "antiepileptic", "not_tolerated")], DEFAULT_PAYER_PROFILE,
         False, "1 distinct failed class (antiepileptic); payer requires 2"),
        ([TOPIRAMATE, PreventiveTrial("erenumab", "cgrp_antibody", "ineffective", months=6)],
         DEFAULT_PAYER_PROFILE, False, "erenumab (cgrp_antibody) is not an oral class the payer counts"),
        ([TOPIRAMATE, PreventiveTrial("propranolol", "beta_blocker", "effective")], DEFAULT_PAYER_PROFILE,
         False, "1 distinct failed class"),
        ([TOPIRAMATE, PreventiveTrial("candesartan", "arb_ace_inhibitor", "ongoing")], DEFAULT_PAYER_PROFILE,
         False, "1 distinct failed class"),
        ([TOPIRAMATE, PreventiveTrial("venlafaxine", "snri", "ineffective", months=1)], DEFAULT_PAYER_PROFILE,
         False, "venlafaxine stopped before an adequate 8-week trial"),
        ([TOPIRAMATE, PreventiveTrial("verapamil", "calcium_channel_blocker", "ineffective",
                                      start=date(2026, 1, 31), end=date(2026, 3, 31))],
         DEFAULT_PAYER_PROFILE, True, "(antiepileptic, calcium_channel_blocker)"),
        ([TOPIRAMATE, PreventiveTrial("verapamil", "calcium_channel_blocker", "ineffective",
                                      start=date(2026, 1, 31), end=date(2026, 3, 27))],
         DEFAULT_PAYER_PROFILE, False, "verapamil stopped before an adequate 8-week trial"),
        ([TOPIRAMATE, PreventiveTrial("verapamil", "calcium_channel_blocker", "ineffective",
                                      start=date(2026, 1, 1))],
         DEFAULT_PAYER_PROFILE, None, "trial length not recorded for calcium_channel_blocker"),
        ([PreventiveTrial("verapamil", "calcium_channel_blocker", "ineffective")], DEFAULT_PAYER_PROFILE,
         False, "0 distinct failed classes; payer requires 2; trial length not recorded"),
        ([], DEFAULT_PAYER_PROFILE, False, "0 distinct failed classes; payer requires 2"),
        (None, DEFAULT_PAYER_PROFILE, None, "unknown: no preventive history recorded; payer requires 2"),
    ],
    ids=["two-classes", "payer-wants-3", "three-classes", "same-class-twice", "cgrp-not-counted",
         "effective", "ongoing", "too-short", "two-calendar-months", "a-day-short", "length-unknown",
         "unknown-but-not-enough", "none-tried", "history-missing"],
)  # fmt: skip
def test_preventive_failures(trials, profile, met, detail):
    c = criterion(
        evaluate_candidacy(replace(CANDIDATE, preventive_trials=trials), profile),
        "preventive_failures",
    )
    assert c.met is met
    assert detail in c.detail


@pytest.mark.parametrize(
    ("infection", "hypersensitivity", "met", "detail"),
    [
        (False, False, True, "no infection at the injection sites and no known hypersensitivity"),
        (True, False, False, "contraindicated: infection at a proposed injection site"),
        (False, True, False, "known hypersensitivity to a botulinum toxin or excipient"),
        (True, None, False, "infection"),
        (None, False, None, "unknown: not recorded: infection at an injection site"),
        (None, None, None, "infection at an injection site, hypersensitivity"),
    ],
    ids=[
        "none",
        "infection",
        "hypersensitivity",
        "infection-beats-unknown",
        "infection-unknown",
        "both-unknown",
    ],
)
def test_no_contraindication(infection, hypersensitivity, met, detail):
    facts = replace(CANDIDATE, contraindications=Contraindications(infection, hypersensitivity))
    c = criterion(evaluate_candidacy(facts, DEFAULT_PAYER_PROFILE), "no_contraindication")
    assert c.met is met
    assert detail in c.detail


@pytest.mark.parametrize(
    ("age", "override", "met", "eligible", "detail", "flag"),
    [
        (18, None, True, True, "18 years: adult (18+)", None),
        (80, None, True, True, "80 years", None),
        (17, None, False, False, "17 years: under 18, off-label; needs a clinician override", "no override recorded"),
        (17, "  ", False, False, "needs a clinician override", "no override recorded"),
        (16, "refractory, paediatric neurology agrees", True, True,
         "clinician override: refractory, paediatric neurology agrees", "override: refractory"),
        (None, None, None, None, "unknown: no age or date of birth recorded", None),
        (-2, None, None, None, "age -2 is not valid", None),
    ],
    ids=["18", "80", "17", "17-blank-override", "16-override", "unknown", "invalid"],
)  # fmt: skip
def test_adult_and_off_label_age(age, override, met, eligible, detail, flag):
    result = evaluate_candidacy(
        replace(CANDIDATE, age=age), DEFAULT_PAYER_PROFILE, age_override_reason=override
    )
    c = criterion(result, "adult")
    assert (c.met, result.eligible) == (met, eligible)
    assert detail in c.detail
    flags = [f for f in result.flags if f.code == "off_label_age"]
    if flag is None:
        assert flags == []
    else:
        assert len(flags) == 1 and flag in flags[0].detail


@pytest.mark.parametrize(
    ("changes", "code", "detail"),
    [
        ({"medication_overuse": True}, "medication_overuse", "does not exclude"),
        ({"warnings": Warnings(neuromuscular_disease=True, aminoglycosides=False,
                               swallowing_or_breathing_difficulty=False, pregnant_or_breastfeeding=False)},
         "neuromuscular_disorder", "myasthenia gravis"),
        ({"warnings": Warnings(neuromuscular_disease=False, aminoglycosides=True,
                               swallowing_or_breathing_difficulty=False, pregnant_or_breastfeeding=False)},
         "aminoglycoside", "neuromuscular transmission"),
        ({"warnings": Warnings(neuromuscular_disease=False, aminoglycosides=False,
                               swallowing_or_breathing_difficulty=True, pregnant_or_breastfeeding=False)},
         "swallowing_breathing_difficulty", "swallowing or breathing"),
        ({"warnings": Warnings(neuromuscular_disease=False, aminoglycosides=False,
                               swallowing_or_breathing_difficulty=False, pregnant_or_breastfeeding=True)},
         "pregnancy", "insufficient data"),
        ({"age": 15}, "off_label_age", "off-label"),
    ],
    ids=["medication-overuse", "neuromuscular", "aminoglycoside", "swallowing", "pregnancy", "age"],
)  # fmt: skip
def test_each_flag(changes, code, detail):
    result = evaluate_candidacy(replace(CANDIDATE, **changes), DEFAULT_PAYER_PROFILE)
    assert [f.code for f in result.flags] == [code]
    assert detail in result.flags[0].detail
    if code != "off_label_age":
        assert result.eligible is True  # warnings flag, they never exclude


def test_unanswered_screening_is_listed_not_flagged():
    facts = replace(CANDIDATE, warnings=Warnings(), medication_overuse=None)
    result = evaluate_candidacy(facts, DEFAULT_PAYER_PROFILE)
    assert result.flags == []
    assert result.unanswered_screening == [
        "medication_overuse", "neuromuscular_disorder", "aminoglycoside",
        "swallowing_breathing_difficulty", "pregnancy",
    ]  # fmt: skip
    assert result.eligible is True


@pytest.mark.parametrize(
    ("changes", "eligible"),
    [
        ({}, True),
        ({"neurologist_confirmed": None}, None),
        (
            {
                "neurologist_confirmed": None,
                "headache_days_per_month": 10,
                "migraine_days_per_month": 5,
            },
            False,
        ),
        ({"contraindications": Contraindications(True, False)}, False),
        ({"preventive_trials": None, "age": None}, None),
    ],
    ids=["all-met", "one-unknown", "false-beats-unknown", "contraindicated", "two-unknown"],
)
def test_eligibility_combines_the_criteria(changes, eligible):
    result = evaluate_candidacy(replace(CANDIDATE, **changes), DEFAULT_PAYER_PROFILE)
    assert result.eligible is eligible
    assert bool(result.alternatives) is (eligible is not True)


def test_alternatives_are_section_1s_list_and_note_what_was_tried():
    erenumab = PreventiveTrial("erenumab", "cgrp_antibody", "ineffective", months=6)
    result = evaluate_candidacy(
        replace(CANDIDATE, preventive_trials=[erenumab]), DEFAULT_PAYER_PROFILE
    )
    assert result.eligible is False
    codes = [a.code for a in result.alternatives]
    assert codes == ["cgrp_antibody", "gepant", "cefaly", "spg_block", "act_mindfulness",
                     "migraine_surgery_evaluation"]  # fmt: skip
    cgrp = result.alternatives[0]
    for name in (
        "erenumab (Aimovig)",
        "fremanezumab (Ajovy)",
        "galcanezumab (Emgality)",
        "eptinezumab (Vyepti)",
    ):
        assert name in cgrp.detail
    assert "already tried: erenumab (ineffective)" in cgrp.detail
    assert "atogepant, rimegepant" in result.alternatives[1].detail
    assert "Cefaly" in result.alternatives[2].label
    assert alternatives_for(None)[0].detail.endswith("eptinezumab (Vyepti)")


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [("G43.709", "G43.709"), ("g43709", "G43.709"), (" G43.7 ", "G43.7"), ("G43", "G43")],
)
def test_normalise_icd10(raw, normalised):
    assert normalise_icd10(raw) == normalised


def test_trial_enums_are_coerced_and_validated():
    trial = PreventiveTrial("topiramate", "antiepileptic", "ineffective")
    assert (
        trial.drug_class is PreventiveClass.antiepileptic
        and trial.outcome is TrialOutcome.ineffective
    )
    with pytest.raises(ValueError):
        PreventiveTrial("x", "statin", "ineffective")


BOOL3 = st.sampled_from([True, False, None])


@settings(max_examples=300, deadline=None)
@given(
    age=st.one_of(st.none(), st.integers(min_value=0, max_value=100)),
    hd=st.one_of(st.none(), st.integers(min_value=0, max_value=31)),
    md=st.one_of(st.none(), st.integers(min_value=0, max_value=31)),
    months=st.one_of(st.none(), st.integers(min_value=0, max_value=24)),
    confirmed=BOOL3,
    code=st.sampled_from([None, "G43.709", "G43.909"]),
    trials=st.one_of(
        st.none(),
        st.lists(
            st.builds(PreventiveTrial, st.just("drug"), st.sampled_from(list(PreventiveClass)),
                      st.sampled_from(list(TrialOutcome)), st.sampled_from([None, 1, 2, 6])),
            max_size=5,
        ),
    ),
    infection=BOOL3,
    hyper=BOOL3,
)  # fmt: skip
def test_eligible_is_true_only_when_every_criterion_is_met(
    age, hd, md, months, confirmed, code, trials, infection, hyper
):
    facts = CandidacyFacts(
        age=age,
        headache_days_per_month=hd,
        migraine_days_per_month=md,
        months_with_chronic_pattern=months,
        neurologist_confirmed=confirmed,
        icd10_code=code,
        preventive_trials=trials,
        contraindications=Contraindications(infection, hyper),
    )
    result = evaluate_candidacy(facts, DEFAULT_PAYER_PROFILE)
    mets = [c.met for c in result.criteria]
    assert len(mets) == 5 and all(c.detail for c in result.criteria)
    assert result.eligible is (False if False in mets else None if None in mets else True)
    if result.eligible is True:
        assert age >= 18 and hd >= 15 and md >= 8 and months > 3
        assert confirmed is True and infection is False and hyper is False
    else:
        assert result.alternatives
