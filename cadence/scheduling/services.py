"""Writes of the scheduling app; each in one transaction with its audit entry.

Booking is serialised per clinician: inside the transaction the clinician's
`ClinicianCalendar` row is locked (`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite the
project's IMMEDIATE transactions already serialise writers), the overlap is checked, then
the row is written. The database's own guard (exclusion constraint / trigger, migration
0002 for the clinician, 0003 for the patient) turns any overlap that slips past into an
IntegrityError, reported as a `CONFLICT` refusal (409 in the API). A patient can't be in
two rooms at once: a patient's live appointments never overlap either, whoever they are with.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from cadence.accounts.roles import Role
from cadence.accounts.validation import CONFLICT, check_date, refusal
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.patients.models import Patient
from cadence.patients.selectors import payer_profile_for
from cadence.patients.signals import appointment_attended, appointment_booked
from cadence.rules.schedule import booking_check
from cadence.scheduling.models import (
    ACTIVE_STATUSES,
    DEFAULT_DURATION_MINUTES,
    DEFAULT_WORKING_HOURS,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    ClinicianCalendar,
    ReminderPreference,
    WorkingHours,
)
from cadence.scheduling.selectors import local_date
from cadence.treatments.selectors import interval_session_dates

#: Longest appointment Cadence accepts (a sanity bound on user input), in minutes.
MAX_DURATION_MINUTES = 240


#: The code of a booking that cannot be made as asked (422, naming the field).
INVALID = "invalid"
#: The code of a treatment session before the earliest re-treatment date without a valid
#: override (422; the booking page shows it as the refusal).
TOO_EARLY = "before_earliest_date"


def _lock_calendar(clinician) -> ClinicianCalendar:
    ClinicianCalendar.objects.get_or_create(clinician=clinician)
    return ClinicianCalendar.objects.select_for_update().get(clinician=clinician)


def _check_clinician(clinician) -> None:
    if clinician is None or clinician.role != Role.CLINICIAN or not clinician.is_active:
        raise refusal("clinician", "Choose an active clinician.", code=INVALID)


def _check_working_hours(clinician, starts_at: datetime, ends_at: datetime) -> None:
    local_start = timezone.localtime(starts_at)
    local_end = timezone.localtime(ends_at)
    if local_start.date() != local_end.date():
        raise refusal(
            "starts_at", "An appointment must start and end on the same day.", code=INVALID
        )
    blocks = WorkingHours.objects.filter(clinician=clinician, weekday=local_start.weekday())
    for block in blocks:
        if block.starts <= local_start.time() and local_end.time() <= block.ends:
            return
    hours = ", ".join(f"{b.starts:%H:%M}-{b.ends:%H:%M}" for b in blocks) or "none"
    raise refusal(
        "starts_at",
        f"{local_start:%A %Y-%m-%d %H:%M}-{local_end:%H:%M} is outside "
        f"{clinician.get_full_name() or clinician.username}'s working hours that day ({hours}).",
        code=INVALID,
    )


def _check_free(
    clinician, starts_at: datetime, ends_at: datetime, *, exclude_id: int | None = None
) -> None:
    clash = Appointment.objects.filter(
        clinician=clinician,
        status__in=ACTIVE_STATUSES,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if exclude_id is not None:
        clash = clash.exclude(pk=exclude_id)
    other = clash.first()
    if other is not None:
        local = timezone.localtime(other.starts_at)
        raise refusal(
            "starts_at",
            f"The clinician already has an appointment at {local:%Y-%m-%d %H:%M} "
            f"({other.duration_minutes} minutes) that overlaps this time.",
            code=CONFLICT,
        )


def _check_patient_free(
    patient: Patient, starts_at: datetime, ends_at: datetime, *, exclude_id: int | None = None
) -> None:
    """A patient can't be in two rooms at once: refuse an overlap with another live
    appointment of the same patient, whichever clinician it is with."""
    clash = Appointment.objects.filter(
        patient=patient,
        status__in=ACTIVE_STATUSES,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).select_related("clinician")
    if exclude_id is not None:
        clash = clash.exclude(pk=exclude_id)
    other = clash.first()
    if other is not None:
        local = timezone.localtime(other.starts_at)
        with_whom = other.clinician.get_full_name() or other.clinician.username
        raise refusal(
            "starts_at",
            f"The patient already has an appointment with {with_whom} at "
            f"{local:%Y-%m-%d %H:%M} ({other.duration_minutes} minutes) that overlaps this "
            "time.",
            code=CONFLICT,
        )


def _overlap_refusal(exc: IntegrityError):
    """The database's own guard fired (a booking raced past the checks): say whose time
    it was, from the name of the constraint or trigger that refused it."""
    if "per_patient" in str(exc):
        return refusal(
            "starts_at", "The patient already has an appointment at that time.", code=CONFLICT
        )
    return refusal(
        "starts_at", "The clinician already has an appointment at that time.", code=CONFLICT
    )


def _check_interval(
    *, patient: Patient, kind: str, starts_at: datetime, actor, override_reason: str
) -> tuple[str, bool]:
    """Treatment sessions respect the earliest re-treatment date (rules.schedule)."""
    if kind != AppointmentKind.TREATMENT_SESSION:
        return "", False
    reason = (override_reason or "").strip()
    if reason and getattr(actor, "role", None) != Role.CLINICIAN:
        raise refusal(
            "override_reason",
            "Only a clinician may override the earliest re-treatment date.",
            code=TOO_EARLY,
        )
    # The sessions that count for the earliest date are the treatments app's one answer
    # (signed notes and drafts; rules.schedule.earliest_date computes the date).
    decision = booking_check(
        interval_session_dates(patient),
        local_date(starts_at),
        profile=payer_profile_for(patient),
        override_reason=reason or None,
    )
    if not decision.allowed:
        raise refusal("starts_at", decision.reason, code=TOO_EARLY)
    return (reason if decision.overridden else ""), decision.overridden


def _normalise_times(
    starts_at: datetime, duration_minutes: int | None, kind: str
) -> tuple[datetime, datetime]:
    # Issue 21: 0001-01-01 or 9999-12-31 would overflow the time-zone arithmetic below.
    check_date("starts_at", starts_at.date())
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    starts_at = starts_at.replace(second=0, microsecond=0)
    minutes = duration_minutes or DEFAULT_DURATION_MINUTES[kind]
    if not 5 <= minutes <= MAX_DURATION_MINUTES:
        raise refusal(
            "duration_minutes",
            f"Length must be between 5 and {MAX_DURATION_MINUTES} minutes.",
            code=INVALID,
        )
    return starts_at, starts_at + timedelta(minutes=minutes)


def appointment_book(
    *,
    patient: Patient,
    clinician,
    kind: str,
    starts_at: datetime,
    actor,
    duration_minutes: int | None = None,
    override_reason: str = "",
    notes: str = "",
    request=None,
) -> Appointment:
    """Book an appointment. Refused (ValidationError naming the field) with code `INVALID`,
    `TOO_EARLY` (before the earliest date) or `CONFLICT` (409, the clinician is busy)."""
    if kind not in AppointmentKind.values:
        raise refusal("kind", "Unknown appointment type.", code=INVALID)
    _check_clinician(clinician)
    starts_at, ends_at = _normalise_times(starts_at, duration_minutes, kind)
    if starts_at < timezone.now() - timedelta(minutes=5):
        raise refusal("starts_at", "An appointment cannot be booked in the past.", code=INVALID)
    _check_working_hours(clinician, starts_at, ends_at)
    kept_reason, overridden = _check_interval(
        patient=patient,
        kind=kind,
        starts_at=starts_at,
        actor=actor,
        override_reason=override_reason,
    )
    try:
        with transaction.atomic():
            _lock_calendar(clinician)
            _check_free(clinician, starts_at, ends_at)
            _check_patient_free(patient, starts_at, ends_at)
            appointment = Appointment.objects.create(
                patient=patient,
                clinician=clinician,
                kind=kind,
                starts_at=starts_at,
                ends_at=ends_at,
                notes=notes.strip(),
                override_reason=kept_reason,
                overridden_by=actor if overridden else None,
                booked_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                summary=f"Booked {appointment.get_kind_display().lower()} "
                f"{timezone.localtime(starts_at):%Y-%m-%d %H:%M}"
                + (" (early, overridden)" if overridden else ""),
                patient=patient,
                obj=appointment,
                details={"override_reason": kept_reason} if overridden else None,
                request=request,
            )
            appointment_booked.send(
                sender=Appointment,
                patient_id=patient.pk,
                kind=kind,
                actor=actor,
                request=request,
            )
    except IntegrityError as exc:
        raise _overlap_refusal(exc) from exc
    return appointment


def appointment_move(
    *,
    appointment: Appointment,
    starts_at: datetime,
    actor,
    override_reason: str = "",
    request=None,
) -> Appointment:
    """Move a booked appointment to a new start (same length, same clinician)."""
    if appointment.status != AppointmentStatus.BOOKED:
        raise refusal("status", "Only a booked appointment can be moved.", code=INVALID)
    new_start, new_end = _normalise_times(starts_at, appointment.duration_minutes, appointment.kind)
    if new_start < timezone.now() - timedelta(minutes=5):
        raise refusal("starts_at", "An appointment cannot be moved into the past.", code=INVALID)
    _check_working_hours(appointment.clinician, new_start, new_end)
    kept_reason, overridden = _check_interval(
        patient=appointment.patient,
        kind=appointment.kind,
        starts_at=new_start,
        actor=actor,
        override_reason=override_reason,
    )
    old_start = appointment.starts_at
    try:
        with transaction.atomic():
            _lock_calendar(appointment.clinician)
            _check_free(appointment.clinician, new_start, new_end, exclude_id=appointment.pk)
            _check_patient_free(appointment.patient, new_start, new_end, exclude_id=appointment.pk)
            appointment.starts_at, appointment.ends_at = new_start, new_end
            appointment.sequence += 1  # calendars see the move as a new revision
            if overridden:
                appointment.override_reason, appointment.overridden_by = kept_reason, actor
            elif appointment.override_reason:
                appointment.override_reason, appointment.overridden_by = "", None
            appointment.save()
            audit_record(
                actor=actor,
                action=AuditAction.CHANGE,
                summary=f"Moved appointment from {timezone.localtime(old_start):%Y-%m-%d %H:%M} "
                f"to {timezone.localtime(new_start):%Y-%m-%d %H:%M}",
                patient=appointment.patient,
                obj=appointment,
                request=request,
            )
    except IntegrityError as exc:
        raise _overlap_refusal(exc) from exc
    return appointment


def _set_status(
    *, appointment: Appointment, status: str, actor, summary: str, request, **fields
) -> Appointment:
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.status != AppointmentStatus.BOOKED:
            raise refusal(
                "status",
                f"This appointment is already {locked.get_status_display().lower()}.",
                code=INVALID,
            )
        locked.status = status
        if status == AppointmentStatus.CANCELLED:
            locked.sequence += 1  # calendars must see the cancellation as a new revision
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            summary=summary,
            patient=locked.patient,
            obj=locked,
            request=request,
        )
    return locked


def appointment_cancel(
    *, appointment: Appointment, actor, reason: str = "", request=None
) -> Appointment:
    return _set_status(
        appointment=appointment,
        status=AppointmentStatus.CANCELLED,
        actor=actor,
        summary="Cancelled appointment",
        request=request,
        cancel_reason=reason.strip()[:200],
    )


def appointment_mark_no_show(*, appointment: Appointment, actor, request=None) -> Appointment:
    if appointment.starts_at > timezone.now():
        raise refusal(
            "status",
            "A no-show can be recorded only once the appointment has started.",
            code=INVALID,
        )
    return _set_status(
        appointment=appointment,
        status=AppointmentStatus.NO_SHOW,
        actor=actor,
        summary="Marked appointment as no-show",
        request=request,
    )


def appointment_mark_attended(*, appointment: Appointment, actor, request=None) -> Appointment:
    if local_date(appointment.starts_at) > timezone.localdate():
        raise refusal(
            "status", "Attendance can be recorded only on or after the day.", code=INVALID
        )
    with transaction.atomic():
        attended = _set_status(
            appointment=appointment,
            status=AppointmentStatus.ATTENDED,
            actor=actor,
            summary="Marked appointment as attended",
            request=request,
        )
        appointment_attended.send(
            sender=Appointment,
            patient_id=attended.patient_id,
            kind=attended.kind,
            actor=actor,
            request=request,
        )
    return attended


def working_hours_add(
    *, clinician, weekday: int, starts: time, ends: time, actor, request=None
) -> WorkingHours:
    _check_clinician(clinician)
    if ends <= starts:
        raise refusal("ends", "The end must be after the start.", code=INVALID)
    with transaction.atomic():
        overlapping = WorkingHours.objects.filter(
            clinician=clinician, weekday=weekday, starts__lt=ends, ends__gt=starts
        ).exists()
        if overlapping:
            raise refusal("starts", "This block overlaps another block that day.", code=INVALID)
        block = WorkingHours.objects.create(
            clinician=clinician, weekday=weekday, starts=starts, ends=ends
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary=f"Added working hours {block}",
            obj=block,
            request=request,
        )
    return block


def default_working_hours() -> list[tuple[int, time, time]]:
    """The working week a new clinician starts with (setting CADENCE_DEFAULT_WORKING_HOURS,
    else DEFAULT_WORKING_HOURS): checked here so that a bad setting fails loudly."""
    rows = getattr(settings, "CADENCE_DEFAULT_WORKING_HOURS", DEFAULT_WORKING_HOURS)
    blocks = []
    for weekday, starts, ends in rows:
        block = (int(weekday), time.fromisoformat(starts), time.fromisoformat(ends))
        if not 0 <= block[0] <= 6 or block[2] <= block[1]:
            raise ImproperlyConfigured(
                f"CADENCE_DEFAULT_WORKING_HOURS has an impossible block: {weekday, starts, ends}."
            )
        blocks.append(block)
    return blocks


def working_hours_give_defaults(*, clinician, actor=None, request=None) -> list[WorkingHours]:
    """Give a clinician with no working hours the default week (a new clinician, or a
    member of staff who has just become a clinician). A clinician who already has hours
    keeps them."""
    if clinician.role != Role.CLINICIAN:
        return []
    with transaction.atomic():
        _lock_calendar(clinician)
        if WorkingHours.objects.filter(clinician=clinician).exists():
            return []
        blocks = WorkingHours.objects.bulk_create(
            [
                WorkingHours(clinician=clinician, weekday=weekday, starts=starts, ends=ends)
                for weekday, starts, ends in default_working_hours()
            ]
        )
        if blocks:
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                summary=f"Gave {clinician.username} the default working hours: "
                + ", ".join(str(b) for b in blocks),
                obj=clinician,
                request=request,
            )
    return blocks


def on_clinician_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    """post_save of User: a new clinician (or a new role of clinician) gets the default
    working hours once the account is committed, unless the same transaction gave them
    hours of their own (the demo clinic does)."""
    if raw or instance.role != Role.CLINICIAN:
        return
    if not (created or (update_fields and "role" in update_fields)):
        return
    transaction.on_commit(lambda: working_hours_give_defaults(clinician=instance))


def working_hours_remove(*, block: WorkingHours, actor, request=None) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            summary=f"Removed working hours {block}",
            obj=block,
            request=request,
        )
        block.delete()


def calendar_feed_issue(*, clinician, actor, request=None) -> str:
    """A new secret feed token for the clinician (any previous one stops working).
    Returns the raw token; only its hash is stored."""
    with transaction.atomic():
        calendar = _lock_calendar(clinician)
        raw = calendar.new_feed_token()
        calendar.save()
        audit_record(
            actor=actor,
            action=AuditAction.SECURITY,
            summary="Issued a calendar feed link",
            obj=calendar,
            request=request,
        )
    return raw


def calendar_feed_revoke(*, clinician, actor, request=None) -> None:
    with transaction.atomic():
        calendar = _lock_calendar(clinician)
        calendar.feed_token_hash = ""
        calendar.feed_token_created_at = None
        calendar.save()
        audit_record(
            actor=actor,
            action=AuditAction.SECURITY,
            summary="Revoked the calendar feed link",
            obj=calendar,
            request=request,
        )


def reminder_preference_set(
    *, patient: Patient, email_enabled: bool, sms_enabled: bool, actor, request=None
) -> ReminderPreference:
    with transaction.atomic():
        preference, _ = ReminderPreference.objects.select_for_update().get_or_create(
            patient=patient
        )
        preference.email_enabled = email_enabled
        preference.sms_enabled = sms_enabled
        preference.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        preference.save()
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            summary=f"Reminder channels: email {'on' if email_enabled else 'off'}, "
            f"text {'on' if sms_enabled else 'off'}",
            patient=patient,
            obj=preference,
            request=request,
        )
    return preference


#: The clinic's working days (Monday to Friday), for the first date the booking form offers.
WORKING_WEEKDAYS = frozenset(range(5))


def next_working_day(today: date) -> date:
    """The first working day after `today` (the booking form never starts on today: the
    front desk books ahead)."""
    day = today + timedelta(days=1)
    while day.weekday() not in WORKING_WEEKDAYS:
        day += timedelta(days=1)
    return day


def suggested_session_date(*, earliest: date | None, next_due: date | None, today: date) -> date:
    """The date the booking form proposes: the due date, never before the earliest date
    nor before the next working day."""
    candidates = [d for d in (next_due, earliest, next_working_day(today)) if d is not None]
    return max(candidates)
