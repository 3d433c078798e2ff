"""The demographics form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_front_desk_edits_demographics(client, frontdesk, patient):
    client.force_login(frontdesk)
    response = client.post(
        f"/patients/{patient.pk}/demographics/",
        {
            "first_name": "Pat",
            "last_name": "Owner",
            "date_of_birth": "1985-04-12",
            "sex": "female",
            "email": "pat@example.com",
            "phone": "202 555 0100",
            "referring_clinician": "Dr Gale, Elm St",
        },
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.phone, patient.referring_clinician) == ("+12025550100", "Dr Gale, Elm St")
    assert AuditEvent.objects.filter(action="change", patient_id_ref=patient.pk).exists()


def test_bad_demographics_are_refused(client, frontdesk, patient):
    client.force_login(frontdesk)
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        f"/patients/{patient.pk}/demographics/",
        {
            "first_name": "",
            "last_name": "Owner",
            "date_of_birth": future,
            "sex": "female",
            "phone": "12",
        },
    )
    page = response.content.decode()
    assert "must be in the past" in page and "valid phone" in page
    patient.refresh_from_db()
    assert patient.first_name == "Pat"
