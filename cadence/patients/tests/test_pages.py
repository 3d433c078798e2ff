"""The patient pages: search, record by role, work-up forms, candidacy page and decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.audit.models import AuditEvent
from cadence.patients.models import CandidacyDecision, Diagnosis, PreventiveTrial

pytestmark = pytest.mark.django_db


def test_front_desk_searches_patients_in_few_queries(
    client, frontdesk, make_patient, django_assert_max_num_queries
):
    for index in range(30):
        make_patient(last_name=f"Smith{index:02d}")
    make_patient(last_name="Jones")
    client.force_login(frontdesk)
    with django_assert_max_num_queries(10):
        response = client.get("/patients/", {"q": "smith"})
    page = response.content.decode()
    assert "Page 1 of 2" in page and "Jones" not in page


def test_the_patients_nav_is_for_front_desk_and_admin_only(client, frontdesk, clinician):
    client.force_login(frontdesk)
    assert 'data-nav="patients:patient-list"' in client.get("/staff/requests/").content.decode()
    client.force_login(clinician)
    assert 'data-nav="patients:patient-list"' not in client.get("/staff/requests/").content.decode()


def test_front_desk_sees_demographics_but_not_clinical_data(client, frontdesk, patient, clinician):
    Diagnosis.objects.create(patient=patient, icd10_code="G43.709", neurologist="Dr Secret")
    client.force_login(frontdesk)
    page = client.get(f"/patients/{patient.pk}/record/").content.decode()
    assert "Pat Owner" in page and "Dr Secret" not in page
    assert client.get(f"/patients/{patient.pk}/candidacy/").status_code == 403
    assert client.get(f"/patients/{patient.pk}/history/").status_code == 403
    assert AuditEvent.objects.filter(action="view", patient_id_ref=patient.pk).exists()


def test_front_desk_edits_demographics(client, frontdesk, patient):
    client.force_login(frontdesk)
    response = client.post(
        f"/patients/{patient.pk}/demographics/",
        {
            "first_name": "Pat",
            "last_name": "Owner",
            "date_of_birth": "1985-04-12",
            "sex": "female",
            "email": "pat@example.com",
            "phone": "202 555 0100",
            "referring_clinician": "Dr Gale, Elm St",
        },
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.phone, patient.referring_clinician) == ("+12025550100", "Dr Gale, Elm St")
    assert AuditEvent.objects.filter(action="change", patient_id_ref=patient.pk).exists()


def test_bad_demographics_are_refused(client, frontdesk, patient):
    client.force_login(frontdesk)
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        f"/patients/{patient.pk}/demographics/",
        {
            "first_name": "",
            "last_name": "Owner",
            "date_of_birth": future,
            "sex": "female",
            "phone": "12",
        },
    )
    page = response.content.decode()
    assert "must be in the past" in page and "valid phone" in page
    patient.refresh_from_db()
    assert patient.first_name == "Pat"


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


def test_a_clinician_records_a_decision(client, clinician, patient):
    client.force_login(clinician)
    response = client.post(
        f"/patients/{patient.pk}/candidacy/decision/",
        {"decision": "surgery_evaluation", "note": "Refer to Dr Kahn"},
    )
    assert response.status_code == 302
    decision = CandidacyDecision.objects.get()
    assert (decision.decision, decision.decided_by, decision.eligible_when_decided) == (
        "surgery_evaluation",
        clinician,
        None,
    )
    assert AuditEvent.objects.filter(summary__startswith="Candidacy decision").exists()


def test_a_minor_needs_an_override_reason(client, clinician, make_patient):
    minor = make_patient(date_of_birth=timezone.localdate() - timedelta(days=17 * 365))
    client.force_login(clinician)
    url = f"/patients/{minor.pk}/candidacy/decision/"
    response = client.post(url, {"decision": "botox"})
    assert response.status_code == 422 and "Give the reason" in response.content.decode()
    assert not CandidacyDecision.objects.exists()
    client.post(url, {"decision": "botox", "age_override_reason": "Refractory; parents consent"})
    assert CandidacyDecision.objects.get().age_override_reason == "Refractory; parents consent"


def test_a_nurse_sees_candidacy_but_may_not_decide(client, nurse, patient):
    client.force_login(nurse)
    assert (
        "A clinician records the decision"
        in client.get(f"/patients/{patient.pk}/candidacy/").content.decode()
    )
    assert (
        client.post(
            f"/patients/{patient.pk}/candidacy/decision/", {"decision": "botox"}
        ).status_code
        == 403
    )


def test_a_missing_patient_is_404(client, clinician):
    client.force_login(clinician)
    assert client.get("/patients/99999/record/").status_code == 404
