"""The patient's place in the 12-week rhythm, kept in `TreatmentRhythm` (one row per
patient with a signed session) so that the worklists can find their patients by index.

One owner: the session columns are computed by ``cadence.rules.schedule.courses`` from
the patient's signed session dates (``treatments.selectors.session_dates_by_patient``),
the same dates and the same rule the worklists then decide on; ``last_follow_up_on`` is
the local day of the latest follow-up appointment that holds time, which the course
review worklist compares with the course's first session, as it does with the
appointments themselves.

- `refresh_treatment_rhythm(patient_id)` after a session or an appointment changes
  (connected to every save and delete of a `Procedure` and an `Appointment` in
  `SchedulingConfig.ready`);
- `rebuild_treatment_rhythms(patient_ids=None)` after bulk loads that bypass signals (the
  demo and scale seeders) and from ``manage.py rebuild_treatment_rhythms``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cadence.rules.schedule import courses
from cadence.scheduling.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentKind,
    TreatmentRhythm,
)
from cadence.treatments.selectors import session_dates_by_patient

#: Patients per chunk when rebuilding (and rows per bulk insert).
REBUILD_BATCH = 2_000


def rhythm_from_sessions(
    patient_id: int, session_dates: Iterable[date], last_follow_up_on: date | None = None
) -> TreatmentRhythm | None:
    """The rhythm row of a patient with these signed session dates (None without one)."""
    grouped = courses(list(session_dates))
    if not grouped:
        return None
    course = grouped[-1]
    return TreatmentRhythm(
        patient_id=patient_id,
        first_session_on=grouped[0][0],
        last_session_on=course[-1],
        course_first_session_on=course[0],
        sessions_in_course=len(course),
        last_follow_up_on=last_follow_up_on,
    )


def last_follow_ups(patient_ids: Iterable[int] | None = None) -> dict[int, date]:
    """{patient_id: local day of their latest follow-up appointment that holds time}
    (booked, attended or no-show, as the course review worklist counts them). One query."""
    rows = Appointment.objects.filter(kind=AppointmentKind.FOLLOW_UP, status__in=ACTIVE_STATUSES)
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=list(patient_ids))
    return {
        patient_id: timezone.localtime(latest).date()
        for patient_id, latest in rows.values("patient_id")
        .annotate(latest=Max("starts_at"))
        .values_list("patient_id", "latest")
    }


def refresh_treatment_rhythm(patient_id: int) -> TreatmentRhythm | None:
    """Recompute one patient's row from their signed sessions and follow-ups (three or
    four queries)."""
    dates = session_dates_by_patient([patient_id]).get(patient_id, [])
    rhythm = rhythm_from_sessions(patient_id, dates, last_follow_ups([patient_id]).get(patient_id))
    if rhythm is None:
        TreatmentRhythm.objects.filter(patient_id=patient_id).delete()
        return None
    TreatmentRhythm.objects.update_or_create(
        patient_id=patient_id,
        defaults={
            "first_session_on": rhythm.first_session_on,
            "last_session_on": rhythm.last_session_on,
            "course_first_session_on": rhythm.course_first_session_on,
            "sessions_in_course": rhythm.sessions_in_course,
            "last_follow_up_on": rhythm.last_follow_up_on,
        },
    )
    return rhythm


def rebuild_treatment_rhythms(patient_ids: Iterable[int] | None = None) -> int:
    """Recompute the rows of these patients (all patients when None) in bulk, in one
    transaction, a chunk of patients at a time; returns how many rows were written."""
    with transaction.atomic():
        if patient_ids is None:
            TreatmentRhythm.objects.all().delete()
            return _write_rhythms(session_dates_by_patient(), last_follow_ups())
        written = 0
        ids = sorted(set(patient_ids))
        for offset in range(0, len(ids), REBUILD_BATCH):
            chunk = ids[offset : offset + REBUILD_BATCH]
            TreatmentRhythm.objects.filter(patient_id__in=chunk).delete()
            written += _write_rhythms(session_dates_by_patient(chunk), last_follow_ups(chunk))
    return written


def _write_rhythms(dates_by_patient: dict[int, list[date]], follow_ups: dict[int, date]) -> int:
    rows = [
        rhythm
        for patient_id, dates in dates_by_patient.items()
        if (rhythm := rhythm_from_sessions(patient_id, dates, follow_ups.get(patient_id)))
        is not None
    ]
    TreatmentRhythm.objects.bulk_create(rows, batch_size=REBUILD_BATCH)
    return len(rows)


#: The columns a session's or an appointment's rhythm depends on: a save that names
#: its fields and none of these (a note's text, a reminder's sequence) changes nothing.
SESSION_COLUMNS = frozenset({"patient", "patient_id", "status", "performed_on"})
APPOINTMENT_COLUMNS = frozenset({"patient", "patient_id", "status", "kind", "starts_at"})


def _changes_nothing(kwargs, columns: frozenset) -> bool:
    update_fields = kwargs.get("update_fields")
    return bool(kwargs.get("raw")) or (
        update_fields is not None and not columns.intersection(update_fields)
    )


def on_session_saved(sender, instance, **kwargs) -> None:
    """A session was saved or deleted: its patient's rhythm follows, in the same
    transaction (a raw fixture load is left to ``rebuild_treatment_rhythms``)."""
    if _changes_nothing(kwargs, SESSION_COLUMNS):
        return
    patient_id = getattr(instance, "patient_id", None)
    if patient_id is not None:
        refresh_treatment_rhythm(patient_id)


def on_appointment_saved(sender, instance, **kwargs) -> None:
    """An appointment was saved or deleted: the patient's latest follow-up follows (one
    query and one update; nothing for a patient without a signed session)."""
    if _changes_nothing(kwargs, APPOINTMENT_COLUMNS) or instance.patient_id is None:
        return
    TreatmentRhythm.objects.filter(patient_id=instance.patient_id).update(
        last_follow_up_on=last_follow_ups([instance.patient_id]).get(instance.patient_id)
    )
