"""The plan review and its consent form."""

import pytest

from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db


def test_consent_is_recorded_from_the_plan_review(client, nurse, patient, preempt_plan):
    login(client, nurse)
    page = client.get(f"/treatments/patients/{patient.pk}/plans/{preempt_plan.pk}/")
    assert b"about 4 hours" in page.content and b"week 6" in page.content
    response = client.post(
        f"/treatments/patients/{patient.pk}/plans/{preempt_plan.pk}/consent/",
        {"consent_given_by": "Patient", "reviewed": "on"},
    )
    assert response.status_code == 302
    preempt_plan.refresh_from_db()
    assert preempt_plan.consent_recorded_by == nurse
