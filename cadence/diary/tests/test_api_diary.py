"""The diary API of api-contract.md: PUT/GET /patients/{patient_id}/diary."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.diary.models import DiaryDay

pytestmark = pytest.mark.django_db

MIGRAINE_DAY = {
    "headache_hours": 8,
    "peak_severity": "severe",
    "unilateral": True,
    "pulsating": True,
    "nausea": True,
    "photophobia": True,
    "phonophobia": True,
    "missed_activity": True,
    "acute_medications": [
        {"name": "Sumatriptan 50 mg", "drug_class": "triptan", "relieved": True},
        {"name": "Ibuprofen", "drug_class": "simple_analgesic", "relieved": False},
    ],
    "notes": "Bad one.",
}


def today():
    return timezone.localdate()


def url(patient, on):
    return f"/patients/{patient.pk}/diary/{on.isoformat()}"


def test_a_new_day_answers_201_with_the_entry_and_its_classification(
    api_for, patient_user, patient
):
    response = api_for(patient_user).put(url(patient, today()), MIGRAINE_DAY)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["date"] == today().isoformat()
    assert body["headache_hours"] == 8
    assert body["peak_severity"] == "severe"
    assert body["acute_medications"][0] == MIGRAINE_DAY["acute_medications"][0]
    assert body["notes"] == "Bad one."
    assert (body["is_headache_day"], body["is_migraine_day"], body["is_moderate_severe_day"]) == (
        True,
        True,
        True,
    )
    assert body["entered_on_behalf"] is False


def test_it_stores_the_derived_columns_including_overuse_flags(api_for, patient_user, patient):
    api_for(patient_user).put(url(patient, today()), MIGRAINE_DAY)
    day = DiaryDay.objects.get(patient=patient)
    assert day.is_triptan_day and day.is_acute_medication_day and day.is_treated_day
    assert day.is_overuse_class_day and day.is_simple_analgesic_day
    assert not day.is_probable_migraine_day
    assert day.entered_by == patient_user


def test_repeating_the_request_replaces_the_day_and_answers_200(api_for, patient_user, patient):
    client = api_for(patient_user)
    assert client.put(url(patient, today()), MIGRAINE_DAY).status_code == 201
    second = client.put(url(patient, today()), MIGRAINE_DAY)
    assert second.status_code == 200
    assert DiaryDay.objects.filter(patient=patient).count() == 1


def test_editing_a_past_day_replaces_every_answer(api_for, patient_user, patient):
    client = api_for(patient_user)
    on = today() - timedelta(days=3)
    client.put(url(patient, on), MIGRAINE_DAY)
    response = client.put(url(patient, on), {"headache_hours": 0})
    assert response.status_code == 200
    body = response.json()
    assert body["is_headache_day"] is False and body["acute_medications"] == []
    day = DiaryDay.objects.get(patient=patient, date=on)
    assert not day.is_triptan_day and not day.is_overuse_class_day and day.notes == ""


def test_a_clinician_enters_a_day_on_the_patients_behalf(api_for, clinician, patient):
    response = api_for(clinician).put(
        url(patient, today()), {"headache_hours": 5, "peak_severity": "mild"}
    )
    assert response.status_code == 201
    assert response.json()["entered_on_behalf"] is True
    day = DiaryDay.objects.get(patient=patient)
    assert day.entered_by == clinician and day.entered_on_behalf


def test_a_nurse_may_enter_a_day(api_for, nurse, patient):
    assert api_for(nurse).put(url(patient, today()), {"headache_hours": 0}).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"headache_hours": 25}, "headache_hours"),
        ({"headache_hours": -1}, "headache_hours"),
        ({"headache_hours": "many"}, "headache_hours"),
        ({}, "headache_hours"),
        ({"headache_hours": 5, "peak_severity": "extreme"}, "peak_severity"),
        ({"headache_hours": 0, "peak_severity": "severe"}, "peak_severity"),
        (
            {"headache_hours": 5, "acute_medications": [{"name": "X", "drug_class": "homeopathy"}]},
            "drug_class",
        ),
        (
            {"headache_hours": 5, "acute_medications": [{"name": "", "drug_class": "triptan"}]},
            "name",
        ),
        ({"headache_hours": 5, "notes": "x" * 5000}, "notes"),
    ],
)
def test_bad_input_answers_422_naming_the_field_and_stores_nothing(
    api_for, patient_user, patient, body, field
):
    response = api_for(patient_user).put(url(patient, today()), body)
    assert response.status_code == 422, response.content
    assert any(field in error["loc"] for error in response.json()["detail"]), response.json()
    assert not DiaryDay.objects.exists()


def test_a_future_date_is_refused(api_for, patient_user, patient):
    response = api_for(patient_user).put(
        url(patient, today() + timedelta(days=1)), {"headache_hours": 0}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "date"]
    assert not DiaryDay.objects.exists()


def test_a_malformed_date_is_422(api_for, patient_user, patient):
    response = api_for(patient_user).put(
        f"/patients/{patient.pk}/diary/2026-02-30", {"headache_hours": 0}
    )
    assert response.status_code == 422


def test_a_patient_cannot_write_another_patients_day(api_for, patient_user, other_patient):
    response = api_for(patient_user).put(url(other_patient, today()), {"headache_hours": 0})
    assert response.status_code == 404
    assert not DiaryDay.objects.exists()


@pytest.mark.parametrize("role", ["frontdesk", "admin"])
def test_non_clinical_staff_may_not_use_the_diary(api_for, users_by_role, patient, role):
    client = api_for(users_by_role[role])
    assert client.put(url(patient, today()), {"headache_hours": 0}).status_code == 403
    assert client.get(f"/patients/{patient.pk}/diary").status_code == 403


def test_anonymous_requests_answer_401(api_for, patient):
    assert api_for(None).put(url(patient, today()), {"headache_hours": 0}).status_code == 401


def test_the_range_get_lists_days_in_the_range_oldest_first(api_for, patient_user, patient):
    client = api_for(patient_user)
    for offset in (10, 3, 1):
        client.put(url(patient, today() - timedelta(days=offset)), {"headache_hours": offset})
    start, end = today() - timedelta(days=5), today()
    response = client.get(
        f"/patients/{patient.pk}/diary", {"start": start.isoformat(), "end": end.isoformat()}
    )
    assert response.status_code == 200
    assert [d["headache_hours"] for d in response.json()] == [3, 1]


def test_the_range_get_refuses_an_inverted_range(api_for, patient_user, patient):
    response = api_for(patient_user).get(
        f"/patients/{patient.pk}/diary", {"start": "2026-02-10", "end": "2026-02-01"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "start"]


def test_the_range_get_hides_other_patients(api_for, patient_user, other_patient):
    assert api_for(patient_user).get(f"/patients/{other_patient.pk}/diary").status_code == 404


def test_reads_and_writes_are_audited(api_for, patient_user, patient):
    from cadence.audit.models import AuditEvent

    client = api_for(patient_user)
    client.put(url(patient, today()), {"headache_hours": 0})
    client.put(url(patient, today()), {"headache_hours": 0})
    client.get(f"/patients/{patient.pk}/diary")
    actions = list(
        AuditEvent.objects.filter(patient_id_ref=patient.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "change", "view"]


def test_the_put_stays_a_few_queries(api_for, patient_user, patient):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_for(patient_user)
    client.put(url(patient, today()), MIGRAINE_DAY)
    with CaptureQueriesContext(connection) as captured:
        assert client.put(url(patient, today()), MIGRAINE_DAY).status_code == 200
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    # token, patient, day (locked) + update, audit: chain head, entry, chain head update
    assert len(statements) <= 7, statements


def test_the_openapi_document_describes_the_diary_operations(client):
    document = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/patients/{patient_id}/diary/{date}" in document["paths"]
    put = document["paths"]["/api/v1/patients/{patient_id}/diary/{date}"]["put"]
    assert put["summary"] and put["description"]
    assert {
        "/api/v1/patients/{patient_id}/questionnaires",
        "/api/v1/patients/{patient_id}/side-effects",
    } <= set(document["paths"])


@pytest.mark.parametrize(
    "raw", ['{"headache_hours": NaN}', '{"headache_hours": Infinity}', "not json", "[]"]
)
def test_odd_bodies_answer_4xx_never_5xx(api_for, patient_user, patient, raw):
    client = api_for(patient_user)
    response = client.client.put(
        f"/api/v1{url(patient, today())}",
        data=raw,
        content_type="application/json",
        headers=client.headers,
    )
    assert 400 <= response.status_code < 500
    assert not DiaryDay.objects.exists()
