"""MIDAS and HIT-6 before each session (``cadence.rules.questionnaire_rhythm``): which
patients of the worklists have a questionnaire due, and which booked sessions call for a
questionnaire reminder (sent through the reminder machinery, ``cadence.scheduling.reminders``,
kind ``questionnaire``).

    questionnaires_due_for(entries, today) -> dict[patient_id, list[instrument]]   (1 query)
    questionnaire_reminders_due(today, now) -> list[(patient_id, appointment_id, due_on)]
                                                                                  (3 queries)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from cadence.diary.models import QuestionnaireResponse
from cadence.rules.questionnaire_rhythm import (
    QUESTIONNAIRE_REMINDER_DAYS_BEFORE,
    due_instruments,
)
from cadence.scheduling.models import Appointment, AppointmentKind, AppointmentStatus
from cadence.treatments.selectors import session_dates

#: Cadence default (as the other reminders): a reminder whose due date passed more than
#: this many days ago is not sent any more.
_CATCH_UP_DAYS = 7


def latest_questionnaires(patient_ids: Iterable[int]) -> dict[int, dict[str, list[date]]]:
    """Each patient's latest completion date per instrument (one query)."""
    latest: dict[int, dict[str, list[date]]] = defaultdict(dict)
    for patient_id, instrument, on in (
        QuestionnaireResponse.objects.filter(patient_id__in=list(patient_ids))
        .values("patient_id", "instrument")
        .annotate(latest=Max("completed_on"))
        .values_list("patient_id", "instrument", "latest")
    ):
        latest[patient_id][instrument] = [on]
    return latest


def questionnaires_due_for(entries, today: date) -> dict[int, list[str]]:
    """For worklist entries (patient + schedule): the instruments due before the next
    session (none completed since the last session)."""
    entries = list(entries)
    latest = latest_questionnaires(e.patient.pk for e in entries)
    return {
        e.patient.pk: due_instruments(
            latest.get(e.patient.pk, {}),
            [e.schedule.last_session] if e.schedule.last_session else [],
            today,
        )
        for e in entries
    }


def questionnaire_reminders_due(today: date, now: datetime) -> list[tuple[int, int, date]]:
    """(patient, appointment, due date) for each booked re-treatment session in the next
    ``QUESTIONNAIRE_REMINDER_DAYS_BEFORE`` days whose patient has MIDAS or HIT-6 due; the
    due date is that many days before the session (stable, so the reminder is created
    once). Before a first session there is no reminder: the baseline questionnaires are
    part of the work-up (the worklists and the patient page still show them due)."""
    horizon = now + timedelta(days=QUESTIONNAIRE_REMINDER_DAYS_BEFORE + 1)
    booked = list(
        Appointment.objects.filter(
            kind=AppointmentKind.TREATMENT_SESSION,
            status=AppointmentStatus.BOOKED,
            starts_at__gte=now,
            starts_at__lt=horizon,
        ).values_list("pk", "patient_id", "starts_at")
    )
    if not booked:
        return []
    latest = latest_questionnaires({patient_id for _, patient_id, _ in booked})
    due = []
    sessions_by_patient: dict[int, list[date]] = {}
    for appointment_id, patient_id, starts_at in booked:
        on = timezone.localtime(starts_at).date()
        remind_on = on - timedelta(days=QUESTIONNAIRE_REMINDER_DAYS_BEFORE)
        if remind_on > today or (today - remind_on).days > _CATCH_UP_DAYS:
            continue
        if patient_id not in sessions_by_patient:
            sessions_by_patient[patient_id] = session_dates_for_patient(patient_id)
        if not sessions_by_patient[patient_id]:
            continue  # a first session: the baseline questionnaires belong to the work-up
        if due_instruments(latest.get(patient_id, {}), sessions_by_patient[patient_id], today):
            due.append((patient_id, appointment_id, remind_on))
    return due


def session_dates_for_patient(patient_id: int) -> list[date]:
    """The patient's signed session dates (treatments' selector; a patient id filters the
    same as the patient)."""
    return sorted(session_dates(patient_id))


def questionnaires_still_due(patient_id: int, today: date) -> list[str]:
    """At send time: the instruments still due (the patient may have filled them in)."""
    return due_instruments(
        latest_questionnaires([patient_id]).get(patient_id, {}),
        session_dates_for_patient(patient_id),
        today,
    )
