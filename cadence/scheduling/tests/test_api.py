from __future__ import annotations

import pytest

from cadence.scheduling.models import Appointment
from cadence.scheduling.tests.conftest import at, in_days

pytestmark = pytest.mark.django_db


def body(patient, clinician, day, hour, kind="treatment_session", **extra):
    return {
        "patient": patient.pk,
        "clinician": clinician.pk,
        "kind": kind,
        "starts_at": at(day, hour).isoformat(),
        **extra,
    }


def test_front_desk_books_through_the_api(api_for, frontdesk, working_week, patient):
    response = api_for(frontdesk).post("/appointments", body(patient, working_week, in_days(4), 10))
    assert response.status_code == 201, response.content
    assert response.json()["duration_minutes"] == 15
    assert response.json()["kind"] == "treatment_session"


def test_a_double_booking_answers_409(api_for, frontdesk, working_week, patient, other_patient):
    client = api_for(frontdesk)
    assert (
        client.post("/appointments", body(patient, working_week, in_days(4), 10)).status_code == 201
    )
    response = client.post("/appointments", body(other_patient, working_week, in_days(4), 10))
    assert response.status_code == 409
    assert "already has an appointment" in response.json()["detail"][0]["msg"]


def test_before_the_earliest_date_answers_422_with_the_reason(
    api_for, frontdesk, working_week, patient, sign_session
):
    sign_session(patient, in_days(-50))
    response = api_for(frontdesk).post("/appointments", body(patient, working_week, in_days(4), 10))
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"][-1] == "starts_at"
    assert "Earliest date is" in detail["msg"]


def test_a_clinician_override_is_accepted(api_for, working_week, patient, sign_session):
    sign_session(patient, in_days(-75))
    response = api_for(working_week).post(
        "/appointments",
        body(patient, working_week, in_days(1), 10, override_reason="Wearing-off in weeks 9-12"),
    )
    assert response.status_code == 201
    assert response.json()["override_reason"] == "Wearing-off in weeks 9-12"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "massage"}, "kind"),
        ({"clinician": 999999}, "clinician"),
        ({"patient": 999999}, "patient"),
        ({"starts_at": "not a date"}, "starts_at"),
        ({"duration_minutes": 1000}, "duration_minutes"),
    ],
)
def test_bad_input_answers_422_naming_the_field(
    api_for, frontdesk, working_week, patient, change, field
):
    response = api_for(frontdesk).post(
        "/appointments", {**body(patient, working_week, in_days(4), 10), **change}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field


def test_a_patient_may_not_book(api_for, patient_user, working_week, patient):
    assert (
        api_for(patient_user)
        .post("/appointments", body(patient, working_week, in_days(4), 10))
        .status_code
        == 403
    )


def test_the_treatment_schedule_follows_the_contract(api_for, patient_user, patient, sign_session):
    sign_session(patient, in_days(-100))
    sign_session(patient, in_days(-16))
    response = api_for(patient_user).get(f"/patients/{patient.pk}/treatment-schedule")
    assert response.status_code == 200
    data = response.json()
    assert data["last_session"] == in_days(-16).isoformat()
    assert data["next_due"] == in_days(68).isoformat()
    assert data["earliest"] == in_days(68).isoformat()
    assert data["sessions_in_course"] == 2
    assert data["review_due"] == in_days(-100 + 168).isoformat()


def test_a_patient_cannot_read_another_patients_schedule(api_for, patient_user, other_patient):
    assert (
        api_for(patient_user).get(f"/patients/{other_patient.pk}/treatment-schedule").status_code
        == 404
    )


def test_front_desk_reads_the_schedule(api_for, frontdesk, patient):
    data = api_for(frontdesk).get(f"/patients/{patient.pk}/treatment-schedule").json()
    assert data["last_session"] is None
    assert data["status"] == "not_started"


def test_list_cancel_and_move(api_for, frontdesk, working_week, patient):
    client = api_for(frontdesk)
    created = client.post("/appointments", body(patient, working_week, in_days(4), 10)).json()
    listed = client.get(
        "/appointments",
        {
            "start": in_days(4).isoformat(),
            "end": in_days(4).isoformat(),
            "clinician": working_week.pk,
        },
    ).json()
    assert [a["id"] for a in listed] == [created["id"]]
    moved = client.post(
        f"/appointments/{created['id']}/move", {"starts_at": at(in_days(5), 11).isoformat()}
    )
    assert moved.status_code == 200
    assert (
        client.post(f"/appointments/{created['id']}/cancel", {"reason": "ill"}).json()["status"]
        == "cancelled"
    )
    again = client.post(f"/appointments/{created['id']}/cancel", {})
    assert again.status_code == 422
    assert Appointment.objects.get().cancel_reason == "ill"


def test_a_range_too_long_answers_422(api_for, frontdesk):
    response = api_for(frontdesk).get("/appointments", {"start": "2025-01-01", "end": "2025-06-01"})
    assert response.status_code == 422


def test_the_patient_sets_their_reminder_channels(api_for, patient_user, patient):
    client = api_for(patient_user)
    response = client.put(
        f"/patients/{patient.pk}/reminder-preferences",
        {"email_enabled": False, "sms_enabled": True},
    )
    assert response.status_code == 200
    assert client.get(f"/patients/{patient.pk}/reminder-preferences").json() == {
        "email_enabled": False,
        "sms_enabled": True,
    }
