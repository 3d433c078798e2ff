"""The surgery pages: evaluation (sketch, site table, PAINS), the forms, the nerve-block
note, the outcomes after surgery, the packet and the referral letter (PDF)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.audit.models import AuditEvent
from cadence.surgery.models import DiagnosticTarget, NerveBlock, SurgicalOperation, SurgicalWorkup
from cadence.surgery.tests.helpers import responded_occipital

pytestmark = pytest.mark.django_db


def test_evaluation_page_shows_sketch_sites_and_pains(client, clinician, patient):
    today = timezone.localdate()
    plan, _ = responded_occipital(patient, clinician, today)
    DiagnosticTarget.objects.create(
        plan=plan, trigger_site="occipital", side="left", marked_by=clinician
    )
    client.force_login(clinician)
    page = client.get(f"/patients/{patient.pk}/surgery/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-trigger-site="occipital"' in html  # the sketch marks and the table rows
    assert 'class="trigger-site-mark"' in html
    assert 'data-responded="yes"' in html
    assert 'data-criterion="injectables_improve"' in html
    assert "Surgery-evaluation packet (PDF)" in html


def test_empty_states(client, clinician, patient):
    client.force_login(clinician)
    html = client.get(f"/patients/{patient.pk}/surgery/").content.decode()
    assert "No diagnostic injection or block yet" in html
    assert "No work-up recorded yet" in html
    assert "No targeted plan yet" in html
    outcomes = client.get(f"/patients/{patient.pk}/surgery/outcomes/").content.decode()
    assert "No operation recorded" in outcomes


def test_forms_record_workup_target_block_and_operation(client, clinician, patient):
    today = timezone.localdate()
    plan, _ = responded_occipital(patient, clinician, today)
    client.force_login(clinician)
    base = f"/patients/{patient.pk}/surgery"
    answer = client.post(
        f"{base}/workup/",
        {"trigger_site": "occipital", "pain_point": "yes", "appropriate_symptoms": "yes"},
    )
    assert answer.status_code == 302 and SurgicalWorkup.objects.count() == 1
    answer = client.post(
        f"{base}/plans/{plan.pk}/diagnostic/", {"trigger_site": "occipital", "side": "left"}
    )
    assert answer.status_code == 302 and DiagnosticTarget.objects.count() == 1
    refused = client.post(
        f"{base}/plans/{plan.pk}/diagnostic/", {"trigger_site": "frontal", "side": "left"}
    )
    assert refused.status_code == 422
    assert "The plan injects no site of I Frontal" in refused.content.decode()
    answer = client.post(
        f"{base}/nerve-blocks/",
        {
            "performed_on": today.isoformat(),
            "trigger_site": "lesser_occipital",
            "side": "right",
            "agent": "lidocaine 1%",
            "volume_ml": "1.5",
            "diagnostic": "on",
        },
    )
    block = NerveBlock.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/nerve-blocks/{block.pk}/")
    note = client.get(answer["Location"]).content.decode()
    assert "lesser occipital nerve" in note and "64450" in note
    client.post(f"{base}/nerve-blocks/{block.pk}/sign/")
    block.refresh_from_db()
    assert block.status == "signed"
    answer = client.post(
        f"{base}/operations/",
        {
            "performed_on": today.isoformat(),
            "surgeon": "Dr Guy Surgeon",
            "sites": ["occipital:left"],
            "technique": "decompression",
        },
    )
    assert answer.status_code == 302 and SurgicalOperation.objects.get().sites == [
        {"trigger_site": "occipital", "side": "left"}
    ]
    bad = client.post(f"{base}/operations/", {"performed_on": today.isoformat(), "surgeon": "X"})
    assert bad.status_code == 422


def test_nurse_sees_but_cannot_write(client, nurse, patient):
    client.force_login(nurse)
    html = client.get(f"/patients/{patient.pk}/surgery/").content.decode()
    assert "Record nerve block" not in html
    assert client.post(f"/patients/{patient.pk}/surgery/nerve-blocks/", {}).status_code == 403


def test_outcomes_page(client, clinician, patient):
    today = timezone.localdate()
    SurgicalOperation.objects.create(
        patient=patient,
        performed_on=today - timedelta(days=100),
        surgeon="Dr Guy Surgeon",
        sites=[{"trigger_site": "occipital", "side": "both"}],
        recorded_by=clinician,
    )
    client.force_login(clinician)
    html = client.get(f"/patients/{patient.pk}/surgery/outcomes/").content.decode()
    assert "Dr Guy Surgeon" in html and "IV Occipital (both)" in html
    assert 'data-months="3"' in html and 'data-months="12"' in html
    assert "not yet ended" in html


@pytest.mark.parametrize("which", ["packet", "referral"])
def test_pdfs(client, clinician, patient, which):
    today = timezone.localdate()
    plan, _ = responded_occipital(patient, clinician, today)
    DiagnosticTarget.objects.create(
        plan=plan, trigger_site="occipital", side="left", marked_by=clinician
    )
    client.force_login(clinician)
    answer = client.get(f"/patients/{patient.pk}/surgery/{which}.pdf")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", patient_id_ref=patient.pk).exists()


def test_the_patient_record_links_to_the_evaluation(client, clinician, patient):
    client.force_login(clinician)
    for page in (f"/patients/{patient.pk}/record/", f"/outcomes/patients/{patient.pk}/"):
        html = client.get(page).content.decode()
        assert f'href="/patients/{patient.pk}/surgery/"' in html, page


def test_clinic_surgery_outcomes(client, clinician, patient, frontdesk):
    from cadence.surgery.tests.helpers import diary_window

    today = timezone.localdate()
    operated = today - timedelta(days=120)
    diary_window(patient, operated - timedelta(days=28), 28, 14)
    for block in range(4):
        diary_window(patient, operated + timedelta(days=28 * block), 28, 2)
    SurgicalOperation.objects.create(
        patient=patient,
        performed_on=operated,
        surgeon="Dr S",
        sites=[{"trigger_site": "occipital", "side": "both"}],
        recorded_by=clinician,
    )
    client.force_login(clinician)
    html = client.get("/patients/surgery-outcomes/").content.decode()
    three = html.split('data-months="3"')[1].split("</tr>")[0]
    assert "1 (100.0%)" in three
    assert "none measurable yet" in html.split('data-months="6"')[1].split("</tr>")[0]
    client.force_login(frontdesk)
    assert client.get("/patients/surgery-outcomes/").status_code == 403


def test_the_dashboard_links_to_surgery_outcomes(client, clinician):
    client.force_login(clinician)
    assert (
        'href="/patients/surgery-outcomes/"' in client.get("/outcomes/dashboard/").content.decode()
    )
