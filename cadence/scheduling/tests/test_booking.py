from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cadence.accounts.validation import CONFLICT, refusal_codes
from cadence.audit.models import AuditEvent
from cadence.scheduling.models import Appointment, AppointmentKind, AppointmentStatus
from cadence.scheduling.services import (
    INVALID,
    TOO_EARLY,
    appointment_book,
    appointment_cancel,
    appointment_move,
)
from cadence.scheduling.tests.conftest import at, in_days

pytestmark = pytest.mark.django_db


def book(patient, clinician, actor, day, hour, kind=AppointmentKind.TREATMENT_SESSION, **extra):
    return appointment_book(
        patient=patient,
        clinician=clinician,
        kind=kind,
        starts_at=at(day, hour),
        actor=actor,
        **extra,
    )


def test_it_books_a_treatment_session_of_15_minutes_with_an_audit_entry(
    working_week, patient, frontdesk
):
    appointment = book(patient, working_week, frontdesk, in_days(3), 9)
    assert appointment.duration_minutes == 15
    assert appointment.status == AppointmentStatus.BOOKED
    assert AuditEvent.objects.filter(object_id=str(appointment.pk), action="create").exists()


def test_it_refuses_an_overlapping_booking_for_the_same_clinician(
    working_week, patient, other_patient, frontdesk
):
    book(patient, working_week, frontdesk, in_days(3), 9, kind=AppointmentKind.CONSULTATION)
    with pytest.raises(ValidationError) as caught:
        appointment_book(
            patient=other_patient,
            clinician=working_week,
            kind=AppointmentKind.TREATMENT_SESSION,
            starts_at=at(in_days(3), 9, 30),
            actor=frontdesk,
        )
    assert refusal_codes(caught.value) == {CONFLICT}


def test_back_to_back_appointments_do_not_overlap(working_week, patient, other_patient, frontdesk):
    book(patient, working_week, frontdesk, in_days(3), 9)
    second = appointment_book(
        patient=other_patient,
        clinician=working_week,
        kind=AppointmentKind.TREATMENT_SESSION,
        starts_at=at(in_days(3), 9, 15),
        actor=frontdesk,
    )
    assert second.pk


def test_a_cancelled_appointment_frees_the_time(working_week, patient, other_patient, frontdesk):
    first = book(patient, working_week, frontdesk, in_days(3), 9)
    appointment_cancel(appointment=first, actor=frontdesk, reason="patient asked")
    assert book(other_patient, working_week, frontdesk, in_days(3), 9).pk


def test_the_database_itself_refuses_an_overlap(working_week, patient, other_patient):
    Appointment.objects.create(
        patient=patient,
        clinician=working_week,
        kind="consultation",
        starts_at=at(in_days(3), 9),
        ends_at=at(in_days(3), 10),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            patient=other_patient,
            clinician=working_week,
            kind="consultation",
            starts_at=at(in_days(3), 9, 30),
            ends_at=at(in_days(3), 10, 30),
        )


def test_the_database_refuses_moving_into_an_overlap(working_week, patient, other_patient):
    Appointment.objects.create(
        patient=patient,
        clinician=working_week,
        kind="consultation",
        starts_at=at(in_days(3), 9),
        ends_at=at(in_days(3), 10),
    )
    later = Appointment.objects.create(
        patient=other_patient,
        clinician=working_week,
        kind="consultation",
        starts_at=at(in_days(3), 11),
        ends_at=at(in_days(3), 12),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.filter(pk=later.pk).update(starts_at=at(in_days(3), 9, 45))


def test_two_clinicians_may_see_patients_at_the_same_time(
    working_week, make_user, patient, other_patient, frontdesk
):
    from cadence.scheduling.models import WorkingHours

    second = make_user("t_clinician2", "clinician")
    WorkingHours.objects.create(
        clinician=second,
        weekday=in_days(3).weekday(),
        starts=at(in_days(3), 8).time(),
        ends=at(in_days(3), 18).time(),
    )
    book(patient, working_week, frontdesk, in_days(3), 9)
    assert book(other_patient, second, frontdesk, in_days(3), 9).pk


def test_it_refuses_a_time_outside_working_hours(working_week, patient, frontdesk):
    with pytest.raises(ValidationError, match="outside") as caught:
        book(patient, working_week, frontdesk, in_days(3), 19)
    assert refusal_codes(caught.value) == {INVALID}


def test_it_refuses_a_non_clinician(working_week, nurse, patient, frontdesk):
    with pytest.raises(ValidationError) as caught:
        book(patient, nurse, frontdesk, in_days(3), 9)
    assert list(caught.value.message_dict) == ["clinician"]


def test_it_refuses_the_past(working_week, patient, frontdesk):
    with pytest.raises(ValidationError, match="past"):
        book(patient, working_week, frontdesk, in_days(-1), 9)


def test_it_refuses_a_session_before_the_earliest_date_with_the_reason(
    working_week, patient, frontdesk, sign_session
):
    sign_session(patient, in_days(-60))
    with pytest.raises(ValidationError) as caught:
        book(patient, working_week, frontdesk, in_days(10), 9)
    assert refusal_codes(caught.value) == {TOO_EARLY}
    assert f"earliest date is {in_days(24).isoformat()}" in caught.value.messages[0].lower()
    assert not Appointment.objects.exists()


def test_it_books_on_the_earliest_date(working_week, patient, frontdesk, sign_session):
    sign_session(patient, in_days(-60))
    assert book(patient, working_week, frontdesk, in_days(24), 9).pk


def test_a_clinician_overrides_with_a_documented_reason(working_week, patient, sign_session):
    sign_session(patient, in_days(-60))
    appointment = book(
        patient,
        working_week,
        working_week,
        in_days(12),
        9,
        override_reason="Wearing-off weeks 9-12",
    )
    assert appointment.override_reason == "Wearing-off weeks 9-12"
    assert appointment.overridden_by == working_week


def test_an_override_cannot_go_below_ten_weeks(working_week, patient, sign_session):
    sign_session(patient, in_days(-60))
    with pytest.raises(ValidationError, match="70 days") as caught:
        book(patient, working_week, working_week, in_days(5), 9, override_reason="Wearing-off")
    assert refusal_codes(caught.value) == {TOO_EARLY}


def test_front_desk_cannot_override(working_week, patient, frontdesk, sign_session):
    sign_session(patient, in_days(-60))
    with pytest.raises(ValidationError) as caught:
        book(patient, working_week, frontdesk, in_days(12), 9, override_reason="Wearing-off")
    assert list(caught.value.message_dict) == ["override_reason"]
    assert refusal_codes(caught.value) == {TOO_EARLY}


def test_consultations_ignore_the_interval(working_week, patient, frontdesk, sign_session):
    sign_session(patient, in_days(-10))
    assert book(patient, working_week, frontdesk, in_days(2), 9, kind=AppointmentKind.FOLLOW_UP).pk


def test_moving_keeps_the_length_and_checks_the_interval(
    working_week, patient, frontdesk, sign_session
):
    sign_session(patient, in_days(-80))
    appointment = book(patient, working_week, frontdesk, in_days(10), 9)
    moved = appointment_move(
        appointment=appointment, starts_at=at(in_days(11), 14), actor=frontdesk
    )
    assert moved.starts_at == at(in_days(11), 14)
    assert moved.ends_at - moved.starts_at == timedelta(minutes=15)
    with pytest.raises(ValidationError) as caught:
        appointment_move(appointment=moved, starts_at=at(in_days(1), 14), actor=frontdesk)
    assert refusal_codes(caught.value) == {TOO_EARLY}
