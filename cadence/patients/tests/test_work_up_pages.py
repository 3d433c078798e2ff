"""The work-up forms: diagnosis, preventive trial, history."""

from __future__ import annotations

import pytest

from cadence.patients.models import Diagnosis, PreventiveTrial

pytestmark = pytest.mark.django_db


def test_a_clinician_works_up_a_patient_through_the_pages(client, clinician, patient):
    client.force_login(clinician)
    base = f"/patients/{patient.pk}"
    client.post(
        f"{base}/diagnoses/new/",
        {
            "icd10_code": "G43.719",
            "confirmed_by_neurologist": "on",
            "neurologist": "Dr Ames",
            "confirmed_on": "2025-01-02",
        },
    )
    client.post(
        f"{base}/preventive-trials/new/",
        {
            "drug": "propranolol",
            "drug_class": "beta_blocker",
            "start": "2024-01-01",
            "end": "2024-04-01",
            "outcome": "ineffective",
        },
    )
    client.post(
        f"{base}/history/",
        {
            "headache_days_per_month": 22,
            "migraine_days_per_month": 10,
            "months_with_pattern": 9,
            **{
                n: "no"
                for n in (
                    "infection_at_site",
                    "hypersensitivity",
                    "neuromuscular_disease",
                    "aminoglycosides",
                    "swallowing_or_breathing_difficulty",
                    "pregnant_or_breastfeeding",
                )
            },
        },
    )
    assert Diagnosis.objects.get(patient=patient).neurologist == "Dr Ames"
    assert PreventiveTrial.objects.get(patient=patient).drug == "propranolol"
    page = client.get(f"{base}/candidacy/").content.decode()
    assert "Not a candidate yet" in page
    assert "1 distinct failed class (beta_blocker); payer requires 2" in page
    assert "Alternatives to discuss" in page


def test_a_bad_trial_shows_its_message(client, nurse, patient):
    client.force_login(nurse)
    response = client.post(
        f"/patients/{patient.pk}/preventive-trials/new/",
        {
            "drug": "topiramate",
            "drug_class": "antiepileptic",
            "start": "2024-05-01",
            "end": "2024-01-01",
            "outcome": "ineffective",
        },
    )
    assert "before the start date" in response.content.decode()
    assert not PreventiveTrial.objects.exists()
