"""A clinician builds a PREEMPT plan with two follow-the-pain sites by clicking the head
map, records the procedure from it, signs it, and the PDF of the note shows the map."""

import io
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clinician_plans_on_the_head_map_records_signs_and_prints(browser_page, clinician, patient):
    from django.utils import timezone

    from cadence.treatments import services

    services.vial_receive(
        lot="JOURNEY-200",
        expires_on=timezone.localdate() + timedelta(days=200),
        size_units=200,
        quantity=3,
        received_by=clinician,
    )
    page = browser_page
    browser_login(page, clinician.username)
    page.goto(f"/treatments/patients/{patient.pk}/")
    page.get_by_role("link", name="New PREEMPT plan").click()
    total = page.locator("#plan-total")
    assert "155 U" in total.inner_text()
    page.locator('svg a[data-site-toggle="temporalis_left_ftp_1"]').click()
    expect(total).to_contain_text("160 U")
    page.locator('svg a[data-site-toggle="occipitalis_right_ftp_1"]').click()
    expect(total).to_contain_text("165 U")
    assert "165 U" in total.inner_text() and "33 sites" in total.inner_text()
    page.get_by_role("button", name="Save plan").click()
    assert "165 U" in page.locator("#plan-total").inner_text()
    page.get_by_label("Consent given by").fill("Patient")
    page.get_by_label("I reviewed the plan").check()
    page.get_by_role("button", name="Record consent").click()
    page.get_by_role("link", name="Record procedure from this plan").click()
    assert page.get_by_label("Vial lots opened").input_value() == "JOURNEY-200"
    page.get_by_label("The patient's consent was obtained").check()
    page.get_by_role("button", name="Record procedure").click()
    assert "165 U" in page.locator("#procedure-total").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Sign the note").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Signed", exact=True).first.is_visible()
    assert "35 U" in page.content()  # 200 U drawn - 165 U injected
    pdf_url = page.get_by_role("link", name="PDF of the note").get_attribute("href")
    response = page.request.get(pdf_url)
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "Total 165 U at 33 sites" in text
    assert "Left side" in text and "Right side" in text and "Follow-the-pain site" in text
