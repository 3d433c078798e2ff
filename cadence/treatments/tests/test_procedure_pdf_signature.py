"""The procedure note PDF ends with the signature block of the clinician who signed it:
name, credentials and NPI (issue 19); a draft says it is not signed."""

import io

import pytest
from pypdf import PdfReader

from cadence.treatments import services
from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db


def _pages(client, patient, procedure) -> list[str]:
    response = client.get(f"/treatments/patients/{patient.pk}/procedures/{procedure.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    return [
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages
    ]


def test_the_signed_note_carries_the_signers_credentials_and_npi(
    client, clinician, patient, signed_procedure
):
    clinician.credentials = "MD, FAAN"
    clinician.npi = "1234567893"
    clinician.save(update_fields=["credentials", "npi"])
    login(client, clinician)
    pages = _pages(client, patient, signed_procedure)
    last = pages[-1]
    assert "Signed by: Cleo Clinician, MD, FAAN" in last
    assert "NPI 1234567893" in last


def test_a_draft_note_says_it_is_not_signed(
    client, clinician, patient, preempt_plan, make_lot, today
):
    lot = make_lot(lot="DRAFT-LOT")
    draft = services.procedure_record(
        patient=patient,
        plan=preempt_plan,
        performed_on=today,
        vial_lots=[lot.lot_number],
        consent_obtained=True,
        clinician=clinician,
    )
    login(client, clinician)
    text = " ".join(_pages(client, patient, draft))
    assert "Not signed: this is a draft." in text
    assert "Signed by: Cleo" not in text
