"""On the desktop: the week grid shows who is booked and books a free slot from the
keyboard, prefilled; the booking page's free times follow the chosen date and clinician
without reloading the page (issue 19)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.scheduling.models import Appointment
from cadence.scheduling.tests.conftest import appointment, at, in_days
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _next_week(weekday: int):
    today = timezone.localdate()
    return today - timedelta(days=today.weekday()) + timedelta(days=7 + weekday)


def test_a_free_slot_on_the_week_grid_books_that_slot(
    browser_page, frontdesk, working_week, patient, other_patient
):
    wednesday = _next_week(2)
    appointment(other_patient, working_week, wednesday, 9)
    page = browser_page
    page.set_default_timeout(30000)  # the shared test machine is slow at times
    browser_login(page, frontdesk.username)
    page.goto("/schedule/")
    page.get_by_role("link", name="Week grid").click()
    page.get_by_role("link", name="Next week").click()
    grid = page.get_by_test_id("week-grid")
    # Staff see who is booked; the booked slot is not offered.
    assert other_patient.full_name in grid.inner_text()
    assert grid.locator(f'[data-slot="{wednesday.isoformat()}T09:00"]').count() == 0
    # The grid scrolls as a region the keyboard reaches.
    region = page.get_by_role("region", name=f"Week grid of {working_week.get_full_name()}")
    assert region.get_attribute("tabindex") == "0"

    slot = grid.get_by_role(
        "link", name=f"Book {wednesday:%A} {wednesday.day} {wednesday:%B} at 10:30"
    )
    slot.focus()
    page.keyboard.press("Enter")
    assert "Chosen slot:" in page.get_by_test_id("chosen-slot").inner_text()
    page.get_by_label("Patient name").fill("Owner")
    page.keyboard.press("Enter")
    page.get_by_role("link", name=f"Book for {patient.full_name}").click()
    assert page.get_by_label("Date").input_value() == wednesday.isoformat()
    assert page.get_by_label("Start time").input_value() == "10:30"
    assert page.get_by_label("Clinician").input_value() == str(working_week.pk)
    page.get_by_role("button", name="Book appointment").click()
    page.wait_for_url("**/schedule/?date=*")
    booked = Appointment.objects.get(patient=patient)
    assert booked.starts_at == at(wednesday, 10, 30) and booked.clinician == working_week


def test_free_times_follow_the_date_without_reloading_the_page(
    browser_page, frontdesk, working_week, patient, other_patient
):
    day = in_days(9)
    appointment(other_patient, working_week, day, 11)
    page = browser_page
    page.set_default_timeout(30000)  # the shared test machine is slow at times
    browser_login(page, frontdesk.username)
    page.goto(f"/schedule/patients/{patient.pk}/book/")
    page.evaluate("window.stillTheSamePage = true")
    assert page.get_by_label("Appointment type").input_value() == "consultation"  # 45 minutes
    page.get_by_label("Date").fill(day.isoformat())
    free = page.get_by_test_id("free-times")
    free.get_by_role("heading", name=f"Free times on {day:%A} {day.day} {day:%B}").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    times = [t.split()[0] for t in free.get_by_role("link").all_inner_texts()]
    assert "10:15" in times and "11:15" in times  # 10:15-11:00 fits before 11:00-11:15
    assert "10:30" not in times and "11:00" not in times
    # Choosing a time fills the form (a link: it works without JavaScript too).
    free.get_by_role("link", name="11:15").first.click()
    assert page.get_by_label("Start time").input_value() == "11:15"
    assert page.get_by_label("Date").input_value() == day.isoformat()
