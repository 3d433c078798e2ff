"""Demo clinicians sign with synthetic credentials and a valid synthetic NPI (issue 19),
so the demo's letters and packets show a whole signature block."""

from __future__ import annotations

from datetime import date

import pytest
from django.template.loader import render_to_string

from cadence.accounts.roles import Role
from cadence.demo.clinic import build_demo_clinic
from cadence.demo.scale import SCALE_CLINICIAN_NPI_INDEX, scale_clinician
from cadence.demo.story import DEMO_CLINICIAN_CREDENTIALS, demo_npi
from cadence.outcomes import reports, selectors
from cadence.rules.identifiers import npi_is_valid

TODAY = date(2026, 3, 2)


def test_demo_npis_are_valid_and_distinct():
    assert demo_npi(0) == "1234567893"
    numbers = [demo_npi(index) for index in range(SCALE_CLINICIAN_NPI_INDEX + 1)]
    assert all(npi_is_valid(number) for number in numbers)
    assert len(set(numbers)) == len(numbers)


@pytest.mark.django_db
def test_demo_clinicians_sign_letters_with_credentials_and_npi():
    ctx = build_demo_clinic(seed=11, today=TODAY, patient_count=6)
    clinicians = [user for user in ctx.staff.values() if user.role == Role.CLINICIAN]
    assert len(clinicians) == 2
    for user in clinicians:
        user.refresh_from_db()
        assert user.credentials == DEMO_CLINICIAN_CREDENTIALS == "MD"
        assert npi_is_valid(user.npi)
    assert len({user.npi for user in clinicians}) == 2
    assert all(
        not user.npi and not user.credentials
        for user in ctx.staff.values()
        if user.role != Role.CLINICIAN
    )

    signer = ctx.staff["clinician"]
    patient = ctx.staff["patient"].patient
    context = reports.report_context(selectors.patient_outcomes(patient, today=TODAY), signer)
    letter = render_to_string(reports.REPORTS["referrer"][0], {**context, "title": "Letter"})
    assert f"{signer.display_name}, MD" in letter
    assert f"NPI {signer.npi}" in letter
    assert "NPI not recorded" not in letter


@pytest.mark.django_db
def test_the_scale_clinician_signs_with_credentials_and_npi():
    user = scale_clinician()
    assert user.signature_name == "Scale Clinician, MD"
    assert npi_is_valid(user.npi) and user.npi == demo_npi(SCALE_CLINICIAN_NPI_INDEX)
