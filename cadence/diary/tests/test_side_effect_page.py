"""The patient's side-effect page (urgent advice, then the Alerts)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cadence.audit.models import AuditEvent
from cadence.diary.models import SideEffectReport
from cadence.diary.tests.conftest import today

pytestmark = pytest.mark.django_db


def test_an_urgent_report_shows_advice_and_appears_on_the_alerts(
    client, patient_user, clinician, patient
):
    client.force_login(patient_user)
    response = client.post(
        reverse("diary:side-effect-list"),
        {"effect": "difficulty_breathing", "severity": "moderate", "onset_on": today().isoformat()},
        follow=True,
    )
    assert "Seek medical care now" in response.content.decode()
    client.force_login(clinician)
    alerts = client.get(reverse("diary:alerts")).content.decode()
    assert "Urgent side effects (1)" in alerts and "Difficulty breathing" in alerts
    report = SideEffectReport.objects.get()
    client.post(
        reverse("diary:alert-acknowledge", kwargs={"report_id": report.pk}),
        {"note": "Called the patient; advised the emergency department."},
    )
    report.refresh_from_db()
    assert report.acknowledged_by == clinician and report.acknowledged_at
    assert "Urgent side effects" not in client.get(reverse("diary:alerts")).content.decode()


def test_acknowledging_asks_what_was_done_and_keeps_it_audited(client, clinician, patient):
    patient.phone = "(201) 555-0142"
    patient.save(update_fields=["phone"])
    report = SideEffectReport.objects.create(
        patient=patient, effect="blurred_vision", severity="mild", onset_on=today(), urgent=True
    )
    client.force_login(clinician)
    page = client.get(reverse("diary:alert-detail", kwargs={"report_id": report.pk}))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'href="tel:2015550142"' in text and "(201) 555-0142" in text
    assert "What was done?" in text
    assert AuditEvent.objects.filter(summary="Side-effect alert viewed").exists()

    refused = client.post(
        reverse("diary:alert-acknowledge", kwargs={"report_id": report.pk}), {"note": "   "}
    )
    assert refused.status_code == 422
    assert "Write what was done" in refused.content.decode()
    report.refresh_from_db()
    assert report.acknowledged_at is None

    client.post(
        reverse("diary:alert-acknowledge", kwargs={"report_id": report.pk}),
        {"note": "Called: vision settling, seen by optometry today."},
    )
    report.refresh_from_db()
    assert report.acknowledged_by == clinician
    assert report.acknowledgement_note == "Called: vision settling, seen by optometry today."
    entry = AuditEvent.objects.get(summary__startswith="Side-effect alert acknowledged")
    assert entry.details["note"] == report.acknowledgement_note
    shown = client.get(reverse("diary:alert-detail", kwargs={"report_id": report.pk}))
    assert "vision settling" in shown.content.decode()


def test_the_dashboard_alert_shows_the_patients_phone(client, clinician, patient):
    patient.phone = "(201) 555-0142"
    patient.save(update_fields=["phone"])
    SideEffectReport.objects.create(
        patient=patient, effect="voice_change", severity="mild", onset_on=today(), urgent=True
    )
    client.force_login(clinician)
    alerts = client.get(reverse("diary:alerts")).content.decode()
    assert 'href="tel:2015550142"' in alerts


def test_a_common_effect_reported_severe_is_urgent_on_the_page(client, patient_user):
    client.force_login(patient_user)
    response = client.post(
        reverse("diary:side-effect-list"),
        {"effect": "eyelid_ptosis", "severity": "severe", "onset_on": today().isoformat()},
        follow=True,
    )
    assert SideEffectReport.objects.get().urgent
    assert "Seek medical care now" in response.content.decode()


def test_a_side_effect_in_the_future_is_refused(client, patient_user):
    client.force_login(patient_user)
    response = client.post(
        reverse("diary:side-effect-list"),
        {
            "effect": "rash",
            "severity": "mild",
            "onset_on": (today() + timedelta(days=2)).isoformat(),
        },
    )
    assert (
        response.status_code == 422 and "can&#x27;t be in the future" in response.content.decode()
    )
    assert not SideEffectReport.objects.exists()


def test_the_patient_cannot_see_another_patients_report_advice(client, patient_user, other_patient):
    report = SideEffectReport.objects.create(
        patient=other_patient,
        effect="double_vision",
        severity="mild",
        onset_on=today(),
        urgent=True,
    )
    client.force_login(patient_user)
    response = client.get(reverse("diary:side-effect-list"), {"report": report.pk})
    assert response.context["just_reported"] is None
