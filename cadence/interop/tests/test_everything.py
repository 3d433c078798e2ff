from datetime import date, timedelta
from decimal import Decimal

import pytest

from cadence.audit.models import AuditEvent
from cadence.diary.models import DiaryDay
from cadence.interop.fhir import codes as c
from cadence.interop.tests.helpers import resources_of, response_json, validate_bundle
from cadence.treatments.models import Procedure, ProcedureStatus

pytestmark = pytest.mark.django_db


def everything(client, patient):
    return client.get(f"/fhir/r4/Patient/{patient.pk}/$everything")


@pytest.fixture
def record(patient, clinician):
    first = date(2025, 1, 6)
    for offset in range(-30, 60):
        DiaryDay.objects.create(
            patient=patient,
            date=first + timedelta(days=offset),
            headache_hours=6 if offset % 2 else 0,
            peak_severity="moderate" if offset % 2 else "none",
            unilateral=True,
            nausea=bool(offset % 3),
            is_headache_day=bool(offset % 2),
            acute_medications=[{"name": "sumatriptan", "drug_class": "triptan", "relieved": True}]
            if offset % 5 == 0
            else [],
            notes='=HYPERLINK("x")' if offset == 3 else "",
        )
    Procedure.objects.create(
        patient=patient,
        performed_on=first,
        total_units=Decimal("155"),
        wasted_units=Decimal("45"),
        status=ProcedureStatus.SIGNED,
        clinician=clinician,
    )
    return patient


def test_it_exports_a_valid_bundle_for_a_clinician(api_for, clinician, record):
    response = everything(api_for(clinician), record)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    bundle = response_json(response)
    validate_bundle(bundle)
    assert bundle["type"] == "searchset"
    assert len(resources_of(bundle, "Patient")) == 1
    diary = [o for o in resources_of(bundle, "Observation") if o["id"].startswith("diary-")]
    assert len(diary) == 90


def test_it_codes_the_procedure_with_cpt_64615(api_for, clinician, record):
    bundle = response_json(everything(api_for(clinician), record))
    (procedure,) = resources_of(bundle, "Procedure")
    assert procedure["code"]["coding"] == [{"system": c.CPT_SYSTEM, "code": "64615"}]
    (administration,) = resources_of(bundle, "MedicationAdministration")
    assert administration["dosage"]["dose"]["value"] == 155
    assert administration["partOf"] == [
        {"reference": procedure["resourceType"] + "/" + procedure["id"]}
    ]


def test_it_exports_28_day_periods_with_headache_and_migraine_days(api_for, clinician, record):
    bundle = response_json(everything(api_for(clinician), record))
    periods = [o for o in resources_of(bundle, "Observation") if o["id"].startswith("period-")]
    assert periods
    codes = {comp["code"]["coding"][0]["code"] for comp in periods[0]["component"]}
    assert {"headache-days", "migraine-days"} <= codes


def test_it_writes_an_export_audit_entry(api_for, clinician, record):
    everything(api_for(clinician), record)
    assert AuditEvent.objects.filter(
        action="export", patient_id_ref=record.pk, actor=clinician
    ).exists()


def test_front_desk_gets_demographics_and_appointments_only(api_for, frontdesk, record):
    bundle = response_json(everything(api_for(frontdesk), record))
    validate_bundle(bundle)
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} <= {"Patient", "Appointment"}


def test_a_patient_gets_their_own_record(api_for, patient_user, record):
    response = everything(api_for(patient_user), record)
    assert response.status_code == 200


def test_a_patient_cannot_export_another_patient(api_for, other_patient_user, record):
    response = everything(api_for(other_patient_user), record)
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_anonymous_gets_401_operation_outcome(client, record):
    response = everything(client, record)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/fhir+json"
    assert response.json()["resourceType"] == "OperationOutcome"


def test_a_bad_token_gets_401(client, record):
    response = client.get(
        f"/fhir/r4/Patient/{record.pk}/$everything", headers={"Authorization": "Bearer nope"}
    )
    assert response.status_code == 401


def test_the_session_works_too(client, clinician, record):
    client.force_login(clinician)
    assert everything(client, record).status_code == 200


def test_an_unknown_patient_is_404(api_for, clinician):
    response = api_for(clinician).get("/fhir/r4/Patient/999999/$everything")
    assert response.status_code == 404
    assert response.json()["issue"][0]["code"] == "not-found"
