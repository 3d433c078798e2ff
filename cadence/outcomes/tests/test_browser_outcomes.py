"""Journey: a clinician opens a responder and a wearing-off patient and downloads the
payer continuation packet."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cadence.outcomes.tests.factories import build_story
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clinician_reads_outcomes_and_downloads_the_packet(browser_page, clinician, make_patient):
    today = timezone.localdate()
    responder = make_patient(first_name="Rita", last_name="Responder")
    build_story(responder, today, kind="responder", seed=3)
    wearing = make_patient(first_name="Wes", last_name="Wearing")
    build_story(wearing, today, kind="wearing_off", seed=4)

    page = browser_page
    browser_login(page, clinician.username)
    page.get_by_role("link", name="Patients").first.click()
    page.get_by_role("link", name="Responder, Rita").click()
    assert page.get_by_test_id("response-status").inner_text().startswith("Responder")
    chart = page.locator("svg#headache-days-chart")
    assert chart.is_visible()
    assert chart.get_attribute("role") == "img"
    baseline_text = page.get_by_test_id("baseline-days").inner_text()
    latest_text = page.get_by_test_id("latest-days").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Payer continuation packet (PDF)").click()
    with open(download_info.value.path(), "rb") as downloaded:
        pdf_bytes = downloaded.read()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
    assert "Rita Responder" in text
    assert baseline_text.split(" ")[0] in text
    assert latest_text.split(" ")[0] in text
    assert "155" in text

    page.get_by_role("link", name="Patients").first.click()
    page.get_by_label("Search by name").fill("wear")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Wearing, Wes").click()
    notice = page.locator('[data-alert="wearing_off"]')
    assert notice.is_visible()
    assert "weeks 9-12" in notice.inner_text()
    assert page.locator("svg#effect-curves-chart").is_visible()
