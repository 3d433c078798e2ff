"""The scheduling part of the demo clinic: working hours, a realistic calendar.

- Both demo clinicians work Monday-Friday 08:30-12:30 and 13:30-17:00.
- Treated patients in maintenance or their first course: most have their next treatment
  session booked at the suggested date (due date, not before the earliest date, moved to
  a weekday); about a quarter are left unbooked so the worklists show due and overdue.
- Work-up patients: a consultation in the next three weeks.
- First-course patients with two sessions: some have their 24-week review booked.
- Past appointments: each session of the last ~4 months as an attended treatment session
  (when it fell on a working day), plus a few no-shows and cancellations.
Everything falls inside working hours and nothing overlaps (slots are taken from an
in-memory diary per clinician before one bulk insert).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from cadence.demo.story import DemoContext, Stage
from cadence.rules.schedule import COURSE_SESSIONS, treatment_schedule
from cadence.scheduling.models import (
    DEFAULT_DURATION_MINUTES,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    ReminderPreference,
    WorkingHours,
)
from cadence.scheduling.rhythm import rebuild_treatment_rhythms

BLOCKS = ((time(8, 30), time(12, 30)), (time(13, 30), time(17, 0)))
WORKDAYS = range(5)
PAST_DAYS = 120


class _Diary:
    """Which slots each clinician already has, per day (minutes from midnight)."""

    def __init__(self) -> None:
        self.busy: dict[tuple[int, date], list[tuple[int, int]]] = {}

    def take(
        self, clinician_id: int, day: date, minutes: int, rng, *, not_before: int = 0
    ) -> time | None:
        if day.weekday() not in WORKDAYS:
            return None
        taken = self.busy.setdefault((clinician_id, day), [])
        starts = []
        for block_start, block_end in BLOCKS:
            first = block_start.hour * 60 + block_start.minute
            last = block_end.hour * 60 + block_end.minute - minutes
            starts.extend(range(first, last + 1, 15))
        rng.shuffle(starts)
        for start in sorted(starts[:12]) + starts[12:]:
            if start < not_before:
                continue
            if all(start + minutes <= s or start >= e for s, e in taken):
                taken.append((start, start + minutes))
                return time(start // 60, start % 60)
        return None


def _next_weekday(day: date) -> date:
    while day.weekday() not in WORKDAYS:
        day += timedelta(days=1)
    return day


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    clinicians = ctx.clinicians()
    if not clinicians:
        return
    WorkingHours.objects.bulk_create(
        [
            WorkingHours(clinician=c, weekday=day, starts=start, ends=end)
            for c in clinicians
            for day in WORKDAYS
            for start, end in BLOCKS
        ]
    )
    zone = timezone.get_current_timezone()
    now = timezone.now()
    now_minutes = timezone.localtime(now).hour * 60 + timezone.localtime(now).minute + 30
    diary = _Diary()
    frontdesk = ctx.staff.get("frontdesk")
    rows: list[Appointment] = []
    # A patient is in one place at a time (the database refuses a patient's overlapping
    # appointments): the demo gives a patient at most one appointment a day.
    patient_days: set[tuple[int, date]] = set()

    def add(patient, kind: str, day: date, status: str = AppointmentStatus.BOOKED, **extra) -> bool:
        if (patient.pk, day) in patient_days:
            return False
        minutes = DEFAULT_DURATION_MINUTES[kind]
        not_before = now_minutes if day == ctx.today and status == AppointmentStatus.BOOKED else 0
        for clinician in rng.sample(clinicians, len(clinicians)):
            start = diary.take(clinician.pk, day, minutes, rng, not_before=not_before)
            if start is None:
                continue
            starts_at = timezone.make_aware(datetime.combine(day, start), zone)
            if status == AppointmentStatus.BOOKED and starts_at < now:
                continue
            rows.append(
                Appointment(
                    patient=patient,
                    clinician=clinician,
                    kind=kind,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=minutes),
                    status=status,
                    booked_by=frontdesk,
                    **extra,
                )
            )
            patient_days.add((patient.pk, day))
            return True
        return False

    for story in ctx.patients:
        patient = story.patient
        # Past: the sessions of the last months, attended (weekday sessions only).
        for session in story.session_dates:
            if 0 < (ctx.today - session).days <= PAST_DAYS:
                add(patient, AppointmentKind.TREATMENT_SESSION, session, AppointmentStatus.ATTENDED)
        if story.stage == Stage.WORK_UP:
            add(
                patient,
                AppointmentKind.CONSULTATION,
                _next_weekday(ctx.today + timedelta(days=rng.randint(1, 21))),
            )
            continue
        if story.stage not in (Stage.MAINTENANCE, Stage.FIRST_COURSE) or not story.session_dates:
            continue
        schedule = treatment_schedule(story.session_dates, today=ctx.today)
        if rng.random() < 0.25:
            continue  # not booked: shows on the worklists as due / overdue
        suggested = max(schedule.next_due, schedule.earliest, ctx.today + timedelta(days=1))
        add(patient, AppointmentKind.TREATMENT_SESSION, _next_weekday(suggested))
        if (
            story.stage == Stage.FIRST_COURSE
            and schedule.sessions_in_course >= COURSE_SESSIONS
            and schedule.review_due > ctx.today
            and rng.random() < 0.5
        ):
            add(patient, AppointmentKind.FOLLOW_UP, _next_weekday(schedule.review_due))

    # A few past no-shows and cancellations.
    past_days = [ctx.today - timedelta(days=d) for d in range(3, 40)]
    for story in rng.sample(ctx.patients, min(8, len(ctx.patients))):
        day = rng.choice(past_days)
        if rng.random() < 0.5:
            add(story.patient, AppointmentKind.FOLLOW_UP, day, AppointmentStatus.NO_SHOW)
        else:
            add(
                story.patient,
                AppointmentKind.CONSULTATION,
                day,
                AppointmentStatus.CANCELLED,
                cancel_reason=rng.choice(["Patient unwell", "Clashes with work", "Travel"]),
            )
    Appointment.objects.bulk_create(rows, batch_size=200)
    # bulk_create sends no save signals: the worklists' rhythm index (latest follow-up)
    # is rebuilt here.
    rebuild_treatment_rhythms({row.patient_id for row in rows})

    # Some patients chose their reminder channels.
    ReminderPreference.objects.bulk_create(
        [
            ReminderPreference(patient=story.patient, email_enabled=True, sms_enabled=False)
            for story in ctx.patients[::7]
        ]
    )
