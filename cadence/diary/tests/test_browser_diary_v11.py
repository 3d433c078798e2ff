"""Issue 18/19 journeys on a phone (390x844): choose a day, quick-log an attack and
complete it, tap pain regions, tick triggers, record a day offline; and the clinician
accepts a follow-the-pain suggestion into a plan that validates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.audit.models import AuditEvent
from cadence.diary.models import DiaryDay
from cadence.diary.services import DiaryEntry, diary_day_record
from cadence.treatments.models import TreatmentPlan
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_a_day_loads_it_and_says_which_day_is_replaced(phone_page, patient_user, patient):
    today = timezone.localdate()
    earlier = today - timedelta(days=4)
    diary_day_record(
        patient=patient,
        on=earlier,
        entry=DiaryEntry(headache_hours=9, notes="long one"),
        actor=patient_user,
    )
    page = phone_page
    browser_login(page, patient_user.username)
    page.goto(f"/diary/?date={today.isoformat()}#entry")
    page.get_by_label("Hours of headache").fill("3")
    page.get_by_label("Day to record").fill(earlier.isoformat())
    heading = page.get_by_test_id("entry-heading")
    heading.filter(has_text=f"Change {earlier:%A} {earlier.day}").wait_for()
    assert page.get_by_label("Hours of headache").input_value() in {"9", "9.0"}
    assert (
        page.get_by_test_id("replace-note")
        .inner_text()
        .startswith(f"Saving replaces what was recorded for {earlier:%A} {earlier.day}")
    )
    # With the day's form at the top of the phone's screen, Save is on that screen.
    page.locator("#entry").evaluate("section => section.scrollIntoView()")
    box = page.get_by_role("button", name="Save this day", exact=True).bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844
    assert not DiaryDay.objects.filter(patient=patient, date=today).exists()


def test_quick_log_an_attack_then_complete_it(phone_page, patient_user, patient):
    page = phone_page
    browser_login(page, patient_user.username)
    page.goto("/diary/")
    card = page.get_by_test_id("attack-quick-log")
    card.get_by_role("button", name="Headache started now").click()
    assert page.get_by_text("Headache going on since").is_visible()
    card = page.get_by_test_id("attack-quick-log")
    card.get_by_label("Severe", exact=True).check()
    card.get_by_text("Medicines taken").click()
    card.get_by_label("Other medicine").fill("Rizatriptan 10 mg")
    card.get_by_label("Kind of medicine").select_option("triptan")
    card.get_by_label("The medicine relieved the pain").check()
    card.get_by_role("button", name="Headache ended").click()
    assert page.get_by_text("Headache ended at").is_visible()
    day = DiaryDay.objects.get(patient=patient, date=timezone.localdate())
    assert day.attacks[0]["ended_at"] and day.attacks[0]["peak_severity"] == "severe"
    assert day.is_treated_day and day.is_headache_day
    assert page.get_by_role("button", name="Headache started now").is_visible()


def test_tap_pain_regions_and_tick_triggers(phone_page, patient_user, patient):
    page = phone_page
    browser_login(page, patient_user.username)
    page.goto("/diary/?date=" + timezone.localdate().isoformat() + "#entry")
    page.get_by_label("Hours of headache").fill("5")
    page.get_by_label("Moderate", exact=True).last.check()
    page.get_by_text("What was it like?").click()
    regions = page.get_by_test_id("pain-regions")
    regions.get_by_label("Left temple").click()
    regions.get_by_label("Back of the head, left").click()
    page.get_by_label("Stress").check()
    page.get_by_label("Skipped a meal").check()
    page.get_by_role("button", name="Save this day", exact=True).click()
    assert page.get_by_text("Saved your diary").is_visible()
    day = DiaryDay.objects.get(patient=patient)
    assert day.pain_regions == ["temple_left", "back_of_head_left"]
    assert day.triggers == ["stress", "skipped_meal"]
    assert day.is_headache_day


def test_a_day_recorded_offline_is_sent_once_when_the_connection_returns(
    phone_page, patient_user, patient
):
    page = phone_page
    today = timezone.localdate()
    browser_login(page, patient_user.username)
    page.goto(f"/diary/?date={today.isoformat()}#entry")
    page.context.set_offline(True)
    page.get_by_label("Hours of headache").fill("6")
    page.get_by_label("Severe", exact=True).last.check()
    page.get_by_role("button", name="Save this day", exact=True).click()
    waiting = page.locator("[data-offline-queue]")
    waiting.get_by_text(f"{today.isoformat()}: 6 h of headache").wait_for()
    assert not DiaryDay.objects.filter(patient=patient).exists()
    page.context.set_offline(False)
    waiting.wait_for(state="hidden")
    day = DiaryDay.objects.get(patient=patient, date=today)
    assert day.headache_hours == 6 and day.peak_severity == "severe"
    assert AuditEvent.objects.filter(patient_id_ref=patient.pk, action="create").count() == 1
    page.reload()
    assert page.locator("[data-offline-queue]").is_hidden()
    assert DiaryDay.objects.filter(patient=patient).count() == 1


def test_the_clinician_accepts_a_follow_the_pain_suggestion(
    browser_page, clinician, patient_user, patient
):
    today = timezone.localdate()
    for back in range(5):
        diary_day_record(
            patient=patient,
            on=today - timedelta(days=back),
            entry=DiaryEntry(headache_hours=6, pain_regions=("back_of_head_right",)),
            actor=patient_user,
        )
    page = browser_page
    browser_login(page, clinician.username)
    page.goto(f"/treatments/patients/{patient.pk}/plans/new/?template=preempt")
    panel = page.get_by_test_id("pain-panel")
    panel.wait_for()
    assert panel.locator('[data-region="back_of_head_right"]').count() == 1
    panel.get_by_role("button", name="Start a PREEMPT plan with these sites").click()
    page.get_by_role("button", name="Save plan").click()
    assert page.get_by_text("Plan saved").is_visible()
    plan = TreatmentPlan.objects.get(patient=patient)
    codes = set(plan.sites.values_list("site__code", flat=True))
    assert "occipitalis_right_ftp_1" in codes
    assert plan.total_units <= 195


def test_the_phone_shows_a_bottom_bar_and_answers_how_was_today_first(phone_page, patient_user):
    page = phone_page
    browser_login(page, patient_user.username)
    page.goto("/diary/")
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_attribute("data-testid") == "bottom-nav"
    labels = [t.strip() for t in nav.get_by_role("link").all_inner_texts() if t.strip()]
    assert labels[:4] == ["My diary", "My progress", "Questionnaires", "Side effects"]
    box = nav.bounding_box()
    assert box["y"] + box["height"] <= 844 and box["height"] < 844 * 0.15
    # The first screen answers "how was today?" with one tap.
    assert page.get_by_role("button", name="No headache today").bounding_box()["y"] < 844
    nav.get_by_text("More").click()
    nav.get_by_role("link", name="Aftercare").click()
    page.wait_for_url("**/my-aftercare/")


def _serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]


def test_the_diary_pages_have_no_serious_axe_violation(
    phone_page, browser_page, patient_user, clinician, patient
):
    diary_day_record(
        patient=patient,
        on=timezone.localdate(),
        entry=DiaryEntry(headache_hours=6, pain_regions=("temple_left",), triggers=("stress",)),
        actor=patient_user,
    )
    page = phone_page
    browser_login(page, patient_user.username)
    page.goto("/diary/")
    page.get_by_text("What was it like?").click()
    assert _serious_violations(page) == []
    page.goto("/diary/summary/")
    assert _serious_violations(page) == []
    page = browser_page
    browser_login(page, clinician.username)
    page.goto(f"/diary/patients/{patient.pk}/pain/")
    assert _serious_violations(page) == []
