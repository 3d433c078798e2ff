"""The surgical journey on a desktop: from the patient record to the pain sketch, a
targeted plan marked diagnostic, the site's response, PAINS met, and the packet PDF.
axe finds no serious violation on the evaluation page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.patients.models import Diagnosis
from cadence.surgery.tests.helpers import responded_occipital
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} at "
        + ", ".join(str(node.get("target")) for node in violation.get("nodes", []))
        for violation in results.response["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]


def test_sketch_to_diagnostic_plan_to_pains_to_packet(browser_page, clinician, patient):
    today = timezone.localdate()
    plan, _ = responded_occipital(patient, clinician, today)
    Diagnosis.objects.create(
        patient=patient,
        icd10_code="G43.709",
        confirmed_by_neurologist=True,
        neurologist="Dr. N. Eurologist (synthetic)",
        confirmed_on=today - timedelta(days=300),
        recorded_by=clinician,
    )
    page = browser_page
    page.set_default_timeout(30000)
    browser_login(page, clinician.username)
    page.goto(f"/patients/{patient.pk}/record/")
    page.get_by_role("link", name="Migraine surgery evaluation").click()
    page.wait_for_url(f"**/patients/{patient.pk}/surgery/")

    # The sketch: the occipital site holds every placed headache day.
    assert page.get_by_test_id("pain-sketch").is_visible()
    occipital_row = page.get_by_test_id("sketch-table").locator('tr[data-trigger-site="occipital"]')
    assert "100%" in occipital_row.inner_text()
    assert "No diagnostic injection or block yet" in page.get_by_test_id("site-table").inner_text()
    assert _serious_violations(page) == []

    # Mark the targeted plan diagnostic for the left occipital site.
    page.locator(f"#target-site-{plan.pk}").select_option("occipital")
    page.locator(f"#target-side-{plan.pk}").select_option("left")
    with page.expect_navigation():
        page.get_by_role("button", name="Mark diagnostic").click()
    row = page.get_by_test_id("site-table").locator('tr[data-trigger-site="occipital"]')
    assert row.locator('[data-responded="yes"]').count() == 1

    # The work-up: the patient shows the pain with one finger; the symptoms fit.
    page.get_by_label("Trigger site under evaluation").select_option("occipital")
    page.get_by_label("Can the patient show the pain with one finger at this site?").select_option(
        "yes"
    )
    page.get_by_label("Are the symptoms those of this site?").select_option("yes")
    with page.expect_navigation():
        page.get_by_role("button", name="Record work-up").click()
    verdict = page.locator("#pains-verdict")
    assert verdict.get_attribute("data-candidate") == "yes", page.get_by_test_id(
        "pains-table"
    ).inner_text()
    assert "PAINS met" in verdict.inner_text()
    assert _serious_violations(page) == []

    # The packet PDF.
    with page.expect_download() as download:
        page.get_by_test_id("packet-pdf").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
