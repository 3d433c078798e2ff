"""Due / earliest / window arithmetic through the service (signed procedures in the
database -> treatment_schedule_for), across month and year ends and leap days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadence.scheduling.selectors import treatment_schedule_for
from cadence.treatments.models import Procedure, ProcedureStatus
from cadence.treatments.selectors import session_dates

pytestmark = pytest.mark.django_db

EDGE_DAYS = st.sampled_from(
    [
        date(2023, 12, 31),
        date(2024, 2, 29),
        date(2024, 2, 28),
        date(2023, 12, 8),
        date(2024, 1, 31),
        date(2024, 10, 10),
        date(2027, 11, 30),
        date(2028, 2, 29),
        date(2025, 3, 1),
    ]
)
SESSION_DAYS = st.one_of(
    EDGE_DAYS, st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    last=SESSION_DAYS,
    gap=st.integers(min_value=84, max_value=150),
    offset=st.integers(min_value=0, max_value=200),
)
def test_due_earliest_and_window_follow_the_last_session(patient, last, gap, offset):
    Procedure.objects.filter(patient=patient).delete()
    first = last - timedelta(days=gap)
    Procedure.objects.create(patient=patient, performed_on=first, status=ProcedureStatus.SIGNED)
    Procedure.objects.create(patient=patient, performed_on=last, status=ProcedureStatus.SIGNED)
    Procedure.objects.create(patient=patient, performed_on=last + timedelta(days=1), status="draft")
    schedule = treatment_schedule_for(patient, today=last + timedelta(days=offset))
    assert schedule.last_session == last
    assert schedule.next_due == last + timedelta(days=84)
    assert schedule.earliest == last + timedelta(days=84)
    assert schedule.window_start == last + timedelta(days=84)
    assert schedule.window_end == last + timedelta(days=98)
    assert (schedule.next_due - schedule.last_session).days == 84


@pytest.mark.parametrize(
    ("last", "next_due", "window_end"),
    [
        (date(2023, 12, 1), date(2024, 2, 23), date(2024, 3, 8)),  # year end and leap February
        (date(2024, 12, 5), date(2025, 2, 27), date(2025, 3, 13)),  # no leap day in 2025
        (date(2024, 2, 29), date(2024, 5, 23), date(2024, 6, 6)),  # from a leap day
        (date(2024, 10, 31), date(2025, 1, 23), date(2025, 2, 6)),  # month end to a new year
    ],
)
def test_calendar_edges(patient, last, next_due, window_end):
    Procedure.objects.create(patient=patient, performed_on=last, status=ProcedureStatus.SIGNED)
    schedule = treatment_schedule_for(patient, today=last)
    assert (schedule.next_due, schedule.window_end) == (next_due, window_end)


def test_the_first_course_is_two_sessions_with_a_review_at_24_weeks(patient):
    Procedure.objects.create(
        patient=patient, performed_on=date(2024, 1, 15), status=ProcedureStatus.SIGNED
    )
    Procedure.objects.create(
        patient=patient, performed_on=date(2024, 4, 8), status=ProcedureStatus.SIGNED
    )
    schedule = treatment_schedule_for(patient, today=date(2024, 5, 1))
    assert schedule.sessions_in_course == 2
    assert schedule.review_due == date(2024, 1, 15) + timedelta(weeks=24)


def test_only_signed_sessions_count(patient):
    Procedure.objects.create(patient=patient, performed_on=date(2024, 1, 15), status="draft")
    assert session_dates(patient) == []
    assert treatment_schedule_for(patient, today=date(2024, 2, 1)).last_session is None


def test_the_payer_profile_sets_the_earliest_date(patient, monkeypatch):
    from cadence.rules.payer import PayerProfile
    from cadence.scheduling import selectors

    monkeypatch.setattr(
        selectors, "payer_profile_for", lambda p: PayerProfile(name="Strict", min_interval_days=90)
    )
    Procedure.objects.create(
        patient=patient, performed_on=date(2024, 12, 20), status=ProcedureStatus.SIGNED
    )
    schedule = treatment_schedule_for(patient, today=date(2025, 1, 1))
    assert schedule.earliest == date(2025, 3, 20)
    # "due" uses the payer's interval too (clinic-reference.md section 7)
    assert schedule.next_due == date(2025, 3, 20)
