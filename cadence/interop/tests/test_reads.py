import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from fhir.resources.R4B import get_fhir_model_class

from cadence.audit.models import AuditEvent
from cadence.diary.models import DiaryDay, QuestionnaireResponse, SideEffectReport
from cadence.interop.fhir import codes as c
from cadence.interop.tests.helpers import resources_of, response_json, validate_bundle
from cadence.patients.models import Diagnosis, PreventiveTrial
from cadence.scheduling.models import Appointment
from cadence.treatments.models import (
    InjectionSite,
    Procedure,
    ProcedureInjection,
    ProcedureStatus,
    ProcedureVial,
    VialLot,
)

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("America/New_York")


@pytest.fixture
def full_record(patient, clinician):
    day = date(2025, 3, 3)
    DiaryDay.objects.create(
        patient=patient,
        date=day,
        headache_hours=8,
        peak_severity="severe",
        pulsating=True,
        is_headache_day=True,
        is_migraine_day=True,
        acute_medications=[{"name": "rizatriptan", "drug_class": "triptan", "relieved": True}],
    )
    Diagnosis.objects.create(
        patient=patient, icd10_code="G43.719", neurologist="Dr Neuro", confirmed_on=date(2024, 1, 2)
    )
    Diagnosis.objects.create(patient=patient, icd10_code="G43.709", confirmed_by_neurologist=False)
    PreventiveTrial.objects.create(
        patient=patient,
        drug="amitriptyline",
        drug_class="tricyclic",
        start=date(2023, 1, 1),
        end=date(2023, 5, 1),
        outcome="ineffective",
    )
    procedure = Procedure.objects.create(
        patient=patient,
        performed_on=day,
        total_units=Decimal("155"),
        wasted_units=Decimal("45"),
        status=ProcedureStatus.SIGNED,
        clinician=clinician,
    )
    for site in InjectionSite.objects.filter(follow_the_pain=False):
        ProcedureInjection.objects.create(procedure=procedure, site=site, units=site.default_units)
    lot = VialLot.objects.create(
        lot_number="C1234A",
        expires_on=date(2026, 1, 1),
        size_units=200,
        quantity_received=2,
        quantity_remaining=1,
    )
    ProcedureVial.objects.create(
        procedure=procedure,
        lot=lot,
        lot_number="C1234A",
        size_units=200,
        expires_on=date(2026, 1, 1),
    )
    QuestionnaireResponse.objects.create(
        patient=patient,
        instrument="MIDAS",
        completed_on=day,
        answers=[3, 4, 5, 2, 1],
        score=15,
        grade="III",
    )
    QuestionnaireResponse.objects.create(
        patient=patient,
        instrument="HIT-6",
        completed_on=day,
        answers=["always", "very_often", "sometimes", "rarely", "never", "always"],
        score=61,
        band="severe",
    )
    SideEffectReport.objects.create(
        patient=patient,
        procedure=procedure,
        effect="neck_pain",
        severity="mild",
        onset_on=day + timedelta(days=2),
    )
    SideEffectReport.objects.create(
        patient=patient,
        procedure=procedure,
        effect="double_vision",
        severity="moderate",
        onset_on=day + timedelta(days=3),
        urgent=True,
    )
    start = datetime(2025, 5, 26, 9, 0, tzinfo=TZ)
    Appointment.objects.create(
        patient=patient,
        clinician=clinician,
        kind="treatment_session",
        starts_at=start,
        ends_at=start + timedelta(minutes=15),
    )
    return patient


def test_every_resource_type_validates(api_for, clinician, full_record):
    bundle = response_json(api_for(clinician).get(f"/fhir/r4/Patient/{full_record.pk}/$everything"))
    validate_bundle(bundle)
    types = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert set(c.RESOURCE_TYPES) <= types
    for entry in bundle["entry"]:  # each one also on its own
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])


def test_the_condition_uses_snomed_us_edition_only_for_g43_719(api_for, clinician, full_record):
    bundle = response_json(api_for(clinician).get(f"/fhir/r4/Patient/{full_record.pk}/$everything"))
    by_icd = {r["code"]["coding"][0]["code"]: r for r in resources_of(bundle, "Condition")}
    snomed = [cd for cd in by_icd["G43.719"]["code"]["coding"] if cd["system"] == c.SNOMED_SYSTEM]
    assert snomed == [
        {
            "system": c.SNOMED_SYSTEM,
            "version": c.SNOMED_US_EDITION,
            "code": "124171000119105",
            "display": "Chronic migraine without aura",
        }
    ]
    assert [cd["system"] for cd in by_icd["G43.709"]["code"]["coding"]] == [c.ICD10CM_SYSTEM]
    assert by_icd["G43.709"]["verificationStatus"]["coding"][0]["code"] == "provisional"


def test_administrations_carry_sites_lot_and_expiry(api_for, clinician, full_record):
    bundle = response_json(api_for(clinician).get(f"/fhir/r4/Patient/{full_record.pk}/$everything"))
    administrations = resources_of(bundle, "MedicationAdministration")
    assert len(administrations) == 31
    assert sum(a["dosage"]["dose"]["value"] for a in administrations) == 155
    first = administrations[0]
    assert first["dosage"]["site"]["coding"][0]["system"] == c.INJECTION_SITE_CS
    assert first["dosage"]["site"]["text"]
    assert first["contained"][0]["batch"] == {"lotNumber": "C1234A", "expirationDate": "2026-01-01"}
    assert "snomed" not in json.dumps(first["dosage"]).lower()


