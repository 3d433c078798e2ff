"""Amending a signed procedure."""

import pytest

from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db


def test_amending_from_the_page_keeps_the_original(client, clinician, patient, signed_procedure):
    login(client, clinician)
    url = f"/treatments/patients/{patient.pk}/procedures/{signed_procedure.pk}/amend/"
    response = client.post(
        url,
        {
            "immediate_reactions": "Mild redness",
            "aftercare_given": signed_procedure.aftercare_given,
            "notes": "",
            "reason": "Forgot the reaction",
        },
    )
    assert response.status_code == 302
    signed_procedure.refresh_from_db()
    assert signed_procedure.immediate_reactions == "Mild redness"
    assert signed_procedure.signed_note["immediate_reactions"] == ""
    detail = client.get(f"/treatments/patients/{patient.pk}/procedures/{signed_procedure.pk}/")
    assert b"Forgot the reaction" in detail.content
