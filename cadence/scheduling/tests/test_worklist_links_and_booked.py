"""Worklist names link to the patient's record; "Book" is not offered to a patient who
already has a live future appointment (of any kind): the row links to that appointment."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cadence.scheduling.tests.conftest import appointment, in_days, signed_in

pytestmark = pytest.mark.django_db


def _row(html: str, name: str) -> str:
    rows = [r for r in re.findall(r"<tr>.*?</tr>", html, flags=re.S) if name in r]
    assert rows, name
    return rows[0]


def test_names_link_to_the_patient_and_booked_patients_are_not_offered_book(
    frontdesk, working_week, make_patient, sign_session
):
    waiting = make_patient(first_name="Wanda", last_name="Waiting")
    sign_session(waiting, in_days(-84))
    booked = make_patient(first_name="Bella", last_name="Booked")
    sign_session(booked, in_days(-84))
    consult = appointment(booked, working_week, in_days(2), 10, kind="consultation", minutes=45)
    cancelled = make_patient(first_name="Cora", last_name="Cancelled")
    sign_session(cancelled, in_days(-84))
    appointment(cancelled, working_week, in_days(2), 11, status="cancelled")

    html = signed_in(frontdesk).get(reverse("scheduling:worklists")).content.decode()

    waiting_row = _row(html, "Wanda Waiting")
    record = reverse("patients:patient-record", kwargs={"patient_id": waiting.pk})
    assert f'<a href="{record}" data-testid="worklist-patient">Wanda Waiting</a>' in waiting_row
    assert reverse("scheduling:patient-book", kwargs={"patient_id": waiting.pk}) in waiting_row

    booked_row = _row(html, "Bella Booked")
    assert reverse("scheduling:patient-book", kwargs={"patient_id": booked.pk}) not in booked_row
    assert ">Book<" not in booked_row
    detail = reverse("scheduling:appointment-detail", kwargs={"appointment_id": consult.pk})
    assert detail in booked_row
    assert "Consultation" in booked_row

    # A cancelled appointment is not a booking: "Book" is offered.
    cancelled_row = _row(html, "Cora Cancelled")
    assert reverse("scheduling:patient-book", kwargs={"patient_id": cancelled.pk}) in cancelled_row
