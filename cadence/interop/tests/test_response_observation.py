"""Issue 16 in FHIR: the course response travels as an Observation (the patient's
payer-profile rule, the status over the compared period, baseline and follow-up headache
days per 28 days as exact decimals, the percent change), valid R4; read by id; skipped on
import with an informational issue like every resource Cadence does not keep."""

from __future__ import annotations

import json
from datetime import date, timedelta
from fractions import Fraction

import pytest
from django.utils import timezone
from fhir.resources.R4B.observation import Observation

from cadence.interop.fhir import codes as c
from cadence.interop.fhir import mappers as m
from cadence.interop.selectors import period_resources
from cadence.interop.tests.helpers import resources_of, response_json, validate_bundle
from cadence.interop.tests.test_import import valid_bundle
from cadence.outcomes.tests.factories import MIGRAINE, NO_HEADACHE, session, write_days
from cadence.patients.models import Patient

pytestmark = pytest.mark.django_db


def _diary(patient, start: date, recorded: int, headache: int) -> None:
    write_days(
        patient,
        [
            (start + timedelta(days=i), MIGRAINE if i < headache else NO_HEADACHE)
            for i in range(recorded)
        ],
    )


@pytest.fixture
def responder(patient):
    """10 headache days in 21 recorded baseline days, 5 in 21 afterwards: exactly 50%."""
    first = timezone.localdate() - timedelta(days=40)
    session(patient, first)
    _diary(patient, first - timedelta(days=28), 21, 10)
    _diary(patient, first, 21, 5)
    return patient, first


def _parts(observation: dict) -> dict:
    return {part["code"]["coding"][0]["code"]: part for part in observation["component"]}


def test_the_response_observation_is_valid_r4_with_exact_values(responder):
    patient, first = responder
    by_id = {r["id"]: r for r in period_resources(patient)}
    observation = by_id[f"response-{patient.pk}"]
    Observation.model_validate(observation)
    assert observation["code"]["coding"][0] == {
        "system": c.OBSERVATION_CS,
        "code": c.COURSE_RESPONSE,
        "display": c.OBSERVATION_CODES[c.COURSE_RESPONSE],
    }
    assert observation["category"][0]["coding"][0]["code"] == "therapy"
    assert observation["valueCodeableConcept"]["coding"][0] == {
        "system": c.RESPONSE_STATUS_CS,
        "code": "responder",
        "display": "Responder",
    }
    assert observation["effectivePeriod"] == {
        "start": first.isoformat(),
        "end": (first + timedelta(days=27)).isoformat(),
    }
    parts = _parts(observation)
    assert parts["responder-rule"]["valueCodeableConcept"]["coding"][0]["code"] == "percent_50"
    # 280/21 = 13.333333..., 140/21 = 6.666666...: exact to 6 places, never 13.3 / 6.7
    assert parts["baseline-headache-days"]["valueQuantity"]["value"] == 13.333333
    assert parts["follow-up-headache-days"]["valueQuantity"]["value"] == 6.666667
    assert parts["headache-day-percent-change"]["valueQuantity"] == {
        "value": -50,
        "unit": "%",
        "system": c.UCUM_SYSTEM,
        "code": "%",
    }
    assert parts["baseline-headache-days-recorded"]["valueQuantity"]["value"] == 10
    assert parts["baseline-days-recorded"]["valueQuantity"]["value"] == 21
    assert [ref["reference"] for ref in observation["derivedFrom"]] == [
        f"Observation/period-{patient.pk}-{first - timedelta(days=28):%Y%m%d}",
        f"Observation/period-{patient.pk}-{first:%Y%m%d}",
    ]
    # the 24-week review has not come yet: insufficient data, no numbers to compare
    review = by_id[f"response-{patient.pk}-week-24"]
    Observation.model_validate(review)
    assert review["valueCodeableConcept"]["coding"][0]["code"] == "insufficient_data"
    assert "headache-day-change" not in _parts(review)
    assert "weeks 21-24" in review["note"][0]["text"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Fraction(280, 21), 13.333333), (Fraction(27, 2), 13.5), (Fraction(-7), -7), (Fraction(0), 0)],
)
def test_exact_decimals_keep_six_places(value, shown):
    assert m.exact_decimal(value) == shown


def test_everything_carries_both_response_observations_and_validates(api_for, clinician, responder):
    patient, _first = responder
    bundle = response_json(api_for(clinician).get(f"/fhir/r4/Patient/{patient.pk}/$everything"))
    validate_bundle(bundle)
    ids = {o["id"] for o in resources_of(bundle, "Observation")}
    assert {f"response-{patient.pk}", f"response-{patient.pk}-week-24"} <= ids


def test_a_patient_without_a_session_has_no_response_observation(api_for, clinician, patient):
    bundle = response_json(api_for(clinician).get(f"/fhir/r4/Patient/{patient.pk}/$everything"))
    assert not [o for o in resources_of(bundle, "Observation") if o["id"].startswith("response-")]
    answer = api_for(clinician).get(f"/fhir/r4/Observation/response-{patient.pk}")
    assert answer.status_code == 404
    assert answer.json()["resourceType"] == "OperationOutcome"


def test_the_response_observation_is_read_by_id(api_for, clinician, responder):
    patient, _first = responder
    for suffix in ("", "-week-24"):
        answer = api_for(clinician).get(f"/fhir/r4/Observation/response-{patient.pk}{suffix}")
        assert answer.status_code == 200, answer.content
        Observation.model_validate(response_json(answer))
    assert api_for(clinician).get(f"/fhir/r4/Observation/response-{patient.pk}-x").status_code == (
        404
    )


def test_another_patient_cannot_read_the_response(api_for, other_patient_user, responder):
    patient, _first = responder
    answer = api_for(other_patient_user).get(f"/fhir/r4/Observation/response-{patient.pk}")
    assert answer.status_code == 404


def test_import_skips_a_response_observation_with_an_informational_issue(
    client, clinician, responder
):
    patient, _first = responder
    observation = next(r for r in period_resources(patient) if r["id"] == f"response-{patient.pk}")
    observation["subject"] = {"reference": "urn:uuid:p1"}
    observation.pop("derivedFrom")
    bundle = valid_bundle()
    bundle["entry"].append(
        {
            "fullUrl": "urn:uuid:r1",
            "request": {"method": "POST", "url": "Observation"},
            "resource": observation,
        }
    )
    client.force_login(clinician)
    answer = client.post(
        "/fhir/r4/Bundle", json.dumps(bundle), content_type="application/fhir+json"
    )
    assert answer.status_code == 200, answer.content[:2000]
    last = answer.json()["entry"][-1]["response"]
    (issue,) = last["outcome"]["issue"]
    assert (issue["severity"], issue["code"]) == ("information", "informational")
    assert f"Observation/response-{patient.pk} not imported" in issue["diagnostics"]
    assert Patient.objects.filter(last_name="Referred").exists()
