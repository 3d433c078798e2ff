"""Reads of the schedule: treatment rhythm per patient, the calendar, the worklists.

Other apps may call:
- `treatment_schedule_for(patient, today=None)` -> `cadence.rules.schedule.TreatmentSchedule`
- `sessions_due_between(start, end, today=None)` -> list[WorklistEntry] (next due date in range)
- `overdue_patients(today=None)` -> list[WorklistEntry] (past due, no session booked)
- `lost_to_follow_up(today=None)`, `course_reviews_due(today=None)`, `worklists(today=None)`
Each worklist runs a fixed number of queries, whatever the number of patients, and reads
only the patients it may hold: `TreatmentRhythm` (kept by `cadence.scheduling.rhythm`)
finds them by indexed dates; the rules then decide each list exactly from their sessions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from cadence.patients.models import Patient, PayerProfile
from cadence.patients.selectors import payer_profile_for
from cadence.rules.payer import DEFAULT_PAYER_PROFILE
from cadence.rules.schedule import (
    COURSE_SESSIONS,
    DUE_WINDOW_END_DAYS,
    RETREATMENT_INTERVAL_DAYS,
    TreatmentSchedule,
    treatment_schedule,
)
from cadence.scheduling.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    ReminderPreference,
    TreatmentRhythm,
    WorkingHours,
)
from cadence.treatments.selectors import session_dates, session_dates_by_patient

#: Cadence default (from the issue): a patient with no session and no booking for more
#: than this many days after their last session is "lost to follow-up" (= the end of the
#: 84-98 day due window).
LOST_TO_FOLLOW_UP_DAYS = DUE_WINDOW_END_DAYS
#: Cadence default: the course-review worklist shows reviews due within this many days.
REVIEW_LOOKAHEAD_DAYS = 14
#: Cadence default: reviews due more than this many days ago drop off the worklist.
REVIEW_LOOKBACK_DAYS = 56


# ---------------------------------------------------------------- time helpers
def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The aware start of `day` and of the next day, in the clinic's time zone."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), zone)
    return start, end


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


# ---------------------------------------------------------------- session dates
# Session dates are the treatments app's answer (``session_dates``,
# ``session_dates_by_patient``: signed sessions only); the schedule reads them from there.


def treatment_schedule_for(patient: Patient, today: date | None = None) -> TreatmentSchedule:
    """Where the patient is in the 12-week rhythm (rules.schedule with their payer profile)."""
    return treatment_schedule(
        session_dates(patient),
        today=today or timezone.localdate(),
        profile=payer_profile_for(patient),
    )


# ---------------------------------------------------------------- appointments
def appointments_between(
    start: date, end: date, *, clinician_id: int | None = None, include_cancelled: bool = True
) -> QuerySet[Appointment]:
    """Appointments starting on local days start..end (both included)."""
    range_start, _ = local_day_bounds(start)
    _, range_end = local_day_bounds(end)
    rows = Appointment.objects.filter(starts_at__gte=range_start, starts_at__lt=range_end)
    if clinician_id:
        rows = rows.filter(clinician_id=clinician_id)
    if not include_cancelled:
        rows = rows.filter(status__in=ACTIVE_STATUSES)
    return rows.select_related("patient", "clinician").order_by("starts_at", "clinician_id", "id")


def upcoming_appointments_for_patient(
    patient: Patient, *, now: datetime | None = None
) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(
            patient=patient, status=AppointmentStatus.BOOKED, starts_at__gte=now or timezone.now()
        )
        .select_related("clinician")
        .order_by("starts_at")
    )


def next_appointment_for_patient(patient: Patient) -> Appointment | None:
    return upcoming_appointments_for_patient(patient).first()


def patient_appointments(patient: Patient) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(patient=patient)
        .select_related("clinician")
        .order_by("-starts_at")
    )


def working_hours_for(clinician_ids: Iterable[int]) -> dict[int, list[WorkingHours]]:
    by_clinician: dict[int, list[WorkingHours]] = defaultdict(list)
    for block in WorkingHours.objects.filter(clinician_id__in=list(clinician_ids)).order_by(
        "clinician_id", "weekday", "starts"
    ):
        by_clinician[block.clinician_id].append(block)
    return dict(by_clinician)


def reminder_preference_for(patient: Patient) -> ReminderPreference:
    """The patient's reminder channels (an unsaved all-on preference if none stored)."""
    return ReminderPreference.objects.filter(patient=patient).first() or ReminderPreference(
        patient=patient
    )


# ---------------------------------------------------------------- worklists
@dataclass(frozen=True, slots=True)
class WorklistEntry:
    patient: Patient
    schedule: TreatmentSchedule
    booked_session: Appointment | None  # the next booked treatment session, if any
    days_since_last: int
    # The patient's next live appointment of any kind from today (a patient already
    # booked is not offered "Book" again on the worklists).
    next_appointment: Appointment | None = None


