"""JSON API operations of the scheduling app (mounted under /api/v1 by config/api.py)."""

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Body, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.responses import Status

from cadence.accounts.api_auth import api_roles
from cadence.accounts.models import User
from cadence.accounts.roles import CARE_TEAM_ROLES, PATIENT_RECORD_ROLES, Role
from cadence.accounts.validation import RefusalOut, check_query_dates, refusal
from cadence.audit.services import audit_view
from cadence.patients.access import patient_for_user
from cadence.scheduling import selectors, services
from cadence.scheduling.models import Appointment
from cadence.scheduling.schemas import (
    AppointmentCancelIn,
    AppointmentIn,
    AppointmentMoveIn,
    AppointmentOut,
    ReminderPreferenceIn,
    ReminderPreferenceOut,
    TreatmentScheduleOut,
)

router = Router(tags=["Scheduling"])

#: The longest range one appointments query may ask for.
MAX_RANGE_DAYS = 62


def _query_refusal(field: str, message: str) -> ValidationError:
    """A query parameter refused, in ninja's own validation answer (422)."""
    return ValidationError([{"loc": ["query", field], "msg": message, "type": "value_error"}])


def appointment_out(appointment: Appointment) -> dict:
    return {
        "id": appointment.pk,
        "patient": appointment.patient_id,
        "patient_name": appointment.patient.full_name,
        "clinician": appointment.clinician_id,
        "clinician_name": appointment.clinician.get_full_name() or appointment.clinician.username,
        "kind": appointment.kind,
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "duration_minutes": appointment.duration_minutes,
        "status": appointment.status,
        "override_reason": appointment.override_reason,
        "notes": appointment.notes,
    }


def _staff_appointment(request, appointment_id: int) -> Appointment:
    appointment = get_object_or_404(
        Appointment.objects.select_related("patient", "clinician"), pk=appointment_id
    )
    patient_for_user(request.user, appointment.patient_id, clinical=False)
    return appointment


def _appointment_change(request, appointment_id: int, change, **fields):
    """Apply one service change (move, cancel, no-show, attended) to a staff-visible
    appointment: 200 with the appointment; the service's refusal answers 409 or 422
    (config/api.py)."""
    appointment = _staff_appointment(request, appointment_id)
    appointment = change(appointment=appointment, actor=request.user, request=request, **fields)
    return Status(200, appointment_out(appointment))


@router.get(
    "/patients/{patient_id}/treatment-schedule",
    response=TreatmentScheduleOut,
    summary="Where the patient is in the 12-week rhythm",
)
@api_roles(PATIENT_RECORD_ROLES)
def treatment_schedule_get(request, patient_id: int):
    """Last session, next due date (last + 84 days), earliest allowed date (last + the payer
    profile's minimum interval), the due window (days 84-98), sessions in the current course
    and the course's review date (24 weeks after its first session). Staff; the patient."""
    patient = patient_for_user(request.user, patient_id, clinical=False)
    schedule = selectors.treatment_schedule_for(patient)
    next_appointment = selectors.next_appointment_for_patient(patient)
    audit_view(request, summary="Viewed treatment schedule", patient=patient)
    return {
        "last_session": schedule.last_session,
        "next_due": schedule.next_due,
        "earliest": schedule.earliest,
        "sessions_in_course": schedule.sessions_in_course,
        "review_due": schedule.review_due,
        "window_start": schedule.window_start,
        "window_end": schedule.window_end,
        "status": str(schedule.status),
        "course_first_session": schedule.course_first_session,
        "next_appointment": appointment_out(next_appointment) if next_appointment else None,
    }


@router.post(
    "/appointments",
    response={201: AppointmentOut, 409: RefusalOut, 422: RefusalOut},
    summary="Book an appointment",
)
@api_roles(CARE_TEAM_ROLES)
def appointment_create(request, payload: AppointmentIn):
    """Book a consultation, treatment session or follow-up. 409 when the clinician already
    has an overlapping appointment; 422 (naming the field) when the time is outside the
    clinician's working hours, in the past, or - for a treatment session - before the
    earliest re-treatment date (the detail gives the reason). A clinician may book early
    with `override_reason` (e.g. documented wearing-off), never below the payer's floor."""
    try:
        patient = patient_for_user(request.user, payload.patient, clinical=False)
    except Http404:
        raise refusal("patient", "No such patient.", code="unknown_patient") from None
    clinician = User.objects.filter(
        pk=payload.clinician, role=Role.CLINICIAN, is_active=True
    ).first()
    if clinician is None:
        raise refusal("clinician", "No such clinician.", code="unknown_clinician")
    appointment = services.appointment_book(
        patient=patient,
        clinician=clinician,
        kind=payload.kind,
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        override_reason=payload.override_reason,
        notes=payload.notes,
        actor=request.user,
        request=request,
    )
    return Status(201, appointment_out(appointment))


class AppointmentRange(Schema):
    start: dt.date
    end: dt.date
    clinician: int | None = None


