"""Exchange with tools nobody here wrote: real public bundles in, valid codes out, the
transaction-response's shape, errors as OperationOutcomes, published definitions."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from ucumvert import get_ucum_parser

from cadence.interop.fhir import codes as c
from cadence.interop.fhir import mappers as m
from cadence.interop.models import CodedHistoryEntry, MedicationHistoryEntry, PatientIdentifier
from cadence.interop.tests.helpers import as_transaction, response_json, validate_bundle
from cadence.interop.tests.test_import import valid_bundle
from cadence.patients.models import Diagnosis, Patient, PreventiveTrial
from cadence.treatments.models import (
    InjectionSite,
    Procedure,
    ProcedureInjection,
    ProcedureStatus,
    ProcedureVial,
    VialLot,
)

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
SYNTHEA = "synthea-birgit-schmeler-chronic-migraine.json"
IPS = "ips-bundle-minimal.json"
FHIR = "application/fhir+json"


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def post(client, bundle, path="/fhir/r4/Bundle"):
    return client.post(path, json.dumps(bundle), content_type=FHIR)


@pytest.fixture
def clinician_client(client, clinician):
    client.force_login(clinician)
    return client


def counts() -> dict:
    return {
        "patients": Patient.objects.count(),
        "diagnoses": Diagnosis.objects.count(),
        "history": CodedHistoryEntry.objects.count(),
        "medications": MedicationHistoryEntry.objects.count(),
        "trials": PreventiveTrial.objects.count(),
        "procedures": Procedure.objects.count(),
        "identifiers": PatientIdentifier.objects.count(),
    }


# ------------------------------------------------------------------ real public bundles
def test_a_synthea_referral_arrives_with_its_migraine_and_medicines(clinician_client):
    bundle = load(SYNTHEA)
    response = post(clinician_client, bundle)
    assert response.status_code == 200, response.content[:2000]
    result = response.json()
    patient = Patient.objects.get(last_name="Schmeler", first_name="Birgit")
    assert patient.date_of_birth == date(1964, 5, 24)
    # SNOMED CT 124171000119105 without an edition: the US edition, G43.719, and noted.
    (diagnosis,) = patient.diagnoses.all()
    assert diagnosis.icd10_code == "G43.719"
    assert not diagnosis.confirmed_by_neurologist  # only Cadence's extension says so
    assert patient.medication_history.count() == 3
    assert {m.outcome for m in patient.medication_history.all()} == {"unknown"}
    assert patient.coded_history.count() == 6
    assert "Viral sinusitis (disorder)" in {h.display for h in patient.coded_history.all()}
    # One response entry per request entry, in order; the skipped ones say why.
    assert result["type"] == "transaction-response"
    assert len(result["entry"]) == len(bundle["entry"])
    for sent, answered in zip(bundle["entry"], result["entry"], strict=True):
        kind = sent["resource"]["resourceType"]
        diagnostics = " ".join(
            i.get("diagnostics", "")
            for i in answered["response"].get("outcome", {}).get("issue", [])
        )
        if kind in ("Encounter", "Observation", "Claim", "Organization", "Procedure"):
            assert f"{kind}/{sent['resource']['id']} not imported" in diagnostics
        if kind == "Patient":
            assert answered["response"]["location"] == f"Patient/{patient.pk}"
            assert "US edition" in diagnostics
    validate_bundle(result)


def test_importing_the_same_bundle_twice_changes_nothing(clinician_client):
    bundle = load(SYNTHEA)
    assert post(clinician_client, bundle).status_code == 200
    before = counts()
    again = post(clinician_client, bundle)
    assert again.status_code == 200
    assert counts() == before
    patient_entry = again.json()["entry"][0]["response"]
    assert patient_entry["status"] == "200 OK"
    assert "matched an existing patient on identifier" in json.dumps(patient_entry)


def test_a_renamed_identifierless_resend_matches_on_name_and_birth_date(clinician_client):
    bundle = load(SYNTHEA)
    assert post(clinician_client, bundle).status_code == 200
    before = counts()
    resend = copy.deepcopy(bundle)
    resend["entry"][0]["resource"].pop("identifier")
    response = post(clinician_client, resend)
    assert counts() == before
    assert "matched an existing patient on name and birth date" in response.content.decode()


def test_the_hl7_ips_document_is_a_referral(clinician_client):
    bundle = load(IPS)
    response = post(clinician_client, bundle)
    assert response.status_code == 200, response.content[:2000]
    patient = Patient.objects.get(last_name="DeLarosa")
    (medicine,) = patient.medication_history.all()
    # The MedicationStatement's medicationReference is resolved to the Bundle's Medication.
    assert "anastrozole" in medicine.name.lower()
    assert (medicine.started_on, medicine.outcome) == (date(2015, 3, 1), "unknown")
    (history,) = patient.coded_history.all()
    assert (history.system, history.code) == (c.SNOMED_SYSTEM, "198436008")
    assert not patient.diagnoses.exists()
    result = response.json()
    assert len(result["entry"]) == len(bundle["entry"])
    first = json.dumps(result["entry"][0])
    assert "Composition" in first and "not imported" in first
    before = counts()
    post(clinician_client, bundle)
    assert counts() == before


def test_an_invalid_required_binding_in_a_real_bundle_is_refused_whole(clinician_client):
    bundle = load(SYNTHEA)
    conditions = [
        i for i, e in enumerate(bundle["entry"]) if e["resource"]["resourceType"] == "Condition"
    ]
    bundle["entry"][conditions[0]]["resource"]["clinicalStatus"]["coding"][0]["code"] = "ongoing"
    response = post(clinician_client, bundle)
    assert response.status_code == 422
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert [i["expression"][0] for i in outcome["issue"]] == [
        f"Bundle.entry[{conditions[0]}].resource.clinicalStatus"
    ]
    assert "ongoing" in outcome["issue"][0]["diagnostics"]
    assert not Patient.objects.filter(last_name="Schmeler").exists()


def test_an_invalid_binding_in_a_skipped_resource_refuses_nothing(clinician_client):
    bundle = load(SYNTHEA)
    (encounter,) = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Encounter"][:1]
    encounter["resource"]["status"] = "not-a-status"
    assert post(clinician_client, bundle).status_code == 200


@pytest.mark.parametrize("bundle_type", ["batch", "collection", "document"])
def test_other_bundle_types_are_accepted(clinician_client, bundle_type):
    bundle = load(SYNTHEA)
    bundle["type"] = bundle_type
    if bundle_type != "batch":
        for entry in bundle["entry"]:
            entry.pop("request", None)
    response = post(clinician_client, bundle)
    assert response.status_code == 200, response.content[:1000]
    expected = "batch-response" if bundle_type == "batch" else "transaction-response"
    assert response.json()["type"] == expected


# ------------------------------------------------------------------ codes out
def _quantities(value):
    if isinstance(value, dict):
        if "value" in value and value.get("system") == c.UCUM_SYSTEM:
            yield value
        for inner in value.values():
            yield from _quantities(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _quantities(inner)


def _codings(value, system):
    if isinstance(value, dict):
        if value.get("system") == system and "code" in value:
            yield value["code"]
        for inner in value.values():
            yield from _codings(inner, system)
    elif isinstance(value, list):
        for inner in value:
            yield from _codings(inner, system)


@pytest.fixture
def treated_patient(make_patient, clinician):
    patient = make_patient(first_name="Lot", last_name="Tracer")
    Diagnosis.objects.create(
        patient=patient,
        icd10_code="G43.719",
        confirmed_by_neurologist=True,
        neurologist="Dr Rowan Vale",
        confirmed_on=date(2025, 1, 10),
    )
    lot_a = VialLot.objects.create(
        lot_number="C1234A5",
        expires_on=date(2027, 5, 31),
        size_units=100,
        quantity_received=10,
        quantity_remaining=8,
    )
    lot_b = VialLot.objects.create(
        lot_number="C9876B1",
        expires_on=date(2027, 8, 31),
        size_units=100,
        quantity_received=10,
        quantity_remaining=9,
    )
    procedure = Procedure.objects.create(
        patient=patient,
        performed_on=date(2025, 6, 2),
        performed_at=datetime(2025, 6, 2, 14, 35, tzinfo=UTC),
        clinician=clinician,
        total_units=Decimal("155"),
        wasted_units=Decimal("45"),
        drawn_units=Decimal("200"),
        status=ProcedureStatus.SIGNED,
    )
    sites = list(InjectionSite.objects.filter(follow_the_pain=False))
    ProcedureInjection.objects.bulk_create(
        [ProcedureInjection(procedure=procedure, site=s, units=s.default_units) for s in sites]
    )
    for lot in (lot_a, lot_b):
        ProcedureVial.objects.create(
            procedure=procedure,
            lot=lot,
            lot_number=lot.lot_number,
            size_units=lot.size_units,
            expires_on=lot.expires_on,
        )
    return patient


def test_every_ucum_code_exported_is_valid_ucum(api_for, clinician, treated_patient):
    exported = response_json(
        api_for(clinician).get(f"/fhir/r4/Patient/{treated_patient.pk}/$everything")
    )
    parser = get_ucum_parser()
    codes = {q["code"] for q in _quantities(exported)}
    assert "U" in codes and "[U]" not in codes
    for code in codes:
        parser.parse(code)  # raises on anything that is not UCUM


def test_exported_codes_use_canonical_systems_and_case():
    assert c.HCPCS_SYSTEM == "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
    medication = m.toxin_medication([])
    assert medication["code"]["coding"][0]["system"].startswith("http://")

    class Report:
        pk = 1
        effect = "neck_pain"
        severity = "mild"
        procedure_id = None
        onset_on = date(2025, 6, 5)
        created_at = None

    urgent = type("Urgent", (Report,), {"effect": "swallowing_difficulty"})
    seriousness = {
        m.adverse_event_resource(r, patient_id=1)["seriousness"]["coding"][0]["code"]
        for r in (Report, urgent)
    }
    assert seriousness <= {"Serious", "Non-serious"}
    assert "Non-serious" in seriousness


@pytest.mark.parametrize("code", ["U", "[iU]", "[U]"])
def test_import_accepts_units_as_u_iu_and_the_old_bracketed_u(clinician_client, code):
    bundle = valid_bundle()
    bundle["entry"][4]["resource"]["dosage"]["dose"]["code"] = code
    assert post(clinician_client, bundle).status_code == 200
    assert Procedure.objects.get(patient__last_name="Referred").total_units == 155


# ------------------------------------------------------------------ round trip
def _comparable(bundle: dict) -> list[dict]:
    """The resources with everything that names this deployment's records normalised."""
    text = json.dumps([e["resource"] for e in bundle["entry"]])
    resources = json.loads(text)
    out = []
    for resource in resources:
        resource = copy.deepcopy(resource)
        resource.pop("id", None)
        if resource["resourceType"] == "Patient":
            resource.pop("identifier", None)
            resource["name"][0]["given"] = ["*"]
        for key in ("subject", "partOf", "reasonReference", "derivedFrom"):
            resource.pop(key, None)
        out.append(resource)
    return out


