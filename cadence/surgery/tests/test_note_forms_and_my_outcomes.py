"""The nerve-block note's page forms (amend a signed note, void a draft: reason required,
audited) and the patient's own read-only view of their outcomes after surgery."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.audit.models import AuditEvent
from cadence.outcomes import report_sections
from cadence.surgery import services
from cadence.surgery.models import NerveBlock, NerveBlockAmendment, SurgicalOperation
from cadence.surgery.tests.helpers import diary_window

pytestmark = pytest.mark.django_db


def a_block(patient, clinician, *, sign: bool) -> NerveBlock:
    block = services.nerve_block_record(
        patient=patient,
        clinician=clinician,
        performed_on=timezone.localdate(),
        trigger_site="occipital",
        side="left",
        agent="lidocaine 1%",
        volume_ml=Decimal("2.5"),
    )
    if sign:
        services.nerve_block_sign(block=block, signed_by=clinician)
    block.refresh_from_db()
    return block


def note_url(patient, block, what: str = "") -> str:
    return f"/patients/{patient.pk}/surgery/nerve-blocks/{block.pk}/{what}"


# --- amend ----------------------------------------------------------------------------------
def test_a_signed_note_is_amended_with_a_reason(client, clinician, patient):
    block = a_block(patient, clinician, sign=True)
    client.force_login(clinician)
    note = client.get(note_url(patient, block)).content.decode()
    assert 'data-testid="amend-link"' in note and "Void the draft" not in note
    form = client.get(note_url(patient, block, "amend/"))
    assert form.status_code == 200
    assert 'value="lidocaine 1%"' in form.content.decode()  # the note as signed, to change
    fields = {"agent": "lidocaine 1%", "volume_ml": "3", "notes": ""}
    refused = client.post(note_url(patient, block, "amend/"), {**fields, "reason": "  "})
    assert refused.status_code == 422 and "This field is required." in refused.content.decode()
    assert not NerveBlockAmendment.objects.exists()
    answer = client.post(note_url(patient, block, "amend/"), {**fields, "reason": "volume misread"})
    assert answer.status_code == 302 and answer["Location"] == note_url(patient, block)
    block.refresh_from_db()
    assert block.volume_ml == Decimal("3.00")
    amendment = NerveBlockAmendment.objects.get()
    assert amendment.reason == "volume misread" and amendment.amended_by == clinician
    assert amendment.changes == {"volume_ml": {"before": "2.50", "after": "3.00"}}
    assert block.signed_note["volume_ml"] == "2.50"  # the signed original is kept
    assert AuditEvent.objects.filter(
        patient_id_ref=patient.pk, summary__startswith="Nerve-block note amended"
    ).exists()
    assert "volume misread" in client.get(note_url(patient, block)).content.decode()


def test_an_amendment_that_changes_nothing_is_refused_on_the_form(client, clinician, patient):
    block = a_block(patient, clinician, sign=True)
    client.force_login(clinician)
    answer = client.post(
        note_url(patient, block, "amend/"),
        {"agent": "lidocaine 1%", "volume_ml": "2.5", "notes": "", "reason": "checking"},
    )
    assert answer.status_code == 422
    assert "Nothing was changed: the amendment would be empty." in answer.content.decode()
    assert not NerveBlockAmendment.objects.exists()


def test_a_draft_is_not_amended(client, clinician, patient):
    block = a_block(patient, clinician, sign=False)
    client.force_login(clinician)
    answer = client.get(note_url(patient, block, "amend/"), follow=True)
    assert "Only a signed note is amended; sign it first." in answer.content.decode()
    assert 'data-testid="amend-link"' not in answer.content.decode()


# --- void -----------------------------------------------------------------------------------
def test_a_draft_is_voided_with_a_reason(client, clinician, patient):
    block = a_block(patient, clinician, sign=False)
    client.force_login(clinician)
    assert "Void the draft" in client.get(note_url(patient, block)).content.decode()
    refused = client.post(note_url(patient, block, "void/"), {"reason": ""})
    assert refused.status_code == 422 and "This field is required." in refused.content.decode()
    block.refresh_from_db()
    assert block.status == "draft"
    answer = client.post(note_url(patient, block, "void/"), {"reason": "wrong patient"})
    assert answer.status_code == 302
    block.refresh_from_db()
    assert block.status == "voided" and block.void_reason == "wrong patient"
    assert AuditEvent.objects.filter(
        patient_id_ref=patient.pk, summary="Draft nerve-block note voided: wrong patient"
    ).exists()
    note = client.get(note_url(patient, block)).content.decode()
    assert "Voided: wrong patient" in note and "Void the draft" not in note


def test_a_signed_note_is_not_voided(client, clinician, patient):
    block = a_block(patient, clinician, sign=True)
    client.force_login(clinician)
    answer = client.post(note_url(patient, block, "void/"), {"reason": "oops"})
    assert answer.status_code == 422
    assert "Only a draft note can be voided" in answer.content.decode()
    block.refresh_from_db()
    assert block.status == "signed"


def test_a_nurse_neither_amends_nor_voids(client, clinician, nurse, patient):
    draft = a_block(patient, clinician, sign=False)
    signed = a_block(patient, clinician, sign=True)
    client.force_login(nurse)
    assert "Void the draft" not in client.get(note_url(patient, draft)).content.decode()
    assert client.post(note_url(patient, draft, "void/"), {"reason": "x"}).status_code == 403
    assert client.get(note_url(patient, signed, "amend/")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


# --- the patient's own outcomes ----------------------------------------------------------
def operation_for(patient, clinician, *, days_ago: int = 120) -> SurgicalOperation:
    operated = timezone.localdate() - timedelta(days=days_ago)
    diary_window(patient, operated - timedelta(days=28), 28, 14)
    for block in range(days_ago // 28):
        diary_window(patient, operated + timedelta(days=28 * block), 28, 2)
    return SurgicalOperation.objects.create(
        patient=patient,
        performed_on=operated,
        surgeon="Dr Guy Surgeon",
        sites=[{"trigger_site": "occipital", "side": "both"}],
        recorded_by=clinician,
    )


def test_the_patient_sees_their_outcomes_after_surgery(client, clinician, patient, patient_user):
    operation_for(patient, clinician)
    client.force_login(patient_user)
    page = client.get(reverse("surgery:my-outcomes"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dr Guy Surgeon" in html and "IV Occipital (both)" in html
    three = html.split('data-months="3"')[1].split("</tr>")[0]
    assert "86% fewer headache days" in three and "the operation's aim" in three
    assert "not reached yet" in html.split('data-months="6"')[1].split("</tr>")[0]
    assert "<form" not in html.split("<main")[-1]  # read-only
    assert AuditEvent.objects.filter(
        patient_id_ref=patient.pk, summary="Viewed own outcomes after surgery"
    ).exists()
    # My progress leads there, for a patient with an operation
    progress = client.get(reverse("outcomes:my-progress")).content.decode()
    assert 'href="/patients/my-surgery-outcomes/"' in progress


def test_another_patient_sees_only_their_own(
    client, clinician, patient, other_patient, other_patient_user
):
    operation_for(patient, clinician)
    client.force_login(other_patient_user)
    html = client.get(reverse("surgery:my-outcomes")).content.decode()
    assert 'data-testid="my-surgery-empty"' in html
    assert "Dr Guy Surgeon" not in html and patient.full_name not in html
    progress = client.get(reverse("outcomes:my-progress")).content.decode()
    assert 'data-testid="my-surgery-section"' not in progress
    # nor the clinician's page of the first patient, nor the API list
    assert client.get(f"/patients/{patient.pk}/surgery/outcomes/").status_code == 403


def test_staff_do_not_use_the_patients_page(client, clinician, nurse):
    for user in (clinician, nurse):
        client.force_login(user)
        assert client.get(reverse("surgery:my-outcomes")).status_code == 403


def test_surgery_registers_its_progress_section():
    assert "surgery" in report_sections._PROGRESS_PROVIDERS
