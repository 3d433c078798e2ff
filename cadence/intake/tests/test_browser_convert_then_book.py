"""Front desk on the desktop: convert a consultation request, then book the consultation
from the new record; the request follows (issue 19)."""

from __future__ import annotations

from datetime import date, time

import pytest

from cadence.intake.models import ConsultationRequest, RequestStatus
from cadence.scheduling.models import Appointment, WorkingHours
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_convert_then_book_a_consultation(browser_page, frontdesk, clinician):
    WorkingHours.objects.bulk_create(
        [
            WorkingHours(clinician=clinician, weekday=d, starts=time(8), ends=time(18))
            for d in range(7)
        ]
    )
    consultation_request = ConsultationRequest.objects.create(
        first_name="Wren",
        last_name="Calloway",
        email="wren@example.invalid",
        phone="+12025550188",
        preferred_contact="email",
        consent_to_contact=True,
        date_of_birth=date(1984, 9, 30),
    )
    page = browser_page
    browser_login(page, frontdesk.username)
    page.goto(f"/staff/requests/{consultation_request.pk}/")
    page.get_by_label("Sex").select_option("female")
    page.get_by_role("button", name="Convert to patient").click()
    page.get_by_role("heading", name="Wren Calloway", level=1).wait_for()

    page.get_by_role("link", name="Book a consultation").click()
    page.get_by_role("heading", name="Book for Wren Calloway").wait_for()
    assert page.get_by_label("Appointment type").input_value() == "consultation"
    page.get_by_role("button", name="Book appointment").click()
    page.wait_for_url("**/schedule/?date=*")
    assert "Booked consultation for Wren Calloway" in page.get_by_role("status").inner_text()

    appointment = Appointment.objects.get()
    assert appointment.kind == "consultation"
    consultation_request.refresh_from_db()
    assert consultation_request.status == RequestStatus.BOOKED
