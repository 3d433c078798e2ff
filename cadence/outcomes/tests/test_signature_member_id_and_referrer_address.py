"""Letters and packets (issue 19): the letter is addressed to the referrer's name, practice
and address; the payer packet shows the patient's member ID (or says it is missing when
the payer asks for one); the signature block carries the prescriber's credentials and NPI
and stays on the page of the letter's closing paragraph."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cadence.outcomes.tests.factories import build_story
from cadence.patients.models import PayerProfile

pytestmark = pytest.mark.django_db

VALID_NPI = "1234567893"


def _pages(client, name, patient) -> list[str]:
    response = client.get(reverse(f"outcomes:{name}", kwargs={"patient_id": patient.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return [
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages
    ]


@pytest.fixture
def prescriber(clinician):
    clinician.credentials = "MD, FAAN"
    clinician.npi = VALID_NPI
    clinician.save(update_fields=["credentials", "npi"])
    return clinician


def test_the_letter_is_addressed_to_the_referrers_name_practice_and_address(
    clinician_client, patient
):
    patient.referring_clinician = "Dr Mara Quill"
    patient.referrer_practice = "Elm Street Practice"
    patient.referrer_address = "4 Elm Street\n\nSpringfield, IL 62704\n"
    patient.save()
    build_story(patient, timezone.localdate(), kind="responder", sessions=2)
    text = " ".join(_pages(clinician_client, "referrer-letter", patient))
    assert "To: Dr Mara Quill Elm Street Practice 4 Elm Street Springfield, IL 62704" in text
    assert "Dear Dr Mara Quill," in text


def test_a_letter_to_a_practice_without_a_name_says_dear_colleague(clinician_client, patient):
    patient.referrer_practice = "Elm Street Practice"
    patient.referrer_address = "4 Elm Street"
    patient.save()
    text = " ".join(_pages(clinician_client, "referrer-letter", patient))
    assert "To: Elm Street Practice 4 Elm Street" in text
    assert "Dear colleague," in text


@pytest.mark.parametrize("name", ["referrer-letter", "continuation-packet", "progress-report"])
def test_the_signature_block_has_the_prescribers_credentials_and_npi(
    client, prescriber, patient, name
):
    client.force_login(prescriber)
    build_story(patient, timezone.localdate(), kind="responder", sessions=2)
    text = " ".join(_pages(client, name, patient))
    assert "Signed by: Cleo Clinician, MD, FAAN" in text
    assert f"NPI {VALID_NPI}" in text


def test_a_clinician_without_an_npi_is_told_it_is_not_recorded(clinician_client, patient):
    text = " ".join(_pages(clinician_client, "referrer-letter", patient))
    assert "Signed by: Cleo Clinician" in text
    assert "NPI not recorded" in text


def test_the_closing_and_signature_stay_on_one_page(client, prescriber, patient):
    """However long the letter above, "Yours sincerely" and the signature are printed on
    the page of the closing paragraph (the closing block does not break)."""
    client.force_login(prescriber)
    build_story(patient, timezone.localdate(), kind="responder", sessions=2)
    for lines in range(0, 60, 4):  # past the page break: about 36-40 lines today
        patient.referrer_address = "\n".join(f"Line {n}" for n in range(lines))
        patient.save(update_fields=["referrer_address"])
        pages = _pages(client, "referrer-letter", patient)
        closing = [n for n, page in enumerate(pages) if "Yours sincerely" in page]
        assert len(closing) == 1, lines
        page = pages[closing[0]]
        assert "Please contact the clinic with any questions." in page, lines
        assert "Signed by: Cleo Clinician, MD, FAAN" in page, lines
        assert f"NPI {VALID_NPI}" in page, lines


def test_the_packet_shows_the_member_id(clinician_client, patient):
    profile = PayerProfile.objects.create(
        name="Acme Health",
        min_preventive_classes=2,
        min_interval_days=84,
        responder_rule="percent_50",
        review_weeks=24,
        requires_member_id=True,
    )
    patient.payer_profile = profile
    patient.payer_member_id = "ACM-448812"
    patient.save()
    text = " ".join(_pages(clinician_client, "continuation-packet", patient))
    assert "Payer profile: Acme Health · Member ID: ACM-448812" in text
    assert "missing" not in text


def test_the_packet_says_the_member_id_is_missing_when_the_payer_asks_for_it(
    clinician_client, patient
):
    patient.payer_profile = PayerProfile.objects.create(
        name="Acme Health",
        min_preventive_classes=2,
        min_interval_days=84,
        responder_rule="percent_50",
        review_weeks=24,
        requires_member_id=True,
    )
    patient.save()
    text = " ".join(_pages(clinician_client, "continuation-packet", patient))
    assert "Member ID: Member ID missing" in text
    assert "Acme Health asks for the patient's member ID" in text


def test_a_payer_that_does_not_ask_gets_no_missing_warning(clinician_client, patient):
    text = " ".join(_pages(clinician_client, "continuation-packet", patient))
    assert "Member ID: not recorded" in text
    assert "Member ID missing" not in text
