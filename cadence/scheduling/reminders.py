"""Reminders: what is due, and sending each one once.

Three kinds (Cadence defaults, named below):
- appointment reminders `APPOINTMENT_REMINDER_DAYS_BEFORE` (2) days before a booked
  appointment;
- "time to book your next session" `BOOKING_REMINDER_DAYS_AFTER_SESSION` (70, from
  rules.schedule) days after the last session, unless a session is already booked;
- diary nudges when the diary has had no entry for `DIARY_GAP_DAYS` (3) days;
- questionnaires (MIDAS and HIT-6) `QUESTIONNAIRE_REMINDER_DAYS_BEFORE` (7) days before a
  booked treatment session when one is due (none since the last session; see
  `cadence.scheduling.questionnaires`).
Each goes by email and/or text message, per the patient's `ReminderPreference`.

How a reminder is sent once
---------------------------
`plan_due_reminders` creates one `Reminder` row per (kind, channel, patient, appointment,
due date): the unique `key` makes re-running it harmless. `enqueue_due_reminders` in
`cadence.scheduling.tasks` (the `send_due_reminders` command, run every few minutes by
cron/systemd) enqueues a `send_reminder_task` for each pending row; the task calls
`send_reminder`, which moves the row through conditional UPDATEs, each committed on its
own:

    pending --claim--> claimed --start--> sending --delivered--> sent

- *claim*: `UPDATE ... WHERE status = pending` (or a claim older than `CLAIM_LEASE`, i.e.
  its worker died before sending anything). Only one worker's UPDATE matches, so two
  workers (or a task enqueued twice) never both send.
- *start*: `UPDATE ... SET status = sending WHERE claim_token = mine AND status = claimed`,
  committed *before* the email/SMS backend is called. A worker that dies after claiming but
  before this point has sent nothing: after the lease the reminder is claimed again and
  sent (so a restart still sends it, once).
- The backend raising means nothing went out: the row returns to pending (retried up to
  `MAX_ATTEMPTS`, then failed).
- A worker that dies *during* the hand-over (status sending, never confirmed) cannot know
  whether the message left. Cadence chooses **at-most-once** there: the row is marked
  `unconfirmed` after the lease and never re-sent automatically (staff can see it). Apart
  from that one window (the duration of a single SMTP/SMS call), each reminder is sent
  exactly once across worker restarts and concurrent workers.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from cadence.accounts.clinic import clinic_phone
from cadence.diary.models import DiaryDay
from cadence.patients.models import Patient
from cadence.rules.diary import DIARY_GAP_DAYS
from cadence.rules.schedule import BOOKING_REMINDER_DAYS_AFTER_SESSION
from cadence.scheduling.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Reminder,
    ReminderChannel,
    ReminderKind,
    ReminderPreference,
    ReminderStatus,
)
from cadence.scheduling.questionnaires import (
    questionnaire_reminders_due,
    questionnaires_still_due,
)
from cadence.scheduling.selectors import local_day_bounds
from cadence.scheduling.sms import get_sms_backend
from cadence.treatments.selectors import session_dates_by_patient

#: Cadence default (from the issue): appointment reminders go out 2 days before.
APPOINTMENT_REMINDER_DAYS_BEFORE = 2
#: Cadence default: a reminder whose due date passed more than this many days ago (e.g.
#: the timer was off) is not sent any more.
REMINDER_CATCH_UP_DAYS = 7
#: A claim (or hand-over) older than this belongs to a worker that died.
CLAIM_LEASE = timedelta(minutes=10)
#: Backend failures before a reminder is given up.
MAX_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class DueReminder:
    kind: str
    patient_id: int
    due_on: date
    appointment_id: int | None = None


def _due_appointment_reminders(today: date, now: datetime) -> list[DueReminder]:
    _, horizon = local_day_bounds(today + timedelta(days=APPOINTMENT_REMINDER_DAYS_BEFORE))
    rows = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, starts_at__gte=now, starts_at__lt=horizon
    ).values_list("pk", "patient_id", "starts_at")
    return [
        DueReminder(
            ReminderKind.APPOINTMENT,
            patient_id,
            timezone.localtime(starts_at).date() - timedelta(days=APPOINTMENT_REMINDER_DAYS_BEFORE),
            appointment_id,
        )
        for appointment_id, patient_id, starts_at in rows
    ]


def _due_booking_reminders(today: date, now: datetime) -> list[DueReminder]:
    booked = set(
        Appointment.objects.filter(
            kind=AppointmentKind.TREATMENT_SESSION,
            status=AppointmentStatus.BOOKED,
            starts_at__gte=now,
        ).values_list("patient_id", flat=True)
    )
    due = []
    for patient_id, dates in session_dates_by_patient().items():
        remind_on = dates[-1] + timedelta(days=BOOKING_REMINDER_DAYS_AFTER_SESSION)
        if patient_id not in booked and 0 <= (today - remind_on).days <= REMINDER_CATCH_UP_DAYS:
            due.append(DueReminder(ReminderKind.BOOK_NEXT, patient_id, remind_on))
    return due


def _due_diary_nudges(today: date) -> list[DueReminder]:
    latest = (
        DiaryDay.objects.values("patient_id")
        .annotate(last_entry=Max("date"))
        .filter(
            last_entry__lte=today - timedelta(days=DIARY_GAP_DAYS),
            last_entry__gte=today - timedelta(days=DIARY_GAP_DAYS + REMINDER_CATCH_UP_DAYS),
        )
    )
    return [
        DueReminder(
            ReminderKind.DIARY_GAP,
            row["patient_id"],
            row["last_entry"] + timedelta(days=DIARY_GAP_DAYS),
        )
        for row in latest
    ]


def plan_due_reminders(*, today: date | None = None, now: datetime | None = None) -> int:
    """Create the Reminder rows that are due (idempotent). Returns how many are new."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    due = (
        _due_appointment_reminders(today, now)
        + _due_booking_reminders(today, now)
        + _due_diary_nudges(today)
        + [
            DueReminder(ReminderKind.QUESTIONNAIRE, patient_id, due_on, appointment_id)
            for patient_id, appointment_id, due_on in questionnaire_reminders_due(today, now)
        ]
    )
    if not due:
        return 0
    patient_ids = {d.patient_id for d in due}
    patients = Patient.objects.in_bulk(list(patient_ids))
    preferences = {
        p.patient_id: p for p in ReminderPreference.objects.filter(patient_id__in=patient_ids)
    }
    rows = []
    for item in due:
        patient = patients.get(item.patient_id)
        if patient is None:
            continue
        preference = preferences.get(item.patient_id) or ReminderPreference(patient=patient)
        channels = []
        if preference.email_enabled and patient.email:
            channels.append(ReminderChannel.EMAIL)
        if preference.sms_enabled and patient.phone:
            channels.append(ReminderChannel.SMS)
        for channel in channels:
            rows.append(
                Reminder(
                    key=Reminder.make_key(
                        kind=item.kind,
                        channel=channel,
                        patient_id=item.patient_id,
                        appointment_id=item.appointment_id,
                        due_on=item.due_on,
                    ),
                    kind=item.kind,
                    channel=channel,
                    patient_id=item.patient_id,
                    appointment_id=item.appointment_id,
                    due_on=item.due_on,
                )
            )
    before = Reminder.objects.count()
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return Reminder.objects.count() - before


