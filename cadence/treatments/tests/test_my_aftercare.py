"""My aftercare: the patient's own page."""

import pytest

from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_patient_sees_the_aftercare_of_their_latest_session(
    client, patient_user, signed_procedure
):
    response = login(client, patient_user).get("/treatments/my-aftercare/")
    assert b"about 4 hours" in response.content and b"Aftercare" in response.content


def test_a_patient_without_sessions_sees_an_empty_state(client, patient_user):
    assert (
        b"No treatment yet" in login(client, patient_user).get("/treatments/my-aftercare/").content
    )
