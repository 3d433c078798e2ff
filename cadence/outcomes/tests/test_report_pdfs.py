"""The PDFs: progress report, referrer letter, continuation packet."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cadence.audit.models import AuditEvent
from cadence.outcomes.tests.factories import build_story, session

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["progress-report", "referrer-letter", "continuation-packet"])
def test_each_report_is_a_real_pdf_and_audited_as_export(clinician_client, patient, name):
    build_story(patient, timezone.localdate(), kind="responder", sessions=2)
    response = clinician_client.get(reverse(f"outcomes:{name}", kwargs={"patient_id": patient.pk}))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert patient.full_name in text
    assert AuditEvent.objects.filter(action="export", patient_id_ref=patient.pk).exists()


def test_the_continuation_packet_says_not_recorded_for_missing_data(clinician_client, patient):
    session(patient, timezone.localdate() - timedelta(days=10))
    response = clinician_client.get(
        reverse("outcomes:continuation-packet", kwargs={"patient_id": patient.pk})
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "not recorded" in text
    assert "155" in text


def test_front_desk_may_not_download_reports(client, frontdesk, patient):
    client.force_login(frontdesk)
    assert (
        client.get(
            reverse("outcomes:progress-report", kwargs={"patient_id": patient.pk})
        ).status_code
        == 403
    )
