"""The patient record, by role."""

from __future__ import annotations

import pytest

from cadence.audit.models import AuditEvent
from cadence.patients.models import Diagnosis

pytestmark = pytest.mark.django_db


def test_front_desk_sees_demographics_but_not_clinical_data(client, frontdesk, patient, clinician):
    Diagnosis.objects.create(patient=patient, icd10_code="G43.709", neurologist="Dr Secret")
    client.force_login(frontdesk)
    page = client.get(f"/patients/{patient.pk}/record/").content.decode()
    assert "Pat Owner" in page and "Dr Secret" not in page
    assert client.get(f"/patients/{patient.pk}/candidacy/").status_code == 403
    assert client.get(f"/patients/{patient.pk}/history/").status_code == 403
    assert AuditEvent.objects.filter(action="view", patient_id_ref=patient.pk).exists()


def test_a_missing_patient_is_404(client, clinician):
    client.force_login(clinician)
    assert client.get("/patients/99999/record/").status_code == 404
