"""Reads of the diary app. Views and API operations audit their reads of patient data
(`AuditAction.VIEW`); these functions only query."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Q, QuerySet

from cadence.diary.calendar import DayMark, MonthCalendar, backfill_window, month_calendar
from cadence.diary.models import DiaryDay, QuestionnaireResponse, SideEffectReport
from cadence.rules.questionnaires import Change, Instrument, hit6_change, midas_change
from cadence.treatments.models import Procedure, ProcedureStatus

#: How far back the quick-pick of "usual" medicines looks, and how many it offers.
USUAL_MEDICINES_LOOKBACK_DAYS = 90
USUAL_MEDICINES_COUNT = 5


def diary_days_between(*, patient, start: date, end: date) -> QuerySet[DiaryDay]:
    """The patient's recorded days from ``start`` to ``end`` inclusive, oldest first."""
    return DiaryDay.objects.filter(patient=patient, date__range=(start, end)).order_by("date")


def diary_day_on(*, patient, on: date) -> DiaryDay | None:
    return DiaryDay.objects.filter(patient=patient, date=on).first()


def diary_month(*, patient, year: int, month: int, today: date) -> MonthCalendar:
    """The month calendar with recorded, headache and migraine days (one query)."""
    first = date(year, month, 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    marks = {
        on: DayMark(is_headache_day=headache, is_migraine_day=migraine)
        for on, headache, migraine in DiaryDay.objects.filter(
            patient=patient, date__range=(first, last)
        ).values_list("date", "is_headache_day", "is_migraine_day")
    }
    return month_calendar(year, month, marks, today)


def recorded_dates(*, patient, start: date, end: date) -> set[date]:
    return set(
        DiaryDay.objects.filter(patient=patient, date__range=(start, end)).values_list(
            "date", flat=True
        )
    )


def backfill_recorded_dates(*, patient, today: date) -> set[date]:
    start, end = backfill_window(today)
    return recorded_dates(patient=patient, start=start, end=end)


def usual_medicines(*, patient, today: date) -> list[tuple[str, str]]:
    """The patient's most frequent acute medicines of the last 90 days: (name, class)."""
    counts: Counter[tuple[str, str]] = Counter()
    for medicines in DiaryDay.objects.filter(
        patient=patient,
        is_acute_medication_day=True,
        date__gte=today - timedelta(days=USUAL_MEDICINES_LOOKBACK_DAYS),
    ).values_list("acute_medications", flat=True):
        for medicine in medicines or []:
            counts[(medicine.get("name", ""), medicine.get("drug_class", ""))] += 1
    return [key for key, _count in counts.most_common(USUAL_MEDICINES_COUNT) if key[0]]


@dataclass(frozen=True, slots=True)
class ScoredResponse:
    response: QuestionnaireResponse
    change: Change | None  # against the previous response of the same instrument


def _change(instrument: str, previous: int, current: int) -> Change:
    if instrument == Instrument.MIDAS:
        return midas_change(previous, current)
    return hit6_change(previous, current)


def questionnaire_history(*, patient) -> list[ScoredResponse]:
    """All of the patient's responses, newest first, each with its change against the
    previous response of the same instrument (one query)."""
    previous: dict[str, int] = {}
    scored: list[ScoredResponse] = []
    for response in QuestionnaireResponse.objects.filter(patient=patient).order_by(
        "completed_on", "id"
    ):
        before = previous.get(response.instrument)
        change = None if before is None else _change(response.instrument, before, response.score)
        scored.append(ScoredResponse(response=response, change=change))
        previous[response.instrument] = response.score
    return list(reversed(scored))


def questionnaire_change(*, response: QuestionnaireResponse) -> Change | None:
    """Change of ``response`` against the patient's previous one of the same instrument."""
    before = (
        QuestionnaireResponse.objects.filter(
            patient_id=response.patient_id, instrument=response.instrument
        )
        .filter(
            Q(completed_on__lt=response.completed_on)
            | Q(completed_on=response.completed_on, id__lt=response.pk)
        )
        .order_by("-completed_on", "-id")
        .values_list("score", flat=True)
        .first()
    )
    return None if before is None else _change(response.instrument, before, response.score)


def side_effect_reports_for(*, patient) -> QuerySet[SideEffectReport]:
    return (
        SideEffectReport.objects.filter(patient=patient)
        .select_related("procedure")
        .order_by("-onset_on", "-id")
    )


def unacknowledged_urgent_reports() -> QuerySet[SideEffectReport]:
    """Urgent side-effect reports no clinician or nurse has acknowledged yet, oldest first
    (the clinic dashboard and the Alerts page show them at the top)."""
    return (
        SideEffectReport.objects.filter(urgent=True, acknowledged_at__isnull=True)
        .select_related("patient", "procedure")
        .order_by("created_at", "id")
    )


def recent_side_effect_reports() -> QuerySet[SideEffectReport]:
    """Every side-effect report, newest first, for the staff Alerts page."""
    return SideEffectReport.objects.select_related("patient", "acknowledged_by").order_by(
        "-created_at", "-id"
    )


def side_effect_session_counts(*, until: date, within_days: int) -> tuple[int, dict[str, int]]:
    """(signed sessions performed on or before ``until``, {effect: how many of those
    sessions were followed by a report of it with onset from the session day to
    ``within_days`` days after}) in one SQL query (SQLite and PostgreSQL)."""
    procedure_table = connection.ops.quote_name(Procedure._meta.db_table)
    report_table = connection.ops.quote_name(SideEffectReport._meta.db_table)
    if connection.vendor == "postgresql":
        window_end = f"p.performed_on + {int(within_days)}"
    else:
        window_end = f"date(p.performed_on, '+{int(within_days)} days')"
    sql = f"""
        SELECT NULL, COUNT(*) FROM {procedure_table} p
        WHERE p.status = %s AND p.performed_on <= %s
        UNION ALL
        SELECT r.effect, COUNT(DISTINCT p.id)
        FROM {procedure_table} p
        JOIN {report_table} r ON r.patient_id = p.patient_id
            AND r.onset_on >= p.performed_on AND r.onset_on <= {window_end}
        WHERE p.status = %s AND p.performed_on <= %s
        GROUP BY r.effect
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [ProcedureStatus.SIGNED, until, ProcedureStatus.SIGNED, until])
        rows = cursor.fetchall()
    total = 0
    counts: dict[str, int] = {}
    for effect, n in rows:
        if effect is None:
            total = int(n)
        else:
            counts[str(effect)] = int(n)
    return total, counts


def questionnaire_responses_for(*, patient) -> QuerySet[QuestionnaireResponse]:
    """The patient's MIDAS and HIT-6 responses, oldest first (a QuerySet, so callers can
    narrow or combine it)."""
    return QuestionnaireResponse.objects.filter(patient=patient).order_by("completed_on", "id")
