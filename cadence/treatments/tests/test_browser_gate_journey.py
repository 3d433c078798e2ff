"""The clinician journey through the clinical gate (issue 15): a patient with a warning
is refused, then treated with a reason; the note PDF shows "Outside protocol" and the
reason; the outside-protocol worklist lists the session."""

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Stable myasthenia; neurologist agreed; neck sites avoided."


def test_a_warning_is_refused_then_treated_outside_protocol_with_a_reason(
    browser_page, clinician, patient
):
    from django.utils import timezone

    from cadence.patients.models import MedicalHistory
    from cadence.treatments import services
    from cadence.treatments.models import Procedure

    MedicalHistory.objects.filter(patient=patient).update(neuromuscular_disease="yes")
    services.vial_receive(
        lot="GATE-200",
        expires_on=timezone.localdate() + timedelta(days=200),
        size_units=200,
        quantity=2,
        received_by=clinician,
    )
    plan = services.treatment_plan_create(
        patient=patient, template="preempt", sites=[], created_by=clinician
    )
    page = browser_page
    browser_login(page, clinician.username)
    page.goto(f"/treatments/patients/{patient.pk}/plans/{plan.pk}/record/")
    panel = page.locator("#before-the-needle")
    assert "Neuromuscular disease" in panel.inner_text()
    assert panel.locator('[data-rule="neuromuscular_disease"]').count() == 1

    # Refused without a reason: nothing recorded.
    page.get_by_label("The patient's consent was obtained").check()
    page.get_by_role("button", name="Record procedure").click()
    assert "Give the reason to proceed" in page.locator("form[novalidate]").inner_text()
    assert not Procedure.objects.filter(patient=patient).exists()

    # Treated with a reason: outside protocol.
    page.get_by_label("The patient's consent was obtained").check()
    page.get_by_label("Outside protocol: reason").fill(REASON)
    page.get_by_role("button", name="Record procedure").click()
    assert REASON in page.locator("#outside-protocol").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Sign the note").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Signed", exact=True).first.is_visible()

    pdf_url = page.get_by_role("link", name="PDF of the note").get_attribute("href")
    response = page.request.get(pdf_url)
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    flat = " ".join(text.split())
    assert "Outside protocol" in flat and REASON in flat

    page.goto("/schedule/worklists/")
    page.get_by_role("link", name="Outside-protocol sessions").click()
    table = page.locator("#outside-protocol-sessions").inner_text()
    assert patient.full_name in table and REASON in table
