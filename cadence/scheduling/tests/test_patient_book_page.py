"""Booking a patient's appointment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cadence.scheduling import services
from cadence.scheduling.models import (
    Appointment,
)
from cadence.scheduling.tests.conftest import at, in_days, signed_in

pytestmark = pytest.mark.django_db


def test_front_desk_books_at_the_suggested_date(frontdesk, working_week, patient, sign_session):
    sign_session(patient, in_days(-80))
    client = signed_in(frontdesk)
    url = reverse("scheduling:patient-book", kwargs={"patient_id": patient.pk})
    page = client.get(url)
    assert page.context["suggested"] == in_days(4)
    response = client.post(
        url,
        {
            "kind": "treatment_session",
            "clinician": working_week.pk,
            "day": in_days(4).isoformat(),
            "start_time": "10:00",
        },
    )
    assert response.status_code == 302
    assert Appointment.objects.get().starts_at == at(in_days(4), 10)


def test_booking_before_the_earliest_date_shows_the_reason(
    frontdesk, working_week, patient, sign_session
):
    sign_session(patient, in_days(-80))
    response = signed_in(frontdesk).post(
        reverse("scheduling:patient-book", kwargs={"patient_id": patient.pk}),
        {
            "kind": "treatment_session",
            "clinician": working_week.pk,
            "day": in_days(1).isoformat(),
            "start_time": "10:00",
        },
    )
    assert response.status_code == 200
    assert f"Earliest date is {in_days(4).isoformat()}" in response.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (date(2026, 11, 23), date(2026, 11, 24)),  # Monday -> Tuesday
        (date(2026, 11, 27), date(2026, 11, 30)),  # Friday -> Monday
        (date(2026, 11, 28), date(2026, 11, 30)),  # Saturday -> Monday
    ],
)
def test_a_new_patients_booking_starts_on_the_next_working_day(today, first):
    assert services.next_working_day(today) == first
    assert services.suggested_session_date(earliest=None, next_due=None, today=today) == first
    later = first + timedelta(days=10)
    assert services.suggested_session_date(earliest=None, next_due=later, today=today) == later


def test_the_booking_page_offers_the_next_working_day_for_a_new_patient(
    frontdesk, working_week, patient
):
    page = signed_in(frontdesk).get(
        reverse("scheduling:patient-book", kwargs={"patient_id": patient.pk}) + "?kind=consultation"
    )
    assert page.context["suggested"] == services.next_working_day(in_days(0))
    assert page.context["form"].initial["kind"] == "consultation"
