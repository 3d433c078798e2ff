"""Letters and packets carry the clinic's letterhead (name, address and phone from the
settings) and the referrer's name; a patient without data gets no empty chart (issue 19)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cadence.outcomes.tests.factories import build_story

pytestmark = pytest.mark.django_db


def _pdf_text(client, name, patient) -> str:
    response = client.get(reverse(f"outcomes:{name}", kwargs={"patient_id": patient.pk}))
    assert response["Content-Type"] == "application/pdf"
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


@pytest.mark.parametrize("name", ["progress-report", "referrer-letter", "continuation-packet"])
def test_every_document_has_the_clinic_letterhead(clinician_client, patient, settings, name):
    settings.CLINIC_NAME = "Northside Headache Clinic"
    settings.CADENCE_CLINIC_ADDRESS = "12 Harbour Road|Springfield, IL 62701"
    settings.CADENCE_CLINIC_PHONE = "+1 217 555 0142"
    build_story(patient, timezone.localdate(), kind="responder", sessions=2)
    text = " ".join(_pdf_text(clinician_client, name, patient).split())
    assert "Northside Headache Clinic · 12 Harbour Road · Springfield, IL 62701" in text
    assert "+1 217 555 0142" in text


def test_the_referrer_letter_is_addressed_to_the_referrer(clinician_client, patient):
    patient.referring_clinician = "Dr Mara Quill, Elm Street Practice"
    patient.save(update_fields=["referring_clinician"])
    build_story(patient, timezone.localdate(), kind="responder", sessions=2)
    text = " ".join(_pdf_text(clinician_client, "referrer-letter", patient).split())
    assert "To: Dr Mara Quill, Elm Street Practice" in text
    assert "Dear Dr Mara Quill, Elm Street Practice," in text


def test_a_patient_without_data_gets_no_empty_chart(clinician_client, patient):
    text = _pdf_text(clinician_client, "progress-report", patient)
    assert "No chart yet" in text
    assert "Headache days (solid" not in text  # no caption of a chart that isn't there
