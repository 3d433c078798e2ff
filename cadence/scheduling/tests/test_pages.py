from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from cadence.scheduling.models import (
    Appointment,
    AppointmentStatus,
    ClinicianCalendar,
    ReminderPreference,
)
from cadence.scheduling.selectors import worklists
from cadence.scheduling.services import calendar_feed_issue
from cadence.scheduling.tests.conftest import at, in_days

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def appointment(patient, clinician, day, hour, kind="treatment_session", minutes=15, **extra):
    start = at(day, hour)
    return Appointment.objects.create(
        patient=patient,
        clinician=clinician,
        kind=kind,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        **extra,
    )


@pytest.mark.parametrize("view", ["day", "week"])
def test_the_calendar_shows_the_days_appointments(frontdesk, working_week, patient, view):
    appointment(patient, working_week, in_days(1), 9)
    response = signed_in(frontdesk).get(
        reverse("scheduling:calendar"), {"date": in_days(1).isoformat(), "view": view}
    )
    assert response.status_code == 200
    assert patient.full_name in response.content.decode()


def test_the_calendar_is_for_staff_only(patient_user):
    assert signed_in(patient_user).get(reverse("scheduling:calendar")).status_code == 403


def test_the_calendar_survives_a_bad_date(frontdesk):
    assert (
        signed_in(frontdesk).get(reverse("scheduling:calendar"), {"date": "2025-13-45"}).status_code
        == 200
    )


def test_front_desk_books_at_the_suggested_date(frontdesk, working_week, patient, sign_session):
    sign_session(patient, in_days(-80))
    client = signed_in(frontdesk)
    url = reverse("scheduling:patient-book", kwargs={"patient_id": patient.pk})
    page = client.get(url)
    assert page.context["suggested"] == in_days(4)
    response = client.post(
        url,
        {
            "kind": "treatment_session",
            "clinician": working_week.pk,
            "day": in_days(4).isoformat(),
            "start_time": "10:00",
        },
    )
    assert response.status_code == 302
    assert Appointment.objects.get().starts_at == at(in_days(4), 10)


def test_booking_before_the_earliest_date_shows_the_reason(
    frontdesk, working_week, patient, sign_session
):
    sign_session(patient, in_days(-80))
    response = signed_in(frontdesk).post(
        reverse("scheduling:patient-book", kwargs={"patient_id": patient.pk}),
        {
            "kind": "treatment_session",
            "clinician": working_week.pk,
            "day": in_days(1).isoformat(),
            "start_time": "10:00",
        },
    )
    assert response.status_code == 200
    assert f"Earliest date is {in_days(4).isoformat()}" in response.content.decode()
    assert not Appointment.objects.exists()


def test_appointment_actions(frontdesk, working_week, patient):
    booked = appointment(patient, working_week, in_days(2), 9)
    client = signed_in(frontdesk)
    client.post(
        reverse("scheduling:appointment-move", kwargs={"appointment_id": booked.pk}),
        {"day": in_days(3).isoformat(), "start_time": "11:00"},
    )
    booked.refresh_from_db()
    assert booked.starts_at == at(in_days(3), 11)
    client.post(
        reverse("scheduling:appointment-cancel", kwargs={"appointment_id": booked.pk}),
        {"reason": "ill"},
    )
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED


def test_a_no_show_is_recorded_only_after_the_start(frontdesk, working_week, patient):
    future = appointment(patient, working_week, in_days(2), 9)
    signed_in(frontdesk).post(
        reverse("scheduling:appointment-no-show", kwargs={"appointment_id": future.pk})
    )
    future.refresh_from_db()
    assert future.status == AppointmentStatus.BOOKED
    past = appointment(patient, working_week, in_days(-2), 9)
    signed_in(frontdesk).post(
        reverse("scheduling:appointment-no-show", kwargs={"appointment_id": past.pk})
    )
    past.refresh_from_db()
    assert past.status == AppointmentStatus.NO_SHOW


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


def test_the_patient_downloads_their_next_appointment(patient_user, patient, working_week):
    appointment(patient, working_week, in_days(5), 9)
    response = signed_in(patient_user).get(
        reverse("scheduling:patient-next-appointment-ics", kwargs={"patient_id": patient.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtstart") == at(in_days(5), 9)


def test_a_patient_cannot_download_another_patients_appointment(
    patient_user, other_patient, working_week
):
    appointment(other_patient, working_week, in_days(5), 9)
    response = signed_in(patient_user).get(
        reverse("scheduling:patient-next-appointment-ics", kwargs={"patient_id": other_patient.pk})
    )
    assert response.status_code == 404


def test_the_patient_opts_out_of_text_reminders(patient_user, patient):
    client = signed_in(patient_user)
    assert client.get(reverse("scheduling:reminder-preferences")).status_code == 200
    client.post(reverse("scheduling:reminder-preferences"), {"email_enabled": "on"})
    preference = ReminderPreference.objects.get(patient=patient)
    assert (preference.email_enabled, preference.sms_enabled) == (True, False)


def test_admin_adds_working_hours(admin_user, clinician):
    signed_in(admin_user).post(
        reverse("scheduling:working-hours"),
        {"clinician": clinician.pk, "weekday": 0, "starts": "08:00", "ends": "12:00"},
    )
    assert clinician.working_hours.count() == 1


def test_front_desk_cannot_change_working_hours(frontdesk, clinician):
    response = signed_in(frontdesk).post(
        reverse("scheduling:working-hours"),
        {"clinician": clinician.pk, "weekday": 0, "starts": "08:00", "ends": "12:00"},
    )
    assert response.status_code == 403
    assert clinician.working_hours.count() == 0
