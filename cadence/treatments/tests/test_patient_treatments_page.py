"""A patient's treatments overview."""

import pytest

from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db


def test_overview_lists_plans_and_procedures(
    client, clinician, patient, signed_procedure, django_assert_max_num_queries
):
    login(client, clinician)
    with django_assert_max_num_queries(20):
        response = client.get(f"/treatments/patients/{patient.pk}/")
    assert response.status_code == 200
    assert b"155 U" in response.content and b"PAGE-LOT" in response.content


def test_front_desk_and_other_patients_cannot_see_treatments(
    client, frontdesk, other_patient_user, patient
):
    assert login(client, frontdesk).get(f"/treatments/patients/{patient.pk}/").status_code == 403
    client.logout()
    assert (
        login(client, other_patient_user).get(f"/treatments/patients/{patient.pk}/").status_code
        == 403
    )