def _entries_for(patient_ids: Iterable[int], today: date) -> list[WorklistEntry]:
    """These patients (those with a signed session among them) with their schedule, as
    ``cadence.rules.schedule`` decides it from all their signed sessions, and their next
    bookings. Three queries: session dates, booked future appointments, patients."""
    ids = sorted(set(patient_ids))
    if not ids:
        return []
    dates_by_patient = session_dates_by_patient(ids)
    if not dates_by_patient:
        return []
    now_start, _ = local_day_bounds(today)
    booked: dict[int, Appointment] = {}
    next_booked: dict[int, Appointment] = {}
    for appointment in (
        Appointment.objects.filter(
            patient_id__in=list(dates_by_patient),
            status=AppointmentStatus.BOOKED,
            starts_at__gte=now_start,
        )
        .select_related("clinician")
        .order_by("starts_at")
    ):
        next_booked.setdefault(appointment.patient_id, appointment)
        if appointment.kind == AppointmentKind.TREATMENT_SESSION:
            booked.setdefault(appointment.patient_id, appointment)
    patients = _patients_with_payer(list(dates_by_patient))
    profiles: dict = {}
    entries = []
    for patient_id, dates in dates_by_patient.items():
        patient = patients.get(patient_id)
        if patient is None:
            continue
        profile_key = getattr(patient, "payer_profile_id", None)
        if profile_key not in profiles:  # the profile depends only on the patient's payer
            profiles[profile_key] = payer_profile_for(patient)
        schedule = treatment_schedule(dates, today=today, profile=profiles[profile_key])
        entries.append(
            WorklistEntry(
                patient=patient,
                schedule=schedule,
                booked_session=booked.get(patient_id),
                days_since_last=(today - schedule.last_session).days,
                next_appointment=next_booked.get(patient_id),
            )
        )
    return entries


@dataclass(frozen=True, slots=True)
class _RhythmBounds:
    """The widest intervals any payer profile gives (the clinic's profiles and the
    reference default): the longest wait before "due" and the shortest and longest
    course review."""

    longest_due_days: int
    shortest_review_days: int
    longest_review_days: int


def _rhythm_bounds() -> _RhythmBounds:
    """One query (the payer profiles)."""
    profiles = [DEFAULT_PAYER_PROFILE.min_interval_days]
    review_weeks = [DEFAULT_PAYER_PROFILE.review_weeks]
    for interval, weeks in PayerProfile.objects.values_list("min_interval_days", "review_weeks"):
        profiles.append(interval)
        review_weeks.append(weeks)
    return _RhythmBounds(
        longest_due_days=max(max(RETREATMENT_INTERVAL_DAYS, days) for days in profiles),
        shortest_review_days=min(review_weeks) * 7,
        longest_review_days=max(review_weeks) * 7,
    )


def _no_booked_session(today: date) -> Exists:
    now_start, _ = local_day_bounds(today)
    return ~Exists(
        Appointment.objects.filter(
            patient_id=OuterRef("patient_id"),
            kind=AppointmentKind.TREATMENT_SESSION,
            status=AppointmentStatus.BOOKED,
            starts_at__gte=now_start,
        )
    )


def _due_between_filter(start: date, end: date, bounds: _RhythmBounds) -> Q:
    """Patients whose next due date (last session + 84 days, or the payer's longer
    interval) may fall between start and end."""
    return Q(
        last_session_on__gte=start - timedelta(days=bounds.longest_due_days),
        last_session_on__lte=end - timedelta(days=RETREATMENT_INTERVAL_DAYS),
    )


def _candidates(
    today: date, *, due: tuple[date, date] | None = None, overdue=False, lost=False, reviews=False
) -> list[int]:
    """The patients a worklist may hold, found by the indexed dates of `TreatmentRhythm`
    (a superset: the lists themselves are then decided exactly, by the rules, from each
    candidate's sessions). One query (a UNION), plus one for the payer profiles."""
    bounds = _rhythm_bounds()
    rhythms = TreatmentRhythm.objects.values_list("patient_id", flat=True)
    parts = []
    if due is not None:
        parts.append(rhythms.filter(_due_between_filter(*due, bounds)))
    if overdue:  # due (after day 84) before today, at most LOST_TO_FOLLOW_UP_DAYS ago
        parts.append(
            rhythms.filter(
                _no_booked_session(today),
                last_session_on__gte=today - timedelta(days=LOST_TO_FOLLOW_UP_DAYS),
                last_session_on__lt=today - timedelta(days=RETREATMENT_INTERVAL_DAYS),
            )
        )
    if lost:
        parts.append(
            rhythms.filter(
                _no_booked_session(today),
                last_session_on__lt=today - timedelta(days=LOST_TO_FOLLOW_UP_DAYS),
            )
        )
    if reviews:
        # The review (course start + the profile's weeks) within the list's days, and no
        # follow-up since the course began (the rhythm's latest follow-up, by the partial
        # index of courses whose review is outstanding).
        first_from = today - timedelta(days=REVIEW_LOOKBACK_DAYS + bounds.longest_review_days)
        first_until = today + timedelta(days=REVIEW_LOOKAHEAD_DAYS - bounds.shortest_review_days)
        parts.append(
            rhythms.filter(
                Q(last_follow_up_on__isnull=True)
                | Q(last_follow_up_on__lt=F("course_first_session_on")),
                sessions_in_course__gte=COURSE_SESSIONS,
                course_first_session_on__gte=first_from,
                course_first_session_on__lte=first_until,
            )
        )
    if not parts:
        return []
    query = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    return list(query)


