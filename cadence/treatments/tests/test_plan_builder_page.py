"""The plan builder."""

import pytest

from cadence.treatments import services
from cadence.treatments.models import TreatmentPlan
from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db


def test_builder_toggles_sites_through_the_url(client, clinician, patient):
    login(client, clinician)
    url = f"/treatments/patients/{patient.pk}/plans/new/?template=preempt&site=temporalis_left_ftp_1&site=occipitalis_right_ftp_1"
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<strong>165 U</strong> at 33 sites" in text
    assert "<svg" in text and "data-site-toggle" in text and "<html" not in text


def test_saving_the_builder_creates_the_plan(client, clinician, patient):
    login(client, clinician)
    response = client.post(
        f"/treatments/patients/{patient.pk}/plans/new/",
        {"template": "preempt", "site": ["trapezius_left_ftp_1"]},
    )
    plan = TreatmentPlan.objects.get()
    assert response.status_code == 302 and plan.total_units == 160


def test_a_plan_the_window_refuses_is_not_saved_and_says_why(client, clinician, patient, today):
    services.other_toxin_treatment_record(
        patient=patient, given_on=today, units=300, indication="Spasticity", recorded_by=clinician
    )
    login(client, clinician)
    response = client.post(f"/treatments/patients/{patient.pk}/plans/new/", {"template": "preempt"})
    assert response.status_code == 200
    assert b"55 U over the 400 U limit" in response.content
    assert not TreatmentPlan.objects.exists()
