"""The OpenAPI document says what the API answers (issue 21, finding 11): the refusals
every operation shares are documented (config/openapi.py), a body that is not a JSON
object is refused, and answers that the fuzz test's empty record never produces (a
candidacy with flags, an attack going on) match their schemas."""

from __future__ import annotations

from datetime import timedelta

import jsonschema_rs
import pytest
from django.utils import timezone
from ninja import Schema

from config.api import api
from config.openapi import refusals_for

pytestmark = pytest.mark.django_db


def openapi() -> dict:
    return api.get_openapi_schema()


def answer_validator(document: dict, path: str, method: str, status: int):
    responses = document["paths"][f"/api/v1{path}"][method]["responses"]
    body = responses[status]["content"]["application/json"]["schema"]
    return jsonschema_rs.validator_for({**body, "components": document["components"]})


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_documents_the_refusals_it_can_answer():
    document = openapi()
    missing = {}
    for label, operation in operations(document):
        codes = {int(code) for code in operation["responses"]}
        expected = set(refusals_for(operation))
        if operation.get("security"):
            expected |= {401, 403}
        if "{" in label:
            expected |= {404, 422}
        if "requestBody" in operation:
            expected |= {400, 413, 422}
        if expected - codes:
            missing[label] = sorted(expected - codes)
    assert missing == {}
    assert "Refusal" in document["components"]["schemas"]


def all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_subclasses(sub)


def test_no_two_schemas_share_a_component_name():
    """OpenAPI names a component by its class name: two `FlagOut` classes in two apps made
    the candidacy's `flags` documented as the outcomes' flag (finding 11)."""
    document = openapi()
    names: dict[str, set[str]] = {}
    for cls in all_subclasses(Schema):
        if cls.__module__.startswith("cadence."):
            names.setdefault(cls.__name__, set()).add(cls.__module__)
    shared = {
        name: sorted(modules)
        for name, modules in names.items()
        if len(modules) > 1 and name in document["components"]["schemas"]
    }
    assert shared == {}


def test_an_operations_own_refusal_schema_is_kept():
    document = openapi()
    start = document["paths"]["/api/v1/patients/{patient_id}/attacks/start"]["post"]
    assert start["responses"][409]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/RefusalOut"
    }


@pytest.mark.parametrize("body", ["[null, null]", "null", '"text"', "5", "true"])
def test_a_body_that_is_not_a_json_object_is_refused(api_for, clinician, patient, body):
    client = api_for(clinician)
    response = client.client.put(
        f"/api/v1/patients/{patient.pk}/medical-history",
        data=body,
        content_type="application/json",
        headers=client.headers,
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}


def test_a_boolean_is_not_a_count_of_days(api_for, clinician, patient):
    client = api_for(clinician)
    response = client.put(
        f"/patients/{patient.pk}/medical-history", {"headache_days_per_month": False}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "headache_days_per_month"


@pytest.mark.parametrize("field", ["relieved", "menstruating"])
def test_a_diary_yes_or_no_is_true_or_false_not_a_number(api_for, clinician, patient, field):
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    body = {"headache_hours": 2, "peak_severity": "mild"}
    if field == "relieved":
        body["acute_medications"] = [
            {"name": "ibuprofen", "drug_class": "simple_analgesic", "relieved": 1}
        ]
    else:
        body["menstruating"] = 1
    response = api_for(clinician).put(f"/patients/{patient.pk}/diary/{day}", body)
    assert response.status_code == 422
    assert field in response.json()["detail"][0]["loc"]


def test_a_candidacy_with_flags_answers_as_documented(api_for, clinician, make_patient):
    young = make_patient(date_of_birth=timezone.localdate() - timedelta(days=16 * 365))
    response = api_for(clinician).get(f"/patients/{young.pk}/candidacy")
    body = response.json()
    assert body["flags"], "the patient under 18 has the off-label age flag"
    validator = answer_validator(openapi(), "/patients/{patient_id}/candidacy", "get", 200)
    assert list(validator.iter_errors(body)) == []


def test_an_attack_going_on_answers_as_documented(api_for, clinician, patient):
    client = api_for(clinician)
    started = client.post(f"/patients/{patient.pk}/attacks/start", {})
    assert started.status_code == 201
    document = openapi()
    path = "/patients/{patient_id}/attacks/start"
    assert list(answer_validator(document, path, "post", 201).iter_errors(started.json())) == []
    going_on = client.get(f"/patients/{patient.pk}/attacks/open").json()
    assert going_on["attack"] is not None
    validator = answer_validator(document, "/patients/{patient_id}/attacks/open", "get", 200)
    assert list(validator.iter_errors(going_on)) == []


@pytest.mark.parametrize(
    ("field", "value", "status"),
    [("headache_days", 18.5, 201), ("headache_days", "18.5", 201), ("headache_days", 18.55, 422)],
)
def test_baseline_days_are_documented_as_accepted(
    api_for, clinician, patient, field, value, status
):
    body = {field: value, "source": "Referral letter", "recorded_on": "2026-01-05"}
    document = openapi()
    schema = document["components"]["schemas"]["HistoricalBaselineIn"]["properties"][field]
    assert jsonschema_rs.validator_for(schema).is_valid(value) is (status == 201)
    response = api_for(clinician).post(f"/patients/{patient.pk}/historical-baseline", body)
    assert response.status_code == status
