"""Issue 21, finding 10: a patient reading another patient's Condition, AdverseEvent or
Appointment id gets exactly the answer a missing id gets (no existence oracle)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.diary.models import SideEffectReport
from cadence.patients.models import Diagnosis
from cadence.scheduling.models import Appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def others_records(other_patient, clinician):
    starts = timezone.now() + timedelta(days=3)
    return {
        "Condition": f"diagnosis-{Diagnosis.objects.create(patient=other_patient, icd10_code='G43.709').pk}",
        "AdverseEvent": "side-effect-"
        + str(
            SideEffectReport.objects.create(
                patient=other_patient,
                effect="neck_pain",
                severity="mild",
                onset_on=timezone.localdate(),
            ).pk
        ),
        "Appointment": "appointment-"
        + str(
            Appointment.objects.create(
                patient=other_patient,
                clinician=clinician,
                kind="consultation",
                starts_at=starts,
                ends_at=starts + timedelta(minutes=45),
            ).pk
        ),
    }


@pytest.mark.parametrize("resource_type", ["Condition", "AdverseEvent", "Appointment"])
def test_another_patients_resource_reads_like_a_missing_one(
    api_for, patient_user, others_records, resource_type
):
    api = api_for(patient_user)
    existing = others_records[resource_type]
    prefix, _, _pk = existing.rpartition("-")
    theirs = api.get(f"/fhir/r4/{resource_type}/{existing}")
    missing = api.get(f"/fhir/r4/{resource_type}/{prefix}-987654321")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