# ---------------------------------------------------------------- sending one
def _after_claim(reminder_id: int) -> None:
    """A seam for tests: raise here to simulate a worker killed right after its claim."""


def _after_send(reminder_id: int) -> None:
    """A seam for tests: raise here to simulate a worker killed after handing over."""


def _message(reminder: Reminder) -> tuple[str, str]:
    clinic = settings.CLINIC_NAME
    phone = clinic_phone()
    call_us = f"please call us on {phone}" if phone else "please call us"
    first_name = reminder.patient.first_name
    if reminder.kind == ReminderKind.APPOINTMENT and reminder.appointment is not None:
        when = timezone.localtime(reminder.appointment.starts_at)
        kind = reminder.appointment.get_kind_display().lower()
        return (
            f"Your {kind} on {when:%A %d %B} at {when:%H:%M}",
            f"Hello {first_name}, a reminder from {clinic}: your {kind} is on "
            f"{when:%A %d %B %Y} at {when:%H:%M}. If you cannot come, {call_us}.",
        )
    if reminder.kind == ReminderKind.BOOK_NEXT:
        return (
            "Time to book your next treatment session",
            f"Hello {first_name}, it is time to book your next treatment session with {clinic}. "
            f"To book, {call_us} or ask at your next visit.",
        )
    if reminder.kind == ReminderKind.QUESTIONNAIRE:
        return (
            "Two questionnaires before your next session",
            f"Hello {first_name}, before your next treatment session with {clinic}, please "
            "fill in the MIDAS and HIT-6 questionnaires in your patient portal. They take a "
            "few minutes and show how your headaches affect your life.",
        )
    return (
        "Your headache diary",
        f"Hello {first_name}, your headache diary at {clinic} has had no entry for a few days. "
        "A minute a day keeps your treatment on track.",
    )


