"""Front desk books a treatment session at the suggested date; a date before the earliest
one shows the reason."""

from __future__ import annotations

import pytest

from cadence.scheduling.models import Appointment
from cadence.scheduling.tests.conftest import in_days
from conftest import browser_login

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_front_desk_books_at_the_suggested_date_and_sees_why_earlier_is_refused(
    browser_page, frontdesk, working_week, patient, sign_session
):
    sign_session(patient, in_days(-80))
    page = browser_page
    browser_login(page, frontdesk.username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    page.get_by_role("link", name="Book an appointment").first.click()
    page.get_by_label("Patient name").fill("Owner")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name=f"Book for {patient.full_name}").click()

    suggested = in_days(4).isoformat()
    assert page.get_by_test_id("suggested-date").inner_text() == suggested
    # Too early first: the reason is shown, nothing is booked.
    page.get_by_label("Date").fill(in_days(1).isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_role("button", name="Book appointment").click()
    refusal = page.get_by_test_id("refusal")
    assert f"Earliest date is {suggested}" in refusal.inner_text()
    assert Appointment.objects.count() == 0

    # The suggested date books.
    page.get_by_label("Date").fill(suggested)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_role("button", name="Book appointment").click()
    page.wait_for_url("**/schedule/?date=*")
    assert "Booked treatment session" in page.get_by_role("status").inner_text()
    assert Appointment.objects.get().starts_at.date().isoformat() in (
        suggested,
        in_days(5).isoformat(),
    )
