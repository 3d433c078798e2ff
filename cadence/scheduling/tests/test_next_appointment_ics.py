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
