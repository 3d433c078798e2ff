"""The procedure note as a PDF."""

import io

import pytest
from pypdf import PdfReader

from cadence.audit.models import AuditEvent
from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_pdf_contains_the_head_map(client, clinician, patient, signed_procedure):
    login(client, clinician)
    response = client.get(
        f"/treatments/patients/{patient.pk}/procedures/{signed_procedure.pk}/pdf/"
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Front" in text and "Back" in text and "Follow-the-pain site" in text
    assert "Total 155 U at 31 sites" in text
    assert AuditEvent.objects.filter(action="export", patient_id_ref=patient.pk).exists()
