"""Issue 18 on a phone (390x844): the year at a glance fits the screen (no sideways
scrolling) on My progress and on the clinician's patient page; an attack started and
ended without a connection waits on the phone and is stored once when it returns."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.diary.models import DiaryDay
from cadence.outcomes.tests.factories import MIGRAINE, NO_HEADACHE, session, write_days
from conftest import browser_login

from .test_browser_diary_v11 import _serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def _a_year(patient):
    today = timezone.localdate()
    write_days(
        patient,
        [
            (today - timedelta(days=back), MIGRAINE if back % 3 == 0 else NO_HEADACHE)
            for back in range(0, 365, 2)
        ],
    )
    session(patient, today - timedelta(days=100))
    session(patient, today - timedelta(days=10))


def _check_year(page):
    year = page.get_by_test_id("year-at-a-glance")
    year.wait_for()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    grid = year.locator(".year-grid").bounding_box()
    assert grid is not None and grid["x"] >= 0 and grid["x"] + grid["width"] <= 390
    assert year.locator(".year-cell[data-date]").count() == 365
    assert year.locator(".y-session").count() == 2
    cell = year.locator(".year-cell[data-date]").first.bounding_box()
    assert cell is not None and cell["width"] >= 3  # still a visible cell on a phone
    assert "headache day" in page.get_by_test_id("year-summary").inner_text()


def test_the_year_at_a_glance_fits_a_phone_on_my_progress(phone_page, patient_user, patient):
    _a_year(patient)
    page = phone_page
    browser_login(page, patient_user.username)
    page.goto("/outcomes/my-progress/")
    _check_year(page)
    assert _serious_violations(page) == []


def test_the_year_at_a_glance_fits_a_phone_on_the_patient_page(phone_page, clinician, patient):
    _a_year(patient)
    page = phone_page
    browser_login(page, clinician.username)
    page.goto(f"/outcomes/patients/{patient.pk}/")
    _check_year(page)


def test_an_attack_logged_offline_is_stored_once_when_the_connection_returns(
    phone_page, patient_user, patient
):
    page = phone_page
    browser_login(page, patient_user.username)
    page.goto("/diary/")
    card = page.get_by_test_id("attack-quick-log")
    page.context.set_offline(True)
    card.get_by_role("button", name="Headache started now").click()
    waiting = page.locator("[data-offline-queue]")
    waiting.get_by_text("Headache started").wait_for()
    assert card.get_by_text("not sent yet").is_visible()
    assert not DiaryDay.objects.filter(patient=patient).exists()
    card.get_by_label("Moderate", exact=True).check()
    card.get_by_role("button", name="Headache ended").click()
    waiting.get_by_text("Headache ended").wait_for()
    assert card.get_by_role("button", name="Headache started now").is_visible()
    assert not DiaryDay.objects.filter(patient=patient).exists()
    page.context.set_offline(False)
    waiting.wait_for(state="hidden")
    [day] = DiaryDay.objects.filter(patient=patient)
    [attack] = day.attacks
    assert attack["ended_at"] and attack["peak_severity"] == "moderate"
    assert day.peak_severity == "moderate"  # the day is classified from its attack
    page.reload()
    assert page.locator("[data-offline-queue]").is_hidden()
    assert len(DiaryDay.objects.get(patient=patient).attacks) == 1


def test_an_attack_started_offline_is_going_on_once_back_online(phone_page, patient_user, patient):
    page = phone_page
    browser_login(page, patient_user.username)
    page.goto("/diary/")
    page.context.set_offline(True)
    page.get_by_test_id("attack-quick-log").get_by_role(
        "button", name="Headache started now"
    ).click()
    page.locator("[data-offline-queue]").get_by_text("Headache started").wait_for()
    page.context.set_offline(False)
    page.locator("[data-offline-queue]").wait_for(state="hidden")
    assert "not sent yet" not in page.get_by_test_id("attack-quick-log").inner_text()
    # Sending it again (a second tab, a flaky network) stores nothing more.
    status = page.evaluate(
        """async (base) => {
          const stored = await fetch(base + '/attacks/open').then(r => r.json());
          const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
          return fetch(base + '/attacks/start', {method: 'POST',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
            body: JSON.stringify({started_at: stored.attack.started_at})}).then(r => r.status);
        }""",
        f"/api/v1/patients/{patient.pk}",
    )
    assert status == 201
    [day] = DiaryDay.objects.filter(patient=patient)
    assert len(day.attacks) == 1 and day.attacks[0]["ended_at"] is None
    page.reload()
    assert page.get_by_text("Headache going on since").is_visible()
