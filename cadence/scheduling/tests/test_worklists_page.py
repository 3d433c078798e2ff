"""The worklists page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadence.scheduling.selectors import worklists
from cadence.scheduling.tests.conftest import appointment, in_days, signed_in

pytestmark = pytest.mark.django_db


def test_worklists_sort_patients_into_lists(frontdesk, working_week, make_patient, sign_session):
    due = make_patient(last_name="Due")
    sign_session(due, in_days(-84))
    overdue = make_patient(last_name="Overdue")
    sign_session(overdue, in_days(-90))
    booked = make_patient(last_name="Booked")
    sign_session(booked, in_days(-90))
    appointment(booked, working_week, in_days(1), 9)
    lost = make_patient(last_name="Lost")
    sign_session(lost, in_days(-120))
    review = make_patient(last_name="Review")
    sign_session(review, in_days(-168))
    sign_session(review, in_days(-84))
    lists = worklists()
    assert due in [e.patient for e in lists.due_this_week]
    assert [e.patient for e in lists.overdue] == [overdue]
    assert [e.patient for e in lists.lost_to_follow_up] == [lost]
    assert [e.patient for e in lists.reviews_due] == [review]
    response = signed_in(frontdesk).get(reverse("scheduling:worklists"))
    assert "Lost" in response.content.decode()


def test_worklists_take_a_fixed_number_of_queries(
    frontdesk, working_week, make_patient, sign_session, django_assert_max_num_queries
):
    for index in range(30):
        patient = make_patient()
        sign_session(patient, in_days(-60 - 3 * index))
        if index % 3 == 0:
            appointment(patient, working_week, in_days(1 + index), 9)
    with django_assert_max_num_queries(6):  # sessions, bookings, patients (+payer), reviews
        worklists()
    client = signed_in(frontdesk)
    with django_assert_max_num_queries(25):  # + session, user, audit entry
        assert client.get(reverse("scheduling:worklists")).status_code == 200