def test_export_import_export_keeps_every_field_lots_and_times_included(
    api_for, clinician, treated_patient
):
    client = api_for(clinician)
    first = response_json(client.get(f"/fhir/r4/Patient/{treated_patient.pk}/$everything"))
    sent = as_transaction(copy.deepcopy(first))
    (patient_resource,) = [
        e["resource"] for e in sent["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    patient_resource.pop("identifier")
    patient_resource["name"][0]["given"] = ["Fresh"]
    response = client.post("/fhir/r4", sent)  # POST [base], no trailing slash
    assert response.status_code == 200, response.content[:2000]
    fresh = Patient.objects.get(first_name="Fresh", last_name="Tracer")
    second = response_json(client.get(f"/fhir/r4/Patient/{fresh.pk}/$everything"))
    before, after = _comparable(first), _comparable(second)
    assert len(before) == len(after)
    for old, new in zip(before, after, strict=True):
        assert old == new, (old["resourceType"], old, new)
    procedure = fresh.procedures.get()
    assert procedure.performed_at == datetime(2025, 6, 2, 14, 35, tzinfo=UTC)
    assert procedure.clinician == clinician
    assert sorted((v.lot_number, v.expires_on, v.size_units) for v in procedure.vials.all()) == [
        ("C1234A5", date(2027, 5, 31), 100),
        ("C9876B1", date(2027, 8, 31), 100),
    ]
    # The stock of the lots did not move: the session was given, not drawn again.
    assert VialLot.objects.get(lot_number="C1234A5").quantity_remaining == 8


def test_an_unknown_lot_is_recorded_for_traceability_not_stock(clinician_client):
    bundle = valid_bundle()
    bundle["entry"][4]["resource"]["extension"] = [
        {
            "url": c.EXT_VIAL,
            "extension": [
                {"url": "lot", "valueString": "ELSEWHERE-1"},
                {"url": "expiry", "valueDate": "2026-01-31"},
                {"url": "size", "valueQuantity": m.units_quantity(200)},
            ],
        }
    ]
    assert post(clinician_client, bundle).status_code == 200
    lot = VialLot.objects.get(lot_number="ELSEWHERE-1")
    assert (lot.size_units, lot.quantity_received, lot.quantity_remaining) == (200, 0, 0)
    vial = Procedure.objects.get(patient__last_name="Referred").vials.get()
    assert (vial.lot_number, vial.expires_on) == ("ELSEWHERE-1", date(2026, 1, 31))


def test_the_transaction_response_has_one_entry_per_request_entry(clinician_client):
    bundle = valid_bundle()
    result = post(clinician_client, bundle, path="/fhir/r4/").json()
    assert result["type"] == "transaction-response"
    assert len(result["entry"]) == len(bundle["entry"]) == 5
    statuses = [e["response"]["status"] for e in result["entry"]]
    assert statuses == ["201 Created"] * 5
    locations = [e["response"].get("location", "") for e in result["entry"]]
    assert locations[0].startswith("Patient/")
    assert locations[1].startswith("Condition/diagnosis-")
    assert locations[2].startswith("MedicationStatement/trial-")
    assert locations[3] == locations[4] and locations[3].startswith("Procedure/procedure-")
    validate_bundle(result)


# ------------------------------------------------------------------ errors
def _is_outcome(response, status):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == FHIR
    assert response.json()["resourceType"] == "OperationOutcome"


def test_unknown_fhir_routes_answer_an_operation_outcome(client):
    _is_outcome(client.get("/fhir/r4/Spaceship/1"), 404)
    _is_outcome(client.get("/fhir/r4/Patient/1/extra/deep"), 404)


def test_a_wrong_method_answers_405_with_an_operation_outcome(clinician_client):
    response = clinician_client.delete("/fhir/r4/metadata")
    _is_outcome(response, 405)
    assert "GET" in response["Allow"]
    _is_outcome(clinician_client.get("/fhir/r4/Bundle"), 405)
    _is_outcome(clinician_client.get("/fhir/r4"), 405)


def test_xml_is_not_acceptable(client):
    _is_outcome(client.get("/fhir/r4/metadata", HTTP_ACCEPT="application/fhir+xml"), 406)
    _is_outcome(client.get("/fhir/r4/metadata?_format=xml"), 406)
    assert client.get("/fhir/r4/metadata", HTTP_ACCEPT="application/fhir+json").status_code == 200


def test_post_to_the_base_works_with_and_without_the_slash(clinician_client):
    for n, path in enumerate(("/fhir/r4", "/fhir/r4/")):
        bundle = valid_bundle()
        bundle["entry"][0]["resource"]["name"][0]["family"] = f"Referred{n}"
        assert post(clinician_client, bundle, path=path).status_code == 200
        assert Patient.objects.filter(last_name=f"Referred{n}").exists()


# ------------------------------------------------------------------ published definitions
def _local_path(canonical: str) -> str:
    assert canonical.startswith(c.CADENCE_FHIR_BASE)
    base_path = c.CADENCE_FHIR_BASE.split("://", 1)[1].partition("/")[2]
    return "/" + base_path + canonical[len(c.CADENCE_FHIR_BASE) :]


def test_every_extension_and_code_system_is_served_at_its_canonical_url(client):
    from fhir.resources.R4B.codesystem import CodeSystem
    from fhir.resources.R4B.structuredefinition import StructureDefinition

    extensions = [v for k, v in vars(c).items() if k.startswith("EXT_")]
    assert c.EXT_VIAL in extensions
    for url in extensions:
        response = client.get(_local_path(url))
        assert response.status_code == 200, url
        resource = response.json()
        assert resource["url"] == url
        StructureDefinition.model_validate(resource)
    code_systems = [ext["valueUri"] for ext in client.get("/fhir/r4/metadata").json()["extension"]]
    assert code_systems
    for url in code_systems:
        resource = client.get(_local_path(url)).json()
        assert resource["url"] == url
        CodeSystem.model_validate(resource)


def test_identifiers_use_the_deployments_own_system(treated_patient):
    resource = m.patient_resource(treated_patient)
    assert resource["identifier"][0]["system"].startswith(c.CADENCE_FHIR_BASE)
    from django.conf import settings

    assert c.CADENCE_FHIR_BASE == settings.CADENCE_FHIR_BASE
