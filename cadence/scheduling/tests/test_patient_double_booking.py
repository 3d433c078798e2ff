"""A patient can't be in two rooms at once: the service, the database, the API and the
booking page refuse two live appointments of one patient that overlap (issue 19)."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cadence.accounts.validation import CONFLICT, refusal_codes
from cadence.scheduling.models import Appointment, AppointmentKind, WorkingHours
from cadence.scheduling.services import appointment_book, appointment_cancel, appointment_move
from cadence.scheduling.tests.conftest import at, in_days, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_clinician(make_user):
    other = make_user("t_clinician2", "clinician", first_name="Sam", last_name="Second")
    WorkingHours.objects.bulk_create(
        [WorkingHours(clinician=other, weekday=d, starts=time(8), ends=time(18)) for d in range(7)]
    )
    return other


def book(patient, clinician, actor, day, hour, minute=0, kind=AppointmentKind.CONSULTATION):
    return appointment_book(
        patient=patient,
        clinician=clinician,
        kind=kind,
        starts_at=at(day, hour, minute),
        actor=actor,
    )


def test_it_refuses_the_same_patient_with_two_clinicians_at_once(
    working_week, second_clinician, patient, frontdesk
):
    book(patient, working_week, frontdesk, in_days(3), 9)
    with pytest.raises(ValidationError) as caught:
        book(patient, second_clinician, frontdesk, in_days(3), 9, 30)
    assert refusal_codes(caught.value) == {CONFLICT}
    message = caught.value.message_dict["starts_at"][0]
    assert message.startswith("The patient already has an appointment with Cleo Clinician")
    assert message.endswith("that overlaps this time.")
    assert Appointment.objects.count() == 1


def test_back_to_back_with_two_clinicians_is_fine(
    working_week, second_clinician, patient, frontdesk
):
    book(patient, working_week, frontdesk, in_days(3), 9)  # 45 minutes
    assert book(patient, second_clinician, frontdesk, in_days(3), 9, 45).pk


def test_a_cancelled_appointment_frees_the_patient(
    working_week, second_clinician, patient, frontdesk
):
    first = book(patient, working_week, frontdesk, in_days(3), 9)
    appointment_cancel(appointment=first, actor=frontdesk)
    assert book(patient, second_clinician, frontdesk, in_days(3), 9).pk


def test_a_move_onto_the_patients_other_appointment_is_refused(
    working_week, second_clinician, patient, frontdesk
):
    book(patient, working_week, frontdesk, in_days(3), 9)
    later = book(patient, second_clinician, frontdesk, in_days(3), 11)
    with pytest.raises(ValidationError) as caught:
        appointment_move(appointment=later, starts_at=at(in_days(3), 9, 15), actor=frontdesk)
    assert refusal_codes(caught.value) == {CONFLICT}
    later.refresh_from_db()
    assert later.starts_at == at(in_days(3), 11)


def test_the_database_itself_refuses_a_patient_overlap(working_week, second_clinician, patient):
    Appointment.objects.create(
        patient=patient,
        clinician=working_week,
        kind="consultation",
        starts_at=at(in_days(3), 9),
        ends_at=at(in_days(3), 10),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            patient=patient,
            clinician=second_clinician,
            kind="consultation",
            starts_at=at(in_days(3), 9, 30),
            ends_at=at(in_days(3), 10, 30),
        )


def test_the_database_refuses_an_update_that_makes_a_patient_overlap(
    working_week, second_clinician, patient
):
    Appointment.objects.create(
        patient=patient,
        clinician=working_week,
        kind="consultation",
        starts_at=at(in_days(3), 9),
        ends_at=at(in_days(3), 10),
    )
    later = Appointment.objects.create(
        patient=patient,
        clinician=second_clinician,
        kind="consultation",
        starts_at=at(in_days(3), 11),
        ends_at=at(in_days(3), 12),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.filter(pk=later.pk).update(starts_at=at(in_days(3), 9, 30))


def _api_body(patient, clinician, day, hour, minute=0):
    return {
        "patient": patient.pk,
        "clinician": clinician.pk,
        "kind": "consultation",
        "starts_at": at(day, hour, minute).isoformat(),
    }


def test_the_api_answers_409_for_the_patients_overlap(
    api_for, frontdesk, working_week, second_clinician, patient
):
    client = api_for(frontdesk)
    first = client.post("/appointments", _api_body(patient, working_week, in_days(4), 10))
    assert first.status_code == 201, first.content
    response = client.post(
        "/appointments", _api_body(patient, second_clinician, in_days(4), 10, 15)
    )
    assert response.status_code == 409
    detail = response.json()["detail"][0]
    assert detail["loc"][-1] == "starts_at"
    assert "The patient already has an appointment" in detail["msg"]


def test_the_api_answers_409_for_a_move_onto_the_patients_other_appointment(
    api_for, frontdesk, working_week, second_clinician, patient
):
    client = api_for(frontdesk)
    client.post("/appointments", _api_body(patient, working_week, in_days(4), 10))
    later = client.post("/appointments", _api_body(patient, second_clinician, in_days(4), 14))
    response = client.post(
        f"/appointments/{later.json()['id']}/move",
        {"starts_at": at(in_days(4), 10, 30).isoformat()},
    )
    assert response.status_code == 409
    assert "The patient already has an appointment" in response.json()["detail"][0]["msg"]


def test_the_booking_page_says_so_in_a_whole_sentence(
    frontdesk, working_week, second_clinician, patient
):
    book(patient, working_week, frontdesk, in_days(4), 10)
    response = signed_in(frontdesk).post(
        reverse("scheduling:patient-book", kwargs={"patient_id": patient.pk}),
        {
            "kind": "follow_up",
            "clinician": second_clinician.pk,
            "day": in_days(4).isoformat(),
            "start_time": "10:30",
        },
    )
    assert response.status_code == 200
    assert "The patient already has an appointment with Cleo Clinician at" in (
        response.content.decode()
    )
    assert Appointment.objects.count() == 1
