"""The clinic calendar (day and week)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadence.scheduling.tests.conftest import appointment, in_days, signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("view", ["day", "week"])
def test_the_calendar_shows_the_days_appointments(frontdesk, working_week, patient, view):
    appointment(patient, working_week, in_days(1), 9)
    response = signed_in(frontdesk).get(
        reverse("scheduling:calendar"), {"date": in_days(1).isoformat(), "view": view}
    )
    assert response.status_code == 200
    assert patient.full_name in response.content.decode()


def test_the_calendar_is_for_staff_only(patient_user):
    assert signed_in(patient_user).get(reverse("scheduling:calendar")).status_code == 403


def test_the_calendar_survives_a_bad_date(frontdesk):
    assert (
        signed_in(frontdesk).get(reverse("scheduling:calendar"), {"date": "2025-13-45"}).status_code
        == 200
    )