def test_hit6_item_text_is_not_exported(api_for, clinician, full_record):
    bundle = response_json(api_for(clinician).get(f"/fhir/r4/Patient/{full_record.pk}/$everything"))
    (hit6,) = [q for q in resources_of(bundle, "Questionnaire") if q["id"] == "hit-6"]
    assert [i["text"] for i in hit6["item"][:6]] == [
        f"Item {n} – " + s
        for n, s in enumerate(
            [
                "pain severity",
                "limits on daily activities",
                "need to lie down",
                "fatigue",
                "irritability",
                "concentration",
            ],
            start=1,
        )
    ]
    scores = {r["questionnaire"]: r for r in resources_of(bundle, "QuestionnaireResponse")}
    hit6_items = {i["linkId"]: i for i in scores[c.QUESTIONNAIRE_HIT6_URL]["item"]}
    assert hit6_items["hit-6-score"]["answer"] == [{"valueInteger": 61}]
    midas_items = {i["linkId"]: i for i in scores[c.QUESTIONNAIRE_MIDAS_URL]["item"]}
    assert midas_items["midas-grade"]["answer"] == [{"valueString": "III"}]
    assert "loinc" not in json.dumps(bundle).lower()


def test_an_urgent_side_effect_is_a_serious_adverse_event(api_for, clinician, full_record):
    bundle = response_json(api_for(clinician).get(f"/fhir/r4/Patient/{full_record.pk}/$everything"))
    seriousness = {
        a["event"]["coding"][0]["code"]: a["seriousness"]["coding"][0]["code"]
        for a in resources_of(bundle, "AdverseEvent")
    }
    assert seriousness == {"neck_pain": "Non-serious", "double_vision": "Serious"}


def test_every_exported_resource_reads_back_by_id(api_for, clinician, full_record):
    client = api_for(clinician)
    bundle = response_json(client.get(f"/fhir/r4/Patient/{full_record.pk}/$everything"))
    for entry in bundle["entry"]:
        resource = entry["resource"]
        response = client.get(f"/fhir/r4/{resource['resourceType']}/{resource['id']}")
        assert response.status_code == 200, (
            resource["resourceType"],
            resource["id"],
            response.content,
        )
        assert response["Content-Type"] == "application/fhir+json"
        assert response.json() == resource


def test_a_read_is_audited_as_view(api_for, nurse, full_record):
    diagnosis = full_record.diagnoses.first()
    api_for(nurse).get(f"/fhir/r4/Condition/diagnosis-{diagnosis.pk}")
    assert AuditEvent.objects.filter(
        action="view", actor=nurse, patient_id_ref=full_record.pk
    ).exists()


def test_front_desk_reads_demographics_and_appointments_only(api_for, frontdesk, full_record):
    client = api_for(frontdesk)
    appointment = Appointment.objects.get(patient=full_record)
    assert client.get(f"/fhir/r4/Patient/{full_record.pk}").status_code == 200
    assert client.get(f"/fhir/r4/Appointment/appointment-{appointment.pk}").status_code == 200
    diagnosis = full_record.diagnoses.first()
    response = client.get(f"/fhir/r4/Condition/diagnosis-{diagnosis.pk}")
    assert response.status_code == 403
    assert response.json()["resourceType"] == "OperationOutcome"


def test_another_patient_cannot_read_by_id(api_for, other_patient_user, full_record):
    client = api_for(other_patient_user)
    day = DiaryDay.objects.get(patient=full_record)
    assert client.get(f"/fhir/r4/Observation/diary-{day.pk}").status_code == 404
    assert client.get(f"/fhir/r4/Patient/{full_record.pk}").status_code == 404


def test_the_patient_reads_their_own_observation(api_for, patient_user, full_record):
    day = DiaryDay.objects.get(patient=full_record)
    assert api_for(patient_user).get(f"/fhir/r4/Observation/diary-{day.pk}").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/fhir/r4/Observation/diary-x",
        "/fhir/r4/Observation/nope-1",
        "/fhir/r4/Procedure/procedure-999999",
        "/fhir/r4/Patient/abc",
        "/fhir/r4/Observation/period-1-2025",
        "/fhir/r4/Questionnaire/sf-36",
    ],
)
def test_unknown_ids_are_404_operation_outcomes(api_for, clinician, path):
    response = api_for(clinician).get(path)
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_search_by_family_and_birthdate(api_for, frontdesk, full_record, other_patient):
    response = api_for(frontdesk).get(
        f"/fhir/r4/Patient?family=own&birthdate={full_record.date_of_birth}"
    )
    bundle = response.json()
    validate_bundle(bundle)
    assert [e["resource"]["id"] for e in bundle["entry"]] == [str(full_record.pk)]


def test_a_patient_user_only_finds_themself(api_for, patient_user, other_patient):
    bundle = api_for(patient_user).get("/fhir/r4/Patient?family=Outsider").json()
    assert bundle["total"] == 0


@pytest.mark.parametrize("query", ["", "?birthdate=1985-02-30", "?colour=blue"])
def test_a_bad_search_is_400(api_for, clinician, query):
    response = api_for(clinician).get(f"/fhir/r4/Patient{query}")
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_metadata_is_public_and_lists_the_code_systems(client):
    response = client.get("/fhir/r4/metadata")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    statement = response.json()
    get_fhir_model_class("CapabilityStatement").model_validate(statement)
    published = {e["valueUri"] for e in statement["extension"]}
    assert f"{c.CADENCE_FHIR_BASE}/CodeSystem/injection-site" in published
    code_system = client.get("/fhir/r4/CodeSystem/injection-site").json()
    get_fhir_model_class("CodeSystem").model_validate(code_system)
    assert code_system["count"] == 47  # 31 PREEMPT + 16 follow-the-pain sites
