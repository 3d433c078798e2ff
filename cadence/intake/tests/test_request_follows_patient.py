"""A consultation request follows its patient (issue 19): converting it makes it
contacted, booking the patient's consultation makes it booked, the consultation attended
makes it converted; each move audited, never backwards, never out of closed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from cadence.audit.models import AuditEvent
from cadence.intake.models import ConsultationRequest, RequestStatus
from cadence.intake.services import consultation_request_convert, consultation_request_set_status
from cadence.scheduling.models import Appointment, AppointmentKind, WorkingHours
from cadence.scheduling.services import appointment_book, appointment_mark_attended

pytestmark = pytest.mark.django_db


@pytest.fixture
def converted(frontdesk):
    consultation_request = ConsultationRequest.objects.create(
        first_name="Ivo",
        last_name="Renn",
        email="ivo@example.invalid",
        phone="+12025550143",
        preferred_contact="email",
        consent_to_contact=True,
        date_of_birth=date(1990, 2, 3),
    )
    patient = consultation_request_convert(
        actor=frontdesk, consultation_request=consultation_request, sex="male"
    )
    consultation_request.refresh_from_db()
    return consultation_request, patient


@pytest.fixture
def any_day_clinician(clinician):
    WorkingHours.objects.bulk_create(
        [
            WorkingHours(clinician=clinician, weekday=d, starts=time(8), ends=time(18))
            for d in range(7)
        ]
    )
    return clinician


def book(patient, clinician, actor, kind=AppointmentKind.CONSULTATION, days=3):
    starts = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=days), time(9))
    )
    return appointment_book(
        patient=patient, clinician=clinician, kind=kind, starts_at=starts, actor=actor
    )


def test_converting_a_new_request_makes_it_contacted(converted):
    consultation_request, _ = converted
    assert consultation_request.status == RequestStatus.CONTACTED


def test_booking_the_consultation_makes_the_request_booked_with_an_audit_entry(
    converted, any_day_clinician, frontdesk
):
    consultation_request, patient = converted
    book(patient, any_day_clinician, frontdesk)
    consultation_request.refresh_from_db()
    assert consultation_request.status == RequestStatus.BOOKED
    assert AuditEvent.objects.filter(summary="Consultation request contacted -> booked").exists()


def test_a_follow_up_booking_does_not_move_the_request(converted, any_day_clinician, frontdesk):
    consultation_request, patient = converted
    book(patient, any_day_clinician, frontdesk, kind=AppointmentKind.FOLLOW_UP)
    consultation_request.refresh_from_db()
    assert consultation_request.status == RequestStatus.CONTACTED


def test_the_consultation_attended_makes_the_request_converted(
    converted, any_day_clinician, frontdesk
):
    consultation_request, patient = converted
    appointment = book(patient, any_day_clinician, frontdesk)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=appointment.starts_at - timedelta(days=3),
        ends_at=appointment.ends_at - timedelta(days=3),
    )
    appointment.refresh_from_db()
    appointment_mark_attended(appointment=appointment, actor=frontdesk)
    consultation_request.refresh_from_db()
    assert consultation_request.status == RequestStatus.CONVERTED


def test_a_closed_request_stays_closed(converted, any_day_clinician, frontdesk):
    consultation_request, patient = converted
    consultation_request_set_status(
        actor=frontdesk,
        consultation_request=consultation_request,
        status=RequestStatus.CLOSED,
        reason="Chose another clinic.",
    )
    book(patient, any_day_clinician, frontdesk)
    consultation_request.refresh_from_db()
    assert consultation_request.status == RequestStatus.CLOSED


def test_the_record_offers_book_a_consultation(client, frontdesk, converted):
    _, patient = converted
    client.force_login(frontdesk)
    page = client.get(f"/patients/{patient.pk}/record/").content.decode()
    assert f'href="/schedule/patients/{patient.pk}/book/?kind=consultation"' in page
    assert "Book a consultation" in page
