"""Issue 21, finding 3: extreme input answers 4xx naming the field, never 500.

Dates at 0001-01-01 and 9999-12-31 (outside the plausible window: not before
CADENCE_EARLIEST_DATE or the patient's birth, not more than CADENCE_MAX_YEARS_AHEAD years
ahead) in schedule, audit, diary and appointment pages and APIs; paging parameters beyond
64 bits; deeply nested JSON; bodies over 5 MB."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

EXTREMES = ["0001-01-01", "9999-12-31"]


def _field_of(response) -> str:
    return response.json()["detail"][0]["loc"][-1]


@pytest.mark.parametrize("day", EXTREMES)
def test_appointment_list_dates_are_422_naming_the_field(api_for, frontdesk, day):
    api = api_for(frontdesk)
    response = api.get("/appointments", {"start": day, "end": day})
    assert response.status_code == 422, response.content
    assert _field_of(response) == "start"


@pytest.mark.parametrize("day", EXTREMES)
def test_booking_an_appointment_at_an_extreme_date_is_422(
    api_for, frontdesk, clinician, patient, day
):
    response = api_for(frontdesk).post(
        "/appointments",
        {
            "patient": patient.pk,
            "clinician": clinician.pk,
            "kind": "consultation",
            "starts_at": f"{day}T10:00:00",
        },
    )
    assert response.status_code == 422, response.content
    assert _field_of(response) == "starts_at"


@pytest.mark.parametrize("day", EXTREMES)
def test_diary_range_dates_are_422(api_for, nurse, patient, day):
    response = api_for(nurse).get(f"/patients/{patient.pk}/diary", {"end": day})
    assert response.status_code == 422, response.content
    assert _field_of(response) == "end"


@pytest.mark.parametrize("day", [*EXTREMES, "1980-01-01"])
def test_a_diary_day_outside_the_window_or_before_birth_is_422(api_for, patient_user, patient, day):
    response = api_for(patient_user).put(
        f"/patients/{patient.pk}/diary/{day}", {"headache_hours": 0}
    )
    assert response.status_code == 422, response.content
    assert _field_of(response) == "date"


@pytest.mark.parametrize("day", EXTREMES)
def test_schedule_and_diary_pages_fall_back_to_today_on_extreme_dates(
    client, frontdesk, nurse, patient_user, patient, day
):
    client.force_login(frontdesk)
    assert client.get("/schedule/", {"day": day}).status_code == 200
    client.force_login(nurse)
    assert client.get(f"/diary/patients/{patient.pk}/", {"date": day}).status_code == 200
    assert client.get(f"/diary/patients/{patient.pk}/", {"month": day[:7]}).status_code == 200
    client.force_login(patient_user)
    assert client.get("/diary/", {"date": day, "month": day[:7]}).status_code == 200


@pytest.mark.parametrize("day", EXTREMES)
def test_audit_page_dates_are_refused_on_the_form(client, admin_user, day):
    client.force_login(admin_user)
    response = client.get("/audit/", {"date_from": day, "date_to": day})
    assert response.status_code == 200
    assert "too far" in response.content.decode()
    assert client.get("/audit/export.csv", {"date_to": day}).status_code in (200, 400)
    assert client.get("/audit/", {"patient": 2**70}).status_code == 200


@pytest.mark.parametrize("value", [2**64, -1, 10**30])
def test_paging_parameters_are_bounded(api_for, frontdesk, value):
    api = api_for(frontdesk)
    for name in ("offset", "limit"):
        response = api.get("/consultation-requests", {name: value})
        assert response.status_code == 422, (name, value, response.content)


def test_deeply_nested_json_is_refused_before_parsing(api_for, clinician, patient, client):
    nested = "[" * 100_000 + "]" * 100_000  # 200 KB
    api = api_for(clinician)
    response = api.client.post(
        f"/api/v1/patients/{patient.pk}/treatment-plans",
        data=nested,
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    response = api.client.post(
        "/fhir/r4", data=nested, content_type="application/fhir+json", headers=api.headers
    )
    assert response.status_code == 400
    # Ordinary nesting still passes through.
    body = json.dumps({"template": "preempt", "sites": []})
    response = api.client.post(
        f"/api/v1/patients/{patient.pk}/treatment-plans",
        data=body,
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 201


def test_a_body_over_5_mb_answers_json_413_on_api_routes(api_for, clinician, patient):
    api = api_for(clinician)
    big = json.dumps({"template": "preempt", "sites": [], "notes": "x" * (5 * 1024 * 1024 + 10)})
    response = api.client.post(
        f"/api/v1/patients/{patient.pk}/treatment-plans",
        data=big,
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.parametrize("notes", ["before\u0000after", "\u0000"])
def test_nul_characters_in_text_are_refused(api_for, clinician, patient, notes):
    response = api_for(clinician).post(
        f"/patients/{patient.pk}/treatment-plans",
        {"template": "preempt", "sites": [], "notes": notes},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "nul_character"


def test_an_escaped_backslash_before_u0000_is_ordinary_text(api_for, clinician, patient):
    response = api_for(clinician).post(
        f"/patients/{patient.pk}/treatment-plans",
        {"template": "preempt", "sites": [], "notes": "path C:\\u0000 is text"},
    )
    assert response.status_code == 201, response.content


def test_a_boolean_is_not_hours_and_a_number_is_not_a_date(api_for, patient_user, patient):
    api = api_for(patient_user)
    day = api.put(f"/patients/{patient.pk}/diary/2026-01-05", {"headache_hours": True})
    assert day.status_code == 422
    assert day.json()["detail"][0]["loc"][-1] == "headache_hours"
    report = api.post(
        f"/patients/{patient.pk}/side-effects",
        {"effect": "neck_pain", "severity": "mild", "onset_on": 0},
    )
    assert report.status_code == 422
    assert report.json()["detail"][0]["loc"][-1] == "onset_on"
