import copy
import json

import pytest
from django.core.management import CommandError, call_command

from cadence.audit.models import AuditEvent
from cadence.interop.fhir import codes as c
from cadence.patients.models import Diagnosis, Patient, PreventiveTrial
from cadence.treatments.models import Procedure

pytestmark = pytest.mark.django_db

FHIR = "application/fhir+json"


def valid_bundle() -> dict:
    subject = {"reference": "urn:uuid:p1"}
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": "urn:uuid:p1",
                "request": {"method": "POST", "url": "Patient"},
                "resource": {
                    "resourceType": "Patient",
                    "name": [{"family": "Referred", "given": ["Robin"]}],
                    "gender": "female",
                    "birthDate": "1979-05-04",
                    "telecom": [{"system": "email", "value": "robin@example.invalid"}],
                },
            },
            {
                "fullUrl": "urn:uuid:c1",
                "request": {"method": "POST", "url": "Condition"},
                "resource": {
                    "resourceType": "Condition",
                    "subject": subject,
                    "verificationStatus": {
                        "coding": [{"system": c.CONDITION_VERIFICATION_SYSTEM, "code": "confirmed"}]
                    },
                    "code": {"coding": [{"system": c.ICD10CM_SYSTEM, "code": "G43.709"}]},
                    "asserter": {"display": "Dr Neuro"},
                    "recordedDate": "2024-02-01",
                },
            },
            {
                "fullUrl": "urn:uuid:m1",
                "request": {"method": "POST", "url": "MedicationStatement"},
                "resource": {
                    "resourceType": "MedicationStatement",
                    "status": "stopped",
                    "subject": subject,
                    "medicationCodeableConcept": {"text": "topiramate"},
                    "extension": [
                        {
                            "url": c.EXT_DRUG_CLASS,
                            "valueCodeableConcept": {
                                "coding": [
                                    {"system": c.PREVENTIVE_DRUG_CLASS_CS, "code": "antiepileptic"}
                                ]
                            },
                        },
                        {
                            "url": c.EXT_PREVENTIVE_OUTCOME,
                            "valueCodeableConcept": {
                                "coding": [
                                    {"system": c.PREVENTIVE_OUTCOME_CS, "code": "ineffective"}
                                ]
                            },
                        },
                    ],
                    "effectivePeriod": {"start": "2023-01-01", "end": "2023-04-01"},
                },
            },
            {
                "fullUrl": "urn:uuid:x1",
                "request": {"method": "POST", "url": "Procedure"},
                "resource": {
                    "resourceType": "Procedure",
                    "status": "completed",
                    "subject": subject,
                    "code": {"coding": [{"system": c.CPT_SYSTEM, "code": "64615"}]},
                    "performedDateTime": "2025-06-01",
                },
            },
            {
                "fullUrl": "urn:uuid:a1",
                "request": {"method": "POST", "url": "MedicationAdministration"},
                "resource": {
                    "resourceType": "MedicationAdministration",
                    "status": "completed",
                    "subject": subject,
                    "medicationCodeableConcept": {"text": "onabotulinumtoxinA"},
                    "partOf": [{"reference": "urn:uuid:x1"}],
                    "effectiveDateTime": "2025-06-01",
                    "dosage": {
                        "dose": {"value": 155, "unit": "U", "system": c.UCUM_SYSTEM, "code": "[U]"}
                    },
                },
            },
        ],
    }


def post(client, bundle, **extra):
    body = bundle if isinstance(bundle, (bytes, str)) else json.dumps(bundle)
    return client.post(
        "/fhir/r4/Bundle", body, content_type=extra.pop("content_type", FHIR), **extra
    )


@pytest.fixture
def clinician_client(client, clinician):
    client.force_login(clinician)
    return client


def nothing_stored():
    return (
        not Patient.objects.filter(last_name="Referred").exists()
        and not Diagnosis.objects.exists()
        and not PreventiveTrial.objects.exists()
        and not Procedure.objects.exists()
    )


def test_it_imports_a_referred_patient(clinician_client):
    response = post(clinician_client, valid_bundle())
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == FHIR
    patient = Patient.objects.get(last_name="Referred")
    assert patient.diagnoses.get().icd10_code == "G43.709"
    assert patient.preventive_trials.get().outcome == "ineffective"
    procedure = patient.procedures.get()
    assert (str(procedure.performed_on), procedure.total_units) == ("2025-06-01", 155)
    assert AuditEvent.objects.filter(action="create", patient_id_ref=patient.pk).count() == 4


def _break(path_fn):
    bundle = valid_bundle()
    path_fn(bundle)
    return bundle


