"""The patient's reminder preferences."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadence.scheduling.models import (
    ReminderPreference,
)
from cadence.scheduling.tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_patient_opts_out_of_text_reminders(patient_user, patient):
    client = signed_in(patient_user)
    assert client.get(reverse("scheduling:reminder-preferences")).status_code == 200
    client.post(reverse("scheduling:reminder-preferences"), {"email_enabled": "on"})
    preference = ReminderPreference.objects.get(patient=patient)
    assert (preference.email_enabled, preference.sms_enabled) == (True, False)
