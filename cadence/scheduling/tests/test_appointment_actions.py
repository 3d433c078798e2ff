"""An appointment's actions: move, cancel, no-show."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadence.scheduling.models import (
    AppointmentStatus,
)
from cadence.scheduling.tests.conftest import appointment, at, in_days, signed_in

pytestmark = pytest.mark.django_db


def test_appointment_actions(frontdesk, working_week, patient):
    booked = appointment(patient, working_week, in_days(2), 9)
    client = signed_in(frontdesk)
    client.post(
        reverse("scheduling:appointment-move", kwargs={"appointment_id": booked.pk}),
        {"day": in_days(3).isoformat(), "start_time": "11:00"},
    )
    booked.refresh_from_db()
    assert booked.starts_at == at(in_days(3), 11)
    client.post(
        reverse("scheduling:appointment-cancel", kwargs={"appointment_id": booked.pk}),
        {"reason": "ill"},
    )
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED


def test_a_no_show_is_recorded_only_after_the_start(frontdesk, working_week, patient):
    future = appointment(patient, working_week, in_days(2), 9)
    signed_in(frontdesk).post(
        reverse("scheduling:appointment-no-show", kwargs={"appointment_id": future.pk})
    )
    future.refresh_from_db()
    assert future.status == AppointmentStatus.BOOKED
    past = appointment(patient, working_week, in_days(-2), 9)
    signed_in(frontdesk).post(
        reverse("scheduling:appointment-no-show", kwargs={"appointment_id": past.pk})
    )
    past.refresh_from_db()
    assert past.status == AppointmentStatus.NO_SHOW