INVALID = {
    "not a bundle": lambda b: b.update(resourceType="Patient"),
    "unknown field": lambda b: b["entry"][0]["resource"].update(colour="blue"),
    "bad date": lambda b: b["entry"][0]["resource"].update(birthDate="1979-13-45"),
    "no patient": lambda b: b["entry"].pop(0),
    "two patients": lambda b: b["entry"].append(copy.deepcopy(b["entry"][0])),
    "future session": lambda b: b["entry"][3]["resource"].update(performedDateTime="2999-01-01"),
    "trial without outcome": lambda b: b["entry"][2]["resource"]["extension"].pop(1),
    "too many units": lambda b: b["entry"][4]["resource"]["dosage"]["dose"].update(value=400),
    "snomed contradicting icd-10": lambda b: (
        b["entry"][1]["resource"]["code"]["coding"].append(
            {"system": c.SNOMED_SYSTEM, "code": c.SNOMED_US_CHRONIC_MIGRAINE}
        )
        or b["entry"][1]["resource"]["code"]["coding"][0].update(code="G43.709")
    ),
    "invalid gender": lambda b: b["entry"][0]["resource"].update(gender="femme"),
    "invalid clinicalStatus": lambda b: b["entry"][1]["resource"].update(
        clinicalStatus={"coding": [{"system": c.CONDITION_CLINICAL_SYSTEM, "code": "Active"}]}
    ),
    "invalid procedure status": lambda b: b["entry"][3]["resource"].update(status="done"),
    "no request in transaction": lambda b: b["entry"][2].pop("request"),
}


@pytest.mark.parametrize("kind", INVALID)
def test_an_invalid_bundle_is_refused_whole(clinician_client, kind):
    response = post(clinician_client, _break(INVALID[kind]))
    assert response.status_code in (400, 422)
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"] and all(issue["diagnostics"] for issue in outcome["issue"])
    assert nothing_stored()


def test_it_names_each_problem(clinician_client):
    bundle = valid_bundle()
    INVALID["future session"](bundle)
    INVALID["invalid gender"](bundle)
    outcome = post(clinician_client, bundle).json()
    where = [issue["expression"][0] for issue in outcome["issue"]]
    assert "Bundle.entry[0].resource.gender" in where
    assert "Bundle.entry[3].resource.performedDateTime" in where


def test_invalid_json_is_400(clinician_client):
    response = post(clinician_client, b"{not json")
    assert response.status_code == 400
    assert nothing_stored()


def test_a_bundle_over_the_size_limit_is_413(clinician_client, settings):
    settings.CADENCE_MAX_UPLOAD_BYTES = 1000
    response = post(clinician_client, valid_bundle())
    assert response.status_code == 413
    assert nothing_stored()


def test_a_non_json_content_type_is_415(clinician_client):
    response = post(clinician_client, json.dumps(valid_bundle()), content_type="text/plain")
    assert response.status_code == 415


@pytest.mark.parametrize("role", ["nurse", "frontdesk", "admin_user", "patient_user"])
def test_only_clinicians_import(api_for, request, role):
    user = request.getfixturevalue(role)
    response = api_for(user).client.post(
        "/fhir/r4/Bundle",
        json.dumps(valid_bundle()),
        content_type=FHIR,
        headers=api_for(user).headers,
    )
    assert response.status_code == 403
    assert nothing_stored()


def test_a_bearer_token_needs_no_csrf_token(api_for, clinician):
    from django.test import Client

    api = api_for(clinician)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/fhir/r4/Bundle", json.dumps(valid_bundle()), content_type=FHIR, headers=api.headers
    )
    assert response.status_code == 200


def test_a_session_post_without_csrf_token_is_refused(clinician):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(clinician)
    response = strict.post("/fhir/r4/Bundle", json.dumps(valid_bundle()), content_type=FHIR)
    assert response.status_code == 403
    assert response.json()["resourceType"] == "OperationOutcome"
    assert nothing_stored()


def test_the_command_imports_a_bundle_file(tmp_path, clinician):
    path = tmp_path / "referral.json"
    path.write_text(json.dumps(valid_bundle()))
    call_command("import_fhir_bundle", str(path))
    assert Patient.objects.filter(last_name="Referred").count() == 1


def test_the_command_refuses_an_invalid_bundle(tmp_path):
    path = tmp_path / "referral.json"
    path.write_text(json.dumps(_break(INVALID["future session"])))
    with pytest.raises(CommandError, match="performedDateTime"):
        call_command("import_fhir_bundle", str(path))
    assert nothing_stored()
