"""Issue 16: migraine days above headache days (aura days with short headaches) are not a
record error, and chronic migraine with aura (G43.E0x/G43.E1x) is a chronic-migraine
diagnosis: recordable through the API and accepted by candidacy."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def criteria(api, patient) -> dict:
    body = api.get(f"/patients/{patient.pk}/candidacy").json()
    return {c["code"]: c for c in body["criteria"]}


def test_15_headache_days_and_8_aura_days_meet_ichd3_chronic_migraine(api_for, clinician, patient):
    api = api_for(clinician)
    history = api.put(
        f"/patients/{patient.pk}/medical-history",
        {"headache_days_per_month": 15, "migraine_days_per_month": 23, "months_with_pattern": 6},
    )
    assert history.status_code == 200, history.content
    chronic = criteria(api, patient)["chronic_migraine"]
    assert chronic["met"] is True, chronic
    assert "15 headache days a month (23 with migraine features)" in chronic["detail"]


@pytest.mark.parametrize("code", ["G43.E01", "G43.E09", "G43.E11", "G43.E19", "g43e19"])
def test_a_chronic_migraine_with_aura_code_is_recorded_and_accepted(
    api_for, clinician, patient, code
):
    api = api_for(clinician)
    response = api.post(
        f"/patients/{patient.pk}/diagnoses",
        {"icd10_code": code, "confirmed_by_neurologist": True, "neurologist": "Dr Aura"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["icd10_code"] == code.upper().replace("G43E", "G43.E")
    diagnosis = criteria(api, patient)["neurologist_diagnosis"]
    assert diagnosis["met"] is True
    assert "Chronic migraine with aura" in diagnosis["detail"]


def test_an_episodic_aura_code_is_still_refused(api_for, clinician, patient):
    response = api_for(clinician).post(
        f"/patients/{patient.pk}/diagnoses", {"icd10_code": "G43.109", "neurologist": "Dr A"}
    )
    assert response.status_code == 422
    assert "G43.E09" in response.json()["detail"][0]["msg"]
