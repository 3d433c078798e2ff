"""The patients API: create, read (by role), preventive trials."""

from __future__ import annotations

import pytest

from cadence.audit.models import AuditEvent
from cadence.patients.models import Patient, PreventiveTrial

pytestmark = pytest.mark.django_db

NEW_PATIENT = {
    "first_name": "Rosa",
    "last_name": "Lind",
    "date_of_birth": "1979-03-02",
    "sex": "female",
    "email": "rosa@example.com",
    "phone": "(202) 555-0143",
}
TRIAL = {
    "drug": "topiramate",
    "drug_class": "antiepileptic",
    "start": "2024-01-01",
    "end": "2024-05-01",
    "outcome": "ineffective",
}


@pytest.mark.parametrize("role", ["clinician", "nurse", "frontdesk"])
def test_staff_create_a_patient(api_for, users_by_role, role):
    response = api_for(users_by_role[role]).post("/patients", NEW_PATIENT)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] and body["phone"] == "+12025550143" and body["sex"] == "female"
    assert Patient.objects.get(pk=body["id"]).last_name == "Lind"


def test_a_patient_may_not_create_patients(api_for, patient_user):
    assert api_for(patient_user).post("/patients", NEW_PATIENT).status_code == 403


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date_of_birth", "2999-01-01"),
        ("sex", "x"),
        ("email", "not-an-email"),
        ("phone", "123"),
        ("first_name", "  "),
    ],
)
def test_bad_patient_fields_answer_422_naming_the_field(api_for, clinician, field, value):
    response = api_for(clinician).post("/patients", {**NEW_PATIENT, field: value})
    assert response.status_code == 422
    assert field in str(response.json()["detail"])
    assert not Patient.objects.filter(last_name="Lind").exists()


def test_front_desk_gets_demographics_only(api_for, frontdesk, patient):
    body = api_for(frontdesk).get(f"/patients/{patient.pk}").json()
    assert (
        body["first_name"] == "Pat"
        and body["history"] is None
        and body["preventive_trials"] is None
    )


def test_a_clinician_gets_the_clinical_record(api_for, clinician, patient):
    api_for(clinician).post(f"/patients/{patient.pk}/preventive-trials", TRIAL)
    body = api_for(clinician).get(f"/patients/{patient.pk}").json()
    assert body["preventive_trials"][0]["drug"] == "topiramate"
    assert body["history"]["checklist"]["hypersensitivity"] == "unknown"
    assert AuditEvent.objects.filter(action="view", patient_id_ref=patient.pk).exists()


def test_a_patient_reads_only_their_own_record(api_for, patient_user, patient, other_patient):
    client = api_for(patient_user)
    assert client.get(f"/patients/{patient.pk}").status_code == 200
    assert client.get(f"/patients/{other_patient.pk}").status_code == 404


def test_a_missing_patient_is_404(api_for, clinician):
    assert api_for(clinician).get("/patients/999999").status_code == 404


@pytest.mark.parametrize("role", ["clinician", "nurse"])
def test_clinical_staff_add_and_list_preventive_trials(api_for, users_by_role, patient, role):
    client = api_for(users_by_role[role])
    response = client.post(f"/patients/{patient.pk}/preventive-trials", TRIAL)
    assert response.status_code == 201
    assert response.json()["outcome"] == "ineffective"
    listed = client.get(f"/patients/{patient.pk}/preventive-trials").json()
    assert [t["drug"] for t in listed] == ["topiramate"]


@pytest.mark.parametrize("role", ["frontdesk", "admin", "patient"])
def test_others_may_not_touch_preventive_trials(api_for, users_by_role, patient, role):
    client = api_for(users_by_role[role])
    assert client.post(f"/patients/{patient.pk}/preventive-trials", TRIAL).status_code == 403
    assert client.get(f"/patients/{patient.pk}/preventive-trials").status_code == 403


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": "2023-01-01"}, "end"),
        ({"start": "2999-01-01", "end": None}, "start"),
        ({"drug_class": "opioid"}, "drug_class"),
        ({"outcome": "great"}, "outcome"),
    ],
)
def test_bad_trials_are_refused(api_for, clinician, patient, changes, field):
    response = api_for(clinician).post(
        f"/patients/{patient.pk}/preventive-trials", {**TRIAL, **changes}
    )
    assert response.status_code == 422 and field in str(response.json()["detail"])
    assert not PreventiveTrial.objects.exists()