def _skip_reason(reminder: Reminder) -> str:
    preference = ReminderPreference.objects.filter(patient_id=reminder.patient_id).first()
    if reminder.channel == ReminderChannel.EMAIL:
        if preference is not None and not preference.email_enabled:
            return "The patient opted out of email reminders."
        if not reminder.patient.email:
            return "No email address."
    else:
        if preference is not None and not preference.sms_enabled:
            return "The patient opted out of text reminders."
        if not reminder.patient.phone:
            return "No phone number."
    if reminder.kind == ReminderKind.APPOINTMENT and (
        reminder.appointment is None or reminder.appointment.status != AppointmentStatus.BOOKED
    ):
        return "The appointment is no longer booked."
    if reminder.kind == ReminderKind.QUESTIONNAIRE and not questionnaires_still_due(
        reminder.patient_id, timezone.localdate()
    ):
        return "The questionnaires were completed since the last session."
    return ""


def send_reminder(reminder_id: int, *, now: datetime | None = None) -> str:
    """Send one reminder if this worker wins the claim. Returns what happened."""
    now = now or timezone.now()
    token = secrets.token_hex(8)
    stale = now - CLAIM_LEASE
    with transaction.atomic():
        claimed = (
            Reminder.objects.filter(pk=reminder_id)
            .filter(
                Q(status=ReminderStatus.PENDING)
                | Q(status=ReminderStatus.CLAIMED, claimed_at__lt=stale)
            )
            .update(
                status=ReminderStatus.CLAIMED,
                claim_token=token,
                claimed_at=now,
                attempts=F("attempts") + 1,
            )
        )
    if not claimed:
        return "not claimed"
    _after_claim(reminder_id)
    reminder = Reminder.objects.select_related("patient", "appointment").get(pk=reminder_id)
    mine = Reminder.objects.filter(pk=reminder_id, claim_token=token)
    skip = _skip_reason(reminder)
    if skip:
        mine.filter(status=ReminderStatus.CLAIMED).update(
            status=ReminderStatus.SKIPPED, last_error=skip
        )
        return "skipped"
    subject, body = _message(reminder)
    with transaction.atomic():
        started = mine.filter(status=ReminderStatus.CLAIMED).update(
            status=ReminderStatus.SENDING, send_started_at=timezone.now()
        )
    if not started:
        return "claim lost"
    try:
        if reminder.channel == ReminderChannel.EMAIL:
            send_mail(subject, body, None, [reminder.patient.email])
        else:
            get_sms_backend().send(to=reminder.patient.phone, body=body)
    except Exception as exc:  # noqa: BLE001 - the backend refused: nothing went out
        failed = reminder.attempts >= MAX_ATTEMPTS
        mine.filter(status=ReminderStatus.SENDING).update(
            status=ReminderStatus.FAILED if failed else ReminderStatus.PENDING,
            last_error=f"{type(exc).__name__}: {exc}"[:300],
        )
        return "failed"
    _after_send(reminder_id)
    mine.filter(status=ReminderStatus.SENDING).update(
        status=ReminderStatus.SENT, sent_at=timezone.now()
    )
    return "sent"