@router.get(
    "/appointments",
    response={200: list[AppointmentOut], 422: RefusalOut},
    summary="Appointments in a date range",
)
@api_roles(CARE_TEAM_ROLES)
def appointment_list(request, filters: Query[AppointmentRange]):
    """Appointments starting on the clinic-local days `start`..`end` (both included, at most
    62 days), optionally for one `clinician`; cancelled ones included (see `status`)."""
    check_query_dates(start=filters.start, end=filters.end)
    if filters.end < filters.start:
        raise _query_refusal("end", "end is before start.")
    if (filters.end - filters.start).days > MAX_RANGE_DAYS:
        raise _query_refusal("end", f"At most {MAX_RANGE_DAYS} days at a time.")
    rows = selectors.appointments_between(
        filters.start, filters.end, clinician_id=filters.clinician
    )
    audit_view(request, summary=f"Listed appointments {filters.start}..{filters.end}")
    return Status(200, [appointment_out(a) for a in rows])


@router.get("/appointments/{appointment_id}", response=AppointmentOut, summary="One appointment")
@api_roles(CARE_TEAM_ROLES)
def appointment_get(request, appointment_id: int):
    """One appointment (staff)."""
    appointment = _staff_appointment(request, appointment_id)
    audit_view(request, summary="Viewed appointment", patient=appointment.patient, obj=appointment)
    return appointment_out(appointment)


@router.post(
    "/appointments/{appointment_id}/move",
    response={200: AppointmentOut, 409: RefusalOut, 422: RefusalOut},
    summary="Move an appointment",
)
@api_roles(CARE_TEAM_ROLES)
def appointment_move(request, appointment_id: int, payload: AppointmentMoveIn):
    """Move a booked appointment to `starts_at` (same length and clinician); the same checks
    as booking apply (409 overlap, 422 before the earliest date or outside working hours)."""
    return _appointment_change(
        request,
        appointment_id,
        services.appointment_move,
        starts_at=payload.starts_at,
        override_reason=payload.override_reason,
    )


#: A cancellation without a body (or `{}`) gives no reason; a body is a JSON object.
_NO_CANCEL_REASON = Body(AppointmentCancelIn())


@router.post(
    "/appointments/{appointment_id}/cancel",
    response={200: AppointmentOut, 422: RefusalOut},
    summary="Cancel an appointment",
)
@api_roles(CARE_TEAM_ROLES)
def appointment_cancel(
    request, appointment_id: int, payload: AppointmentCancelIn = _NO_CANCEL_REASON
):
    """Cancel a booked appointment (frees the clinician's time). 422 if not booked."""
    return _appointment_change(
        request,
        appointment_id,
        services.appointment_cancel,
        reason=payload.reason if payload else "",
    )


@router.post(
    "/appointments/{appointment_id}/no-show",
    response={200: AppointmentOut, 422: RefusalOut},
    summary="Record a no-show",
)
@api_roles(CARE_TEAM_ROLES)
def appointment_no_show(request, appointment_id: int):
    """Mark a booked appointment that has started as a no-show."""
    return _appointment_change(request, appointment_id, services.appointment_mark_no_show)


@router.post(
    "/appointments/{appointment_id}/attended",
    response={200: AppointmentOut, 422: RefusalOut},
    summary="Record attendance",
)
@api_roles(CARE_TEAM_ROLES)
def appointment_attended(request, appointment_id: int):
    """Mark a booked appointment (today or earlier) as attended."""
    return _appointment_change(request, appointment_id, services.appointment_mark_attended)


@router.get(
    "/patients/{patient_id}/appointments",
    response=list[AppointmentOut],
    summary="A patient's appointments",
)
@api_roles(PATIENT_RECORD_ROLES)
def patient_appointment_list(request, patient_id: int):
    """The patient's appointments, newest first (staff; the patient)."""
    patient = patient_for_user(request.user, patient_id, clinical=False)
    audit_view(request, summary="Listed appointments", patient=patient)
    return [
        appointment_out(a)
        for a in selectors.patient_appointments(patient).select_related("patient")
    ]


@router.get(
    "/patients/{patient_id}/reminder-preferences",
    response=ReminderPreferenceOut,
    summary="The patient's reminder channels",
)
@api_roles(PATIENT_RECORD_ROLES)
def reminder_preference_get(request, patient_id: int):
    """Whether reminders go by email and by text message (staff; the patient)."""
    patient = patient_for_user(request.user, patient_id, clinical=False)
    return selectors.reminder_preference_for(patient)


@router.put(
    "/patients/{patient_id}/reminder-preferences",
    response=ReminderPreferenceOut,
    summary="Opt in or out of reminder channels",
)
@api_roles(Role.PATIENT)
def reminder_preference_put(request, patient_id: int, payload: ReminderPreferenceIn):
    """The patient chooses their reminder channels (only the patient themself)."""
    patient = patient_for_user(request.user, patient_id, clinical=False)
    return services.reminder_preference_set(
        patient=patient,
        email_enabled=payload.email_enabled,
        sms_enabled=payload.sms_enabled,
        actor=request.user,
        request=request,
    )
