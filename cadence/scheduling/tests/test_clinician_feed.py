"""The clinician's calendar feed and its settings page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from cadence.scheduling.models import (
    ClinicianCalendar,
)
from cadence.scheduling.services import calendar_feed_issue
from cadence.scheduling.tests.conftest import appointment, in_days, signed_in

pytestmark = pytest.mark.django_db


def test_the_clinician_feed_needs_the_right_token(working_week, patient):
    appointment(patient, working_week, in_days(2), 9)
    token = calendar_feed_issue(clinician=working_week, actor=working_week)
    client = Client()
    response = client.get(reverse("scheduling:clinician-feed", kwargs={"token": token}))
    assert response.status_code == 200
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 1
    assert patient.last_name not in response.content.decode()  # initials only
    assert (
        client.get(reverse("scheduling:clinician-feed", kwargs={"token": token + "x"})).status_code
        == 404
    )


def test_a_revoked_or_replaced_feed_link_stops_working(working_week, patient):
    old = calendar_feed_issue(clinician=working_week, actor=working_week)
    calendar_feed_issue(clinician=working_week, actor=working_week)
    assert (
        Client().get(reverse("scheduling:clinician-feed", kwargs={"token": old})).status_code == 404
    )
    signed_in(working_week).post(reverse("scheduling:feed-settings"), {"action": "revoke"})
    assert ClinicianCalendar.objects.get(clinician=working_week).feed_token_hash == ""
