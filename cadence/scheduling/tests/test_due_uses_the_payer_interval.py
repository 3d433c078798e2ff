"""Issue 16: "due" uses the payer's minimum interval like "earliest", so the worklists
never call a patient due on a day booking would be refused (clinic-reference.md
section 7): with a 90-day payer, day 85 is not due; day 90 is."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.patients.models import PayerProfile
from cadence.scheduling import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def payer_90():
    return PayerProfile.objects.create(
        name="90-day payer",
        min_preventive_classes=2,
        min_interval_days=90,
        responder_rule="percent_50",
        review_weeks=24,
    )


@pytest.mark.parametrize(
    ("days_since", "status"),
    [
        (84, "upcoming"),
        (85, "upcoming"),
        (89, "upcoming"),
        (90, "due"),
        (98, "due"),
        (99, "overdue"),
    ],
)
def test_the_worklists_use_the_payers_interval_for_due(
    make_patient, sign_session, payer_90, days_since, status
):
    today = timezone.localdate()
    patient = make_patient()
    patient.payer_profile = payer_90
    patient.save(update_fields=["payer_profile"])
    last = today - timedelta(days=days_since)
    sign_session(patient, last)
    schedule = selectors.treatment_schedule_for(patient, today=today)
    assert schedule.status == status
    assert schedule.next_due == last + timedelta(days=90) == schedule.earliest
    # the due-soon list is by the payer's due date: day 90, never day 84
    listed = selectors.sessions_due_between(today, today + timedelta(days=6), today=today)
    assert (patient in [e.patient for e in listed]) is (84 <= days_since <= 90)
    # "past the due date, not booked" starts after the payer's day 90, not after day 84
    overdue = [e.patient for e in selectors.overdue_patients(today)]
    assert (patient in overdue) is (90 < days_since <= 98)
