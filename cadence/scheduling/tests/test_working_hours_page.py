"""The working-hours page (admin only)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadence.scheduling.tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_admin_adds_working_hours(admin_user, clinician):
    signed_in(admin_user).post(
        reverse("scheduling:working-hours"),
        {"clinician": clinician.pk, "weekday": 0, "starts": "08:00", "ends": "12:00"},
    )
    assert clinician.working_hours.count() == 1


def test_front_desk_cannot_change_working_hours(frontdesk, clinician):
    response = signed_in(frontdesk).post(
        reverse("scheduling:working-hours"),
        {"clinician": clinician.pk, "weekday": 0, "starts": "08:00", "ends": "12:00"},
    )
    assert response.status_code == 403
    assert clinician.working_hours.count() == 0
