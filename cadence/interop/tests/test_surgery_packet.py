"""The surgery-evaluation packet as a FHIR document Bundle, validated with fhir.resources."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from cadence.audit.models import AuditEvent
from cadence.interop.surgery_packet import surgery_packet_bundle
from cadence.surgery.models import DiagnosticTarget, NerveBlock
from cadence.surgery.tests.helpers import responded_occipital

pytestmark = pytest.mark.django_db


def test_packet_bundle_is_a_valid_document(clinician, patient):
    today = timezone.localdate()
    plan, injected = responded_occipital(patient, clinician, today)
    DiagnosticTarget.objects.create(
        plan=plan, trigger_site="occipital", side="left", marked_by=clinician
    )
    NerveBlock.objects.create(
        patient=patient,
        performed_on=today - timedelta(days=5),
        trigger_site="occipital",
        nerve="greater occipital nerve",
        side="left",
        agent="lidocaine 1%",
        volume_ml=2,
        billing=[{"code": "64405", "units": 1, "modifier": ""}],
        clinician=clinician,
    )
    bundle = surgery_packet_bundle(patient, today=today)
    Bundle.model_validate(bundle)
    assert bundle["type"] == "document"
    resources = [e["resource"] for e in bundle["entry"]]
    assert resources[0]["resourceType"] == "Composition"
    titles = [s["title"] for s in resources[0]["section"]]
    assert titles[:4] == [
        "Surgery candidacy (PAINS)",
        "Pain sketch",
        "Site-level response to diagnostic injections and blocks",
        "Botox history",
    ]
    ids = {f"{r['resourceType']}/{r['id']}" for r in resources}
    for section in resources[0]["section"]:
        for ref in section.get("entry", []):
            assert ref["reference"] in ids  # every section entry is in the bundle
    [site] = [r for r in resources if r["id"].startswith("site-response-")]
    assert site["valueBoolean"] is True
    assert site["bodySite"]["coding"][0]["code"] == "occipital"
    pains = [r for r in resources if r["id"].startswith("pains-")]
    assert len(pains) == 5
    blocks = [r for r in resources if r["id"].startswith("nerve-block-")]
    assert blocks[0]["code"]["coding"][0]["code"] == "64405"


def test_packet_api(api_for, clinician, nurse, frontdesk, patient):
    assert api_for(frontdesk).get(f"/patients/{patient.pk}/surgery-packet").status_code == 403
    answer = api_for(nurse).get(f"/patients/{patient.pk}/surgery-packet")
    assert answer.status_code == 200
    body = answer.json()
    assert body["resourceType"] == "Bundle" and body["type"] == "document"
    # No diagnostic injection yet: the section says so.
    composition = body["entry"][0]["resource"]
    sites = next(s for s in composition["section"] if s["title"].startswith("Site-level"))
    assert sites["emptyReason"]["text"] == "No diagnostic injection or block yet"
    assert AuditEvent.objects.filter(action="export", patient_id_ref=patient.pk).exists()
