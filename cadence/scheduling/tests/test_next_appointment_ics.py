"""The patient's next appointment as an .ics file."""

from __future__ import annotations

import pytest
from django.urls import reverse
from icalendar import Calendar

from cadence.scheduling.tests.conftest import appointment, at, in_days, signed_in

pytestmark = pytest.mark.django_db


def test_the_patient_downloads_their_next_appointment(patient_user, patient, working_week):
    appointment(patient, working_week, in_days(5), 9)
    response = signed_in(patient_user).get(
        reverse("scheduling:patient-next-appointment-ics", kwargs={"patient_id": patient.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == at(in_days(5), 9)


def test_a_patient_cannot_download_another_patients_appointment(
    patient_user, other_patient, working_week
):
    appointment(other_patient, working_week, in_days(5), 9)
    response = signed_in(patient_user).get(
        reverse("scheduling:patient-next-appointment-ics", kwargs={"patient_id": other_patient.pk})
    )
    assert response.status_code == 404


def test_dtstamp_is_the_last_revision_and_sequence_counts_moves(
    patient_user, patient, working_week, clinician, settings
):
    from cadence.scheduling.services import appointment_move

    booked = appointment(patient, working_week, in_days(5), 9)
    url = reverse("scheduling:patient-next-appointment-ics", kwargs={"patient_id": patient.pk})
    client = signed_in(patient_user)
    first, second = client.get(url).content, client.get(url).content
    assert first == second  # stable between fetches
    (event,) = Calendar.from_ical(first).walk("VEVENT")
    assert event.decoded("sequence") == 0
    assert event.decoded("dtstamp") == event.decoded("last-modified")
    assert str(event["uid"]) == f"appointment-{booked.pk}@cadence.invalid"
    appointment_move(appointment=booked, starts_at=at(in_days(6), 10), actor=clinician)
    (moved,) = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert moved.decoded("sequence") == 1
    assert moved.decoded("dtstamp") >= event.decoded("dtstamp")
    assert str(moved["uid"]) == str(event["uid"])
    settings.CADENCE_CALENDAR_DOMAIN = "clinic.example"
    (qualified,) = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert str(qualified["uid"]) == f"appointment-{booked.pk}@clinic.example"
