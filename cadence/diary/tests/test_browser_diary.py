"""Journeys through the real pages on a phone (390x844)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.diary.models import DiaryDay, QuestionnaireResponse, SideEffectReport
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_patient_records_a_headache_day_a_clear_day_and_backfills_a_gap(
    phone_page, patient_user, patient
):
    page = phone_page
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    browser_login(page, patient_user.username)
    page.goto("/diary/")
    assert page.get_by_text("You have missed a few days").is_visible()

    # A headache day, from the gap list (yesterday).
    page.get_by_role(
        "link", name=f"Record a headache on {yesterday:%A} {yesterday.day} {yesterday:%B}"
    ).click()
    page.get_by_label("Hours of headache").fill("6")
    page.get_by_label("Severe", exact=True).check()
    page.get_by_text("What was it like?").click()  # features and medicines, under "More"
    page.get_by_label("Throbbing or pulsating").check()
    page.get_by_label("Nausea").check()
    page.get_by_label("Other medicine 1").fill("Sumatriptan 50 mg")
    page.get_by_label("Kind of medicine 1").select_option("triptan")
    page.get_by_label("Medicine 1 relieved the pain").check()
    page.get_by_role("button", name="Save this day", exact=True).click()
    assert page.get_by_text("Saved your diary").is_visible()

    # One tap: no headache today.
    page.get_by_role("button", name="No headache today").click()
    assert page.get_by_text("Saved: no headache").is_visible()

    # Backfill another gap with one tap.
    three_days_ago = today - timedelta(days=3)
    page.get_by_role(
        "button",
        name=f"No headache on {three_days_ago:%A} {three_days_ago.day} {three_days_ago:%B}",
    ).click()
    assert page.get_by_text("Saved: no headache").is_visible()

    days = {d.date: d for d in DiaryDay.objects.filter(patient=patient)}
    assert set(days) == {yesterday, today, three_days_ago}
    assert days[yesterday].is_migraine_day and days[yesterday].is_triptan_day
    assert not days[today].is_headache_day
    page.goto(f"/diary/?month={yesterday:%Y-%m}")
    assert page.get_by_role(
        "link", name=f"{yesterday.day} {yesterday:%B}: migraine day"
    ).is_visible()


def test_a_patient_fills_midas_and_reports_ptosis(phone_page, patient_user, patient):
    page = phone_page
    browser_login(page, patient_user.username)
    page.goto("/diary/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Questionnaires").click()
    page.get_by_role("link", name="Fill in MIDAS").click()
    for index, days in enumerate([3, 4, 2, 5, 6]):
        page.get_by_label(f"{index + 1}. ", exact=False).fill(str(days))
    page.get_by_role("button", name="Save MIDAS").click()
    assert page.get_by_text("MIDAS saved: score 20 (grade III)").is_visible()
    assert QuestionnaireResponse.objects.get(patient=patient).grade == "III"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Side effects").click()
    page.get_by_label("Side effect", exact=True).select_option("eyelid_ptosis")
    page.get_by_label("Moderate", exact=True).check()
    page.get_by_role("button", name="Send report").click()
    assert page.get_by_text("usually lasts 1-2 weeks").is_visible()
    report = SideEffectReport.objects.get(patient=patient)
    assert report.effect == "eyelid_ptosis" and not report.urgent


def test_a_clinician_sees_an_urgent_report_flagged_and_acknowledges_it(
    phone_page, patient_user, patient, clinician
):
    page = phone_page
    browser_login(page, patient_user.username)
    page.goto("/diary/side-effects/")
    page.get_by_label("Side effect", exact=True).select_option("double_vision")
    page.get_by_role("button", name="Send report").click()
    assert page.get_by_role("heading", name="Seek medical care now").is_visible()
    page.get_by_role("button", name="Sign out").click()

    browser_login(page, clinician.username)
    page.goto("/diary/alerts/")
    urgent = page.get_by_test_id("urgent-report")
    assert "Double vision" in urgent.inner_text() and "Pat Owner" in urgent.inner_text()
    urgent.get_by_label("What was done?").fill("Called; advised the emergency department.")
    page.get_by_role("button", name="Acknowledge Double vision for Pat Owner").click()
    assert page.get_by_text("No urgent side effects waiting.").is_visible()
    assert SideEffectReport.objects.get().acknowledged_by == clinician
