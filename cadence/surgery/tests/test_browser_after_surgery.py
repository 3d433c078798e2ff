"""After surgery in a browser: the patient on a phone goes from My progress to their
outcomes after the operation; the clinician voids a draft nerve-block note and sees the
surgery section of the dashboard. axe finds no serious violation on these pages."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cadence.surgery import services
from cadence.surgery.models import NerveBlock, SurgicalOperation
from cadence.surgery.tests.helpers import diary_window
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


def _operation(patient, clinician):
    operated = timezone.localdate() - timedelta(days=120)
    diary_window(patient, operated - timedelta(days=28), 28, 14)
    for block in range(4):
        diary_window(patient, operated + timedelta(days=28 * block), 28, 2)
    SurgicalOperation.objects.create(
        patient=patient,
        performed_on=operated,
        surgeon="Dr Guy Surgeon",
        sites=[{"trigger_site": "occipital", "side": "both"}],
        recorded_by=clinician,
    )


def test_the_patient_finds_their_outcomes_after_surgery(
    phone_page, clinician, patient, patient_user
):
    _operation(patient, clinician)
    page = phone_page
    page.set_default_timeout(30000)
    browser_login(page, patient_user.username)
    page.goto("/outcomes/my-progress/")
    page.get_by_test_id("my-surgery-link").click()
    page.wait_for_url("**/patients/my-surgery-outcomes/")
    row = page.get_by_test_id("my-surgery-outcomes").locator('tr[data-months="3"]')
    assert "fewer headache days" in row.inner_text()
    assert _serious_violations(page) == []


def test_the_clinician_voids_a_draft_block_and_reads_the_dashboard(
    browser_page, clinician, patient
):
    _operation(patient, clinician)
    block = services.nerve_block_record(
        patient=patient,
        clinician=clinician,
        performed_on=timezone.localdate(),
        trigger_site="occipital",
        side="left",
        agent="lidocaine 1%",
        volume_ml=Decimal("2"),
    )
    page = browser_page
    page.set_default_timeout(30000)
    browser_login(page, clinician.username)
    page.goto(f"/patients/{patient.pk}/surgery/nerve-blocks/{block.pk}/")
    assert _serious_violations(page) == []
    page.get_by_label("Reason for voiding").fill("recorded twice")
    with page.expect_navigation():
        page.get_by_role("button", name="Void the draft").click()
    assert page.get_by_test_id("block-status").inner_text() == "Voided"
    block.refresh_from_db()
    assert block.status == "voided" and NerveBlock.objects.count() == 1
    page.goto("/outcomes/dashboard/")
    section = page.get_by_test_id("surgery-report-section")
    assert "1 of 1 (100.0%)" in section.locator('tr[data-months="3"]').inner_text()
    assert _serious_violations(page) == []