def _patients_with_payer(patient_ids: list[int]) -> dict[int, Patient]:
    rows = Patient.objects.filter(pk__in=patient_ids).select_related("payer_profile")
    return {p.pk: p for p in rows}


def _by_due(entries: list[WorklistEntry]) -> list[WorklistEntry]:
    return sorted(entries, key=lambda e: (e.schedule.next_due, e.patient.last_name, e.patient.pk))


def sessions_due_between(start: date, end: date, today: date | None = None) -> list[WorklistEntry]:
    """Patients whose next session is due (day 84) between start and end, booked or not."""
    today = today or timezone.localdate()
    entries = _entries_for(_candidates(today, due=(start, end)), today)
    return _by_due([e for e in entries if start <= e.schedule.next_due <= end])


def _overdue(entries: list[WorklistEntry], today: date) -> list[WorklistEntry]:
    return [
        e
        for e in entries
        if e.booked_session is None
        and e.schedule.next_due < today
        and e.days_since_last <= LOST_TO_FOLLOW_UP_DAYS
    ]


def _lost(entries: list[WorklistEntry]) -> list[WorklistEntry]:
    return [
        e
        for e in entries
        if e.booked_session is None and e.days_since_last > LOST_TO_FOLLOW_UP_DAYS
    ]


def overdue_patients(today: date | None = None) -> list[WorklistEntry]:
    """Past their due date (day 84), not yet lost to follow-up, no session booked."""
    today = today or timezone.localdate()
    return _by_due(_overdue(_entries_for(_candidates(today, overdue=True), today), today))


def lost_to_follow_up(today: date | None = None) -> list[WorklistEntry]:
    """No session and no booking for more than LOST_TO_FOLLOW_UP_DAYS since the last one."""
    today = today or timezone.localdate()
    return _by_due(_lost(_entries_for(_candidates(today, lost=True), today)))


def _reviews(entries: list[WorklistEntry], today: date) -> list[WorklistEntry]:
    candidates = [
        e
        for e in entries
        if e.schedule.sessions_in_course >= COURSE_SESSIONS
        and e.schedule.review_due is not None
        and today - timedelta(days=REVIEW_LOOKBACK_DAYS)
        <= e.schedule.review_due
        <= today + timedelta(days=REVIEW_LOOKAHEAD_DAYS)
    ]
    if not candidates:
        return []
    earliest_course = min(e.schedule.course_first_session for e in candidates)
    range_start, _ = local_day_bounds(earliest_course)
    reviewed: dict[int, list[date]] = defaultdict(list)
    for patient_id, starts_at in Appointment.objects.filter(
        kind=AppointmentKind.FOLLOW_UP,
        status__in=ACTIVE_STATUSES,
        patient_id__in=[e.patient.pk for e in candidates],
        starts_at__gte=range_start,
    ).values_list("patient_id", "starts_at"):
        reviewed[patient_id].append(local_date(starts_at))
    return [
        e
        for e in candidates
        if not any(day >= e.schedule.course_first_session for day in reviewed[e.patient.pk])
    ]


def course_reviews_due(today: date | None = None) -> list[WorklistEntry]:
    """Courses complete (two sessions) whose 24-week review is near or recently due and
    has no follow-up appointment since the course began."""
    today = today or timezone.localdate()
    return sorted(
        _reviews(_entries_for(_candidates(today, reviews=True), today), today),
        key=lambda e: (e.schedule.review_due, e.patient.pk),
    )


@dataclass(frozen=True, slots=True)
class Worklists:
    week_start: date
    week_end: date
    due_this_week: list[WorklistEntry]
    overdue: list[WorklistEntry]
    reviews_due: list[WorklistEntry]
    lost_to_follow_up: list[WorklistEntry]


