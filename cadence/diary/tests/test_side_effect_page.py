"""The patient's side-effect page (urgent advice, then the Alerts)."""

from datetime import timedelta

import pytest
from django.urls import reverse

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
    client.post(reverse("diary:alert-acknowledge", kwargs={"report_id": report.pk}))
    report.refresh_from_db()
    assert report.acknowledged_by == clinician and report.acknowledged_at
    assert "Urgent side effects" not in client.get(reverse("diary:alerts")).content.decode()


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
