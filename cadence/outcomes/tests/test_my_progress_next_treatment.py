"""My progress (issue 19): the next treatment is the booked session when one is booked,
a passed due date is never shown bare, and wearing-off is told in plain words without
the clinician's interval suggestion."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.outcomes import selectors
from cadence.outcomes.tests.factories import build_story
from cadence.scheduling.models import Appointment, AppointmentKind

pytestmark = pytest.mark.django_db

PHONE = "+1 201 555 0177"


def _page(client, patient_user) -> str:
    client.force_login(patient_user)
    response = client.get(reverse("outcomes:my-progress"))
    assert response.status_code == 200
    return response.content.decode()


def _book(patient, clinician, on, kind=AppointmentKind.TREATMENT_SESSION):
    starts = timezone.make_aware(datetime.combine(on, time(10, 30)))
    return Appointment.objects.create(
        patient=patient,
        clinician=clinician,
        kind=kind,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=15),
    )


def test_a_booked_session_is_shown_instead_of_the_due_date(
    client, patient_user, patient, clinician
):
    today = timezone.localdate()
    # The story built 100 days ago: the last session ~130 days ago, the due date passed.
    build_story(patient, today - timedelta(days=100), kind="responder")
    assert selectors.patient_outcomes(patient).schedule.next_due < today
    booked_on = today + timedelta(days=9)
    _book(patient, clinician, today + timedelta(days=3), kind=AppointmentKind.FOLLOW_UP)
    _book(patient, clinician, booked_on)
    page = _page(client, patient_user)
    assert f"Next treatment: <strong>{booked_on.strftime('%A')} {booked_on.day} " in page
    assert "10:30" in page
    assert "is due" not in page


def test_an_overdue_unbooked_treatment_is_said_kindly_without_a_past_date(
    client, patient_user, patient, settings
):
    settings.CADENCE_CLINIC_PHONE = PHONE
    today = timezone.localdate()
    build_story(patient, today - timedelta(days=100), kind="responder")
    next_due = selectors.patient_outcomes(patient).schedule.next_due
    assert next_due < today
    page = _page(client, patient_user)
    assert "Your next treatment is due now. The clinic will contact you to book it" in page
    assert PHONE in page and 'href="tel:+12015550177"' in page
    assert next_due.strftime("%B %Y") not in page.split("Your next treatment")[1][:200]
    assert "due around" not in page
    assert "Next treatment:" not in page


def test_a_due_date_still_ahead_is_shown(client, patient_user, patient):
    build_story(patient, timezone.localdate(), kind="responder")
    page = _page(client, patient_user)
    assert "Your next treatment is due around" in page
    assert "Next treatment:" not in page


def test_wearing_off_is_told_kindly_without_the_interval_suggestion(client, patient_user, patient):
    build_story(patient, timezone.localdate(), kind="wearing_off")
    outcome = selectors.patient_outcomes(patient)
    assert outcome.wearing_off.detected
    page = _page(client, patient_user)
    assert 'data-testid="wearing-off-words"' in page
    assert "headaches coming back in the weeks before your next treatment" in page
    assert "your clinician will look at it at your next visit".lower() in page.lower()
    assert outcome.interval_suggestion  # the clinician sees it ...
    assert outcome.interval_suggestion not in page  # ... the patient does not
    assert "payer" not in page.lower()


def test_no_wearing_off_words_for_a_responder(client, patient_user, patient):
    build_story(patient, timezone.localdate(), kind="responder")
    assert not selectors.patient_outcomes(patient).wearing_off.detected
    assert 'data-testid="wearing-off-words"' not in _page(client, patient_user)
