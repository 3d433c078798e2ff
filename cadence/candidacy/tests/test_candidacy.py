"""Candidacy through the service: each criterion met, unmet and unknown, and each flag,
built from the record (diary baseline, history, diagnosis, trials, checklist, age)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cadence.candidacy.selectors import candidacy_for
from cadence.candidacy.services import candidacy_decide
from cadence.diary.models import DiaryDay
from cadence.patients.models import Answer, MedicalHistory, PayerProfile, PreventiveTrial
from cadence.patients.selectors import payer_profile_for
from cadence.patients.services import (
    diagnosis_record,
    medical_history_update,
    preventive_trial_add,
)
from cadence.treatments.models import Procedure, ProcedureStatus

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
ALL_NO = {
    name: Answer.NO
    for name in (
        "infection_at_site",
        "hypersensitivity",
        "neuromuscular_disease",
        "aminoglycosides",
        "swallowing_or_breathing_difficulty",
        "pregnant_or_breastfeeding",
    )
}


def criterion(patient, code):
    result = candidacy_for(patient, today=TODAY).result
    return next(c for c in result.criteria if c.code == code)


def flags(patient):
    return {f.code for f in candidacy_for(patient, today=TODAY).result.flags}


def add_trials(clinician, patient, *classes, outcome="ineffective"):
    for index, drug_class in enumerate(classes):
        preventive_trial_add(
            actor=clinician,
            patient=patient,
            drug=f"drug {index}",
            drug_class=drug_class,
            start=date(2024, 1, 1),
            end=date(2024, 6, 1),
            outcome=outcome,
        )


def diary(patient, *, start, days, headache_every=1, migraine_every=1, medicines=()):
    """Diary days with their stored day flags, as the diary service stores them (the
    baseline counts the stored flags; ``medicines`` here are triptans, an overuse class)."""
    DiaryDay.objects.bulk_create(
        DiaryDay(
            patient=patient,
            date=start + timedelta(days=i),
            headache_hours=6,
            is_headache_day=i % headache_every == 0,
            is_migraine_day=i % headache_every == 0 and i % migraine_every == 0,
            acute_medications=list(medicines),
            is_acute_medication_day=bool(medicines),
            is_overuse_class_day=bool(medicines),
        )
        for i in range(days)
    )


@pytest.fixture
def candidate(make_patient, clinician):
    """A patient who meets every criterion from the history."""
    patient = make_patient(date_of_birth=date(1980, 1, 1))
    medical_history_update(
        actor=clinician,
        patient=patient,
        changes={
            "headache_days_per_month": 20,
            "migraine_days_per_month": 12,
            "months_with_pattern": 12,
            **ALL_NO,
        },
    )
    diagnosis_record(
        actor=clinician,
        patient=patient,
        icd10_code="G43.709",
        neurologist="Dr N. Eurologist",
        confirmed_on=date(2025, 5, 1),
    )
    add_trials(clinician, patient, "antiepileptic", "beta_blocker")
    return patient


def test_a_complete_record_is_eligible(candidate):
    result = candidacy_for(candidate, today=TODAY).result
    assert result.eligible is True
    assert all(c.met is True for c in result.criteria)
    assert result.flags == [] and result.alternatives == []


@pytest.mark.parametrize(
    ("changes", "met", "words"),
    [
        ({}, True, "from history"),
        ({"headache_days_per_month": 14}, False, "under the 15 required"),
        ({"migraine_days_per_month": 7}, False, "under the 8 required"),
        ({"months_with_pattern": 3}, False, "not more than 3"),
        ({"months_with_pattern": None}, None, "how many months"),
        (
            {
                "headache_days_per_month": None,
                "migraine_days_per_month": None,
                "months_with_pattern": None,
            },
            None,
            "no baseline diary",
        ),
    ],
)
def test_chronic_migraine_from_the_history(candidate, clinician, changes, met, words):
    if changes:
        medical_history_update(actor=clinician, patient=candidate, changes=changes)
    found = criterion(candidate, "chronic_migraine")
    assert (found.met, words in found.detail) == (met, True), found.detail


def test_the_baseline_diary_wins_over_the_history(candidate):
    # 28 days before today, headache every other day: 14 a month, below 15.
    diary(candidate, start=TODAY - timedelta(days=28), days=28, headache_every=2)
    found = criterion(candidate, "chronic_migraine")
    assert found.met is False and "from diary" in found.detail


def test_the_baseline_is_the_28_days_before_the_first_signed_session(candidate):
    first = TODAY - timedelta(days=100)
    Procedure.objects.create(patient=candidate, performed_on=first, status=ProcedureStatus.SIGNED)
    diary(candidate, start=first - timedelta(days=28), days=28)  # daily headaches before treatment
    diary(candidate, start=first, days=60, headache_every=10)  # few after
    found = criterion(candidate, "chronic_migraine")
    assert found.met is True and "28 headache days" in found.detail and "from diary" in found.detail


def test_a_draft_note_is_not_a_session_the_baseline_stays_provisional(candidate):
    draft = TODAY - timedelta(days=100)
    Procedure.objects.create(patient=candidate, performed_on=draft, status=ProcedureStatus.DRAFT)
    diary(candidate, start=draft - timedelta(days=28), days=28)  # daily headaches before it
    diary(candidate, start=TODAY - timedelta(days=28), days=28, headache_every=2)  # 14 lately
    found = criterion(candidate, "chronic_migraine")
    # The 28 days before today, not before the draft: 14 headache days, below 15.
    assert found.met is False and "from diary" in found.detail


def test_a_sparse_diary_falls_back_to_the_history(candidate):
    diary(candidate, start=TODAY - timedelta(days=28), days=19, headache_every=5)
    found = criterion(candidate, "chronic_migraine")
    assert found.met is True and "from history" in found.detail


@pytest.mark.parametrize(
    ("code", "confirmed", "met"),
    [("G43.719", True, True), ("G43.711", False, False), (None, None, None)],
)
def test_neurologist_diagnosis(make_patient, clinician, code, confirmed, met):
    patient = make_patient()
    if code:
        diagnosis_record(
            actor=clinician,
            patient=patient,
            icd10_code=code,
            confirmed_on=None,
            neurologist="Dr N" if confirmed else "",
            confirmed_by_neurologist=confirmed,
        )
    assert criterion(patient, "neurologist_diagnosis").met is met


@pytest.mark.parametrize(
    ("classes", "outcome", "met"),
    [
        (("antiepileptic", "tricyclic"), "not_tolerated", True),
        (("antiepileptic",), "ineffective", False),
        (("antiepileptic", "antiepileptic"), "ineffective", False),  # one class twice
        (("cgrp_antibody", "gepant"), "ineffective", False),  # not oral classes
        (("antiepileptic", "snri"), "effective", False),
    ],
)
def test_preventive_failures(make_patient, clinician, classes, outcome, met):
    patient = make_patient()
    add_trials(clinician, patient, *classes, outcome=outcome)
    assert criterion(patient, "preventive_failures").met is met


def test_preventive_history_not_taken_is_unknown_and_none_tried_is_unmet(make_patient, clinician):
    patient = make_patient()
    assert criterion(patient, "preventive_failures").met is None
    medical_history_update(
        actor=clinician, patient=patient, changes={"preventive_history_taken": True}
    )
    assert criterion(patient, "preventive_failures").met is False


def test_the_patients_payer_profile_sets_the_number_of_classes(candidate):
    strict = PayerProfile.objects.create(
        name="Strict",
        min_preventive_classes=3,
        min_interval_days=84,
        responder_rule="percent_50",
        review_weeks=24,
    )
    candidate.payer_profile = strict
    candidate.save()
    found = criterion(candidate, "preventive_failures")
    assert found.met is False and "payer requires 3" in found.detail
    assert payer_profile_for(candidate).min_preventive_classes == 3


def test_without_a_profile_the_default_profile_row_applies(make_patient):
    profile = payer_profile_for(make_patient())
    assert (profile.name, profile.min_preventive_classes, profile.min_interval_days) == (
        "Clinic default",
        2,
        84,
    )


@pytest.mark.parametrize(
    ("infection", "hypersensitivity", "met"),
    [
        (Answer.NO, Answer.NO, True),
        (Answer.YES, Answer.NO, False),
        (Answer.NO, Answer.YES, False),
        (Answer.UNKNOWN, Answer.NO, None),
    ],
)
def test_no_contraindication(candidate, clinician, infection, hypersensitivity, met):
    medical_history_update(
        actor=clinician,
        patient=candidate,
        changes={"infection_at_site": infection, "hypersensitivity": hypersensitivity},
    )
    assert criterion(candidate, "no_contraindication").met is met


@pytest.mark.parametrize(
    ("born", "met", "flagged"),
    [(date(2008, 6, 15), True, False), (date(2008, 6, 16), False, True)],  # 18 today / 17
)
def test_adult(candidate, born, met, flagged):
    candidate.date_of_birth = born
    candidate.save()
    assert criterion(candidate, "adult").met is met
    assert ("off_label_age" in flags(candidate)) is flagged


def test_an_age_override_makes_the_minor_eligible_but_keeps_the_flag(
    candidate, clinician, settings
):
    candidate.date_of_birth = timezone.localdate() - timedelta(days=17 * 365)
    candidate.save()
    today = timezone.localdate()
    candidacy_decide(
        actor=clinician,
        patient=candidate,
        decision="botox",
        override_reason="Refractory, discussed with parents",
    )
    result = candidacy_for(candidate, today=today).result
    assert next(c for c in result.criteria if c.code == "adult").met is True
    assert "off_label_age" in {f.code for f in result.flags}


@pytest.mark.parametrize(
    ("field", "flag"),
    [
        ("neuromuscular_disease", "neuromuscular_disorder"),
        ("aminoglycosides", "aminoglycoside"),
        ("swallowing_or_breathing_difficulty", "swallowing_breathing_difficulty"),
        ("pregnant_or_breastfeeding", "pregnancy"),
    ],
)
def test_each_warning_raises_its_flag_without_excluding(candidate, clinician, field, flag):
    medical_history_update(actor=clinician, patient=candidate, changes={field: Answer.YES})
    result = candidacy_for(candidate, today=TODAY).result
    assert flag in {f.code for f in result.flags}
    assert result.eligible is True


def test_unanswered_warnings_are_listed(candidate, clinician):
    medical_history_update(
        actor=clinician, patient=candidate, changes={"pregnant_or_breastfeeding": Answer.UNKNOWN}
    )
    assert "pregnancy" in candidacy_for(candidate, today=TODAY).result.unanswered_screening


def test_medication_overuse_in_the_diary_raises_its_flag(candidate):
    triptan = [{"name": "sumatriptan", "drug_class": "triptan", "relieved": True}]
    diary(candidate, start=TODAY - timedelta(days=84), days=84, medicines=triptan)
    assert "medication_overuse" in flags(candidate)


def test_no_overuse_flag_with_a_clean_diary(candidate):
    diary(candidate, start=TODAY - timedelta(days=84), days=84)
    assert "medication_overuse" not in flags(candidate)
    assert (
        "medication_overuse"
        not in candidacy_for(candidate, today=TODAY).result.unanswered_screening
    )


def test_medical_history_is_created_on_first_save(make_patient, clinician):
    patient = make_patient()
    medical_history_update(actor=clinician, patient=patient, changes={"months_with_pattern": 5})
    assert MedicalHistory.objects.get(patient=patient).months_with_pattern == 5


def test_trials_are_read_only_for_this_patient(candidate, other_patient, clinician):
    add_trials(clinician, other_patient, "snri", "tricyclic", "calcium_channel_blocker")
    assert PreventiveTrial.objects.filter(patient=candidate).count() == 2
    assert "2 distinct failed classes" in criterion(candidate, "preventive_failures").detail