def worklists(today: date | None = None) -> Worklists:
    """All four worklists from one pass over the patients they may hold (at most 7
    queries, whatever the number of patients)."""
    today = today or timezone.localdate()
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    candidates = _candidates(
        today, due=(week_start, week_end), overdue=True, lost=True, reviews=True
    )
    entries = _entries_for(candidates, today)
    return Worklists(
        week_start=week_start,
        week_end=week_end,
        due_this_week=_by_due(
            [e for e in entries if week_start <= e.schedule.next_due <= week_end]
        ),
        overdue=_by_due(_overdue(entries, today)),
        reviews_due=sorted(
            _reviews(entries, today), key=lambda e: (e.schedule.review_due, e.patient.pk)
        ),
        lost_to_follow_up=_by_due(_lost(entries)),
    )


def free_start_times(clinician, day: date, minutes: int, *, step_minutes: int = 15) -> list[time]:
    """Start times on `day` (clinic time) when the clinician works and is free for
    `minutes`, on a `step_minutes` grid."""
    blocks = WorkingHours.objects.filter(clinician=clinician, weekday=day.weekday())
    day_start, day_end = local_day_bounds(day)
    busy = list(
        Appointment.objects.filter(
            clinician=clinician,
            status__in=ACTIVE_STATUSES,
            starts_at__lt=day_end,
            ends_at__gt=day_start,
        ).values_list("starts_at", "ends_at")
    )
    zone = timezone.get_current_timezone()
    now = timezone.now()
    free = []
    for block in blocks:
        moment = timezone.make_aware(datetime.combine(day, block.starts), zone)
        block_end = timezone.make_aware(datetime.combine(day, block.ends), zone)
        while moment + timedelta(minutes=minutes) <= block_end:
            end = moment + timedelta(minutes=minutes)
            if moment >= now and not any(s < end and e > moment for s, e in busy):
                free.append(timezone.localtime(moment, zone).time())
            moment += timedelta(minutes=step_minutes)
    return sorted(set(free))  # overlapping blocks would list a time twice


# ---------------------------------------------------------------- the week grid
#: The week grid's rows are this many minutes long unless asked otherwise (15 or 30).
GRID_STEP_CHOICES = (15, 30)
GRID_DEFAULT_STEP = 30
#: Rows shown when no one works that week (clinic time).
GRID_DEFAULT_HOURS = (time(9), time(17))


@dataclass(frozen=True, slots=True)
class GridCell:
    day: date
    starts: time
    working: bool  # inside the clinician's working hours
    bookable: bool  # working, free for the whole row and not in the past
    appointments: tuple[Appointment, ...] = ()  # appointments that start in this row
    busy: bool = False  # an earlier appointment still runs in this row


@dataclass(frozen=True, slots=True)
class GridRow:
    starts: time
    cells: list[GridCell]


def week_grid(clinician, week_start: date, *, step_minutes: int = GRID_DEFAULT_STEP):
    """One clinician's week as rows of `step_minutes` (clinic time) by days Monday-Sunday.
    Rows span the clinician's earliest start to latest end of their working week, widened
    to show any appointment of the week outside them. Two queries."""
    days = [week_start + timedelta(days=offset) for offset in range(7)]
    blocks = list(WorkingHours.objects.filter(clinician=clinician))
    appointments = [
        a
        for a in appointments_between(days[0], days[-1], clinician_id=clinician.pk)
        if a.status in ACTIVE_STATUSES
    ]
    first = min(
        [b.starts for b in blocks] + [timezone.localtime(a.starts_at).time() for a in appointments],
        default=GRID_DEFAULT_HOURS[0],
    )
    first = time(first.hour, first.minute - first.minute % step_minutes)
    last = max(
        [b.ends for b in blocks]
        + [
            timezone.localtime(a.ends_at).time()
            for a in appointments
            if local_date(a.ends_at) == local_date(a.starts_at)
        ],
        default=GRID_DEFAULT_HOURS[1],
    )
    zone = timezone.get_current_timezone()
    now = timezone.now()
    step = timedelta(minutes=step_minutes)
    starts: list[time] = []
    moment = datetime.combine(days[0], first)
    while moment.time() < last and moment.date() == days[0]:
        starts.append(moment.time())
        moment += step
    rows = []
    for row_start in starts:
        cells = []
        for day in days:
            begin = timezone.make_aware(datetime.combine(day, row_start), zone)
            end = begin + step
            naive_end = datetime.combine(day, row_start) + step
            working = naive_end.date() == day and any(
                b.weekday == day.weekday() and b.starts <= row_start and naive_end.time() <= b.ends
                for b in blocks
            )
            starting = tuple(a for a in appointments if begin <= a.starts_at < end)
            overlapping = any(a.starts_at < end and a.ends_at > begin for a in appointments)
            cells.append(
                GridCell(
                    day=day,
                    starts=row_start,
                    working=working,
                    bookable=working and not overlapping and begin >= now,
                    appointments=starting,
                    busy=overlapping and not starting,
                )
            )
        rows.append(GridRow(starts=row_start, cells=cells))
    return days, rows
