"""Reads of the diary app. Views and API operations audit their reads of patient data
(`AuditAction.VIEW`); these functions only query."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from cadence.diary.calendar import DayMark, MonthCalendar, backfill_window, month_calendar
from cadence.diary.models import (
    DiaryDay,
    DiaryPreference,
    QuestionnaireResponse,
    SideEffectReport,
)
from cadence.patients.models import PreventiveTrial, TrialOutcome
from cadence.patients.selectors import preventive_trials_for
from cadence.rules.menstrual import CycleSummary, cycle_summary
from cadence.rules.pain_regions import (
    PAIN_MAP_DAYS,
    PainRegion,
    Suggestion,
    follow_the_pain_suggestions,
    pain_map,
)
from cadence.rules.questionnaires import Change, Instrument, hit6_change, midas_change
from cadence.rules.triggers import TriggerLine, trigger_summary
from cadence.treatments.models import Procedure, ProcedureStatus
from cadence.treatments.selectors import injection_sites, session_dates

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


# ------------------------------------------------------------ diary, version 1.1
def pain_map_for(*, patient, today: date, days: int = PAIN_MAP_DAYS) -> dict[PainRegion, int]:
    """On how many of the last ``days`` days (to ``today``) each pain region hurt."""
    start = today - timedelta(days=days - 1)
    return pain_map(
        DiaryDay.objects.filter(
            patient=patient, date__range=(start, today), pain_regions__isnull=False
        ).values_list("pain_regions", flat=True)
    )


def follow_the_pain_for(*, patient, today: date) -> tuple[dict[PainRegion, int], list[Suggestion]]:
    """The pain map of the last 28 days and the follow-the-pain sites (within the caps)
    under the regions that hurt most, from the site catalogue."""
    counts = pain_map_for(patient=patient, today=today)
    sites = list(injection_sites().filter(follow_the_pain=True))
    return counts, follow_the_pain_suggestions(counts, sites)


def trigger_summary_for(
    *, patient, today: date, days: int = 90
) -> tuple[list[TriggerLine], float | None]:
    """The trigger summary of the last ``days`` days (``rules.triggers``)."""
    start = today - timedelta(days=days - 1)
    rows = DiaryDay.objects.filter(patient=patient, date__range=(start, today)).values_list(
        "date", "triggers", "is_headache_day"
    )
    return trigger_summary({on: (codes or (), headache) for on, codes, headache in rows})


def cycle_summary_for(*, patient, today: date, days: int = 180) -> CycleSummary:
    """Headache days in the perimenstrual windows against other days (last ``days``)."""
    start = today - timedelta(days=days - 1)
    recorded: dict[date, bool] = {}
    period_days: list[date] = []
    for on, headache, menstruating in DiaryDay.objects.filter(
        patient=patient, date__range=(start, today)
    ).values_list("date", "is_headache_day", "menstruating"):
        recorded[on] = headache
        if menstruating:
            period_days.append(on)
    return cycle_summary(recorded, period_days)


#: The year at a glance covers this many days, up to today.
YEAR_VIEW_DAYS = 365
#: How a day of the year at a glance is coded in one integer (``year_day_codes``):
#: +1 a headache day, +2 a migraine day.
_YEAR_HEADACHE, _YEAR_MIGRAINE = 1, 2


def year_day_codes(*, patient, today: date) -> QuerySet:
    """The recorded days of the last 365, as (date, code) rows: the code is
    ``decode_year_day``'s integer. A queryset, so that a page can fold it into a query
    it runs anyway (the clinician patient page's budget; outcomes does)."""
    start = today - timedelta(days=YEAR_VIEW_DAYS - 1)
    return (
        DiaryDay.objects.filter(patient=patient, date__range=(start, today))
        .order_by()
        .annotate(
            year_code=Case(
                When(is_headache_day=True, is_migraine_day=True, then=Value(3)),
                When(is_migraine_day=True, then=Value(_YEAR_MIGRAINE)),
                When(is_headache_day=True, then=Value(_YEAR_HEADACHE)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    )


def decode_year_day(code: int) -> tuple[bool, bool]:
    """(is_headache_day, is_migraine_day) of a ``year_day_codes`` code."""
    code = int(code)
    return bool(code & _YEAR_HEADACHE), bool(code & _YEAR_MIGRAINE)


def year_days(*, patient, today: date) -> dict[date, tuple[bool, bool]]:
    """{date: (is_headache_day, is_migraine_day)} for the last 365 days (one query)."""
    return {
        on: decode_year_day(code)
        for on, code in year_day_codes(patient=patient, today=today).values_list(
            "date", "year_code"
        )
    }


def tracks_cycle(*, patient) -> bool:
    """Whether the patient chose to record period days."""
    return DiaryPreference.objects.filter(patient=patient, tracks_cycle=True).exists()


@dataclass(frozen=True, slots=True)
class YearCell:
    on: date | None  # None: padding before the first day
    kind: str  # "none" (not recorded), "clear", "headache", "migraine", "pad"
    session: bool


@dataclass(frozen=True, slots=True)
class YearMonth:
    """One month of the year at a glance, for its text alternative (a table)."""

    first: date
    recorded_days: int
    headache_days: int
    migraine_days: int
    sessions: int


@dataclass(frozen=True, slots=True)
class YearView:
    weeks: list[list[YearCell]]  # columns of 7 days, Monday first
    headache_days: int
    recorded_days: int
    sessions: list[date]
    months: list[YearMonth]
    start: date
    end: date

    @property
    def missing_days(self) -> int:
        return (self.end - self.start).days + 1 - self.recorded_days


def _year_months(cells: list[YearCell]) -> list[YearMonth]:
    counts: dict[date, list[int]] = {}
    for cell in cells:
        if cell.on is None:
            continue
        month = counts.setdefault(cell.on.replace(day=1), [0, 0, 0, 0])
        month[0] += cell.kind != "none"
        month[1] += cell.kind in ("headache", "migraine")
        month[2] += cell.kind == "migraine"
        month[3] += cell.session
    return [YearMonth(first, *numbers) for first, numbers in counts.items()]


def year_weeks(
    *,
    patient,
    today: date,
    sessions: Iterable[date] | None = None,
    days: Mapping[date, tuple[bool, bool]] | None = None,
) -> YearView:
    """The last 365 days as weeks of 7 cells (Monday first), each day marked not recorded,
    clear, headache or migraine, with the treatment sessions marked: one query for the
    days and one for the session dates, each unless the caller has them already
    (``days`` as ``year_days`` gives them; ``sessions``, e.g. the outcomes'
    ``session_dates``)."""
    if days is None:
        days = year_days(patient=patient, today=today)
    start = today - timedelta(days=YEAR_VIEW_DAYS - 1)
    if sessions is None:
        sessions = session_dates(patient)
    sessions = {on for on in sessions if start <= on <= today}
    cells: list[YearCell] = [YearCell(None, "pad", False)] * start.weekday()
    for n in range(YEAR_VIEW_DAYS):
        on = start + timedelta(days=n)
        if on not in days:
            kind = "none"
        else:
            headache, migraine = days[on]
            kind = "migraine" if migraine else "headache" if headache else "clear"
        cells.append(YearCell(on, kind, on in sessions))
    weeks = [cells[i : i + 7] for i in range(0, len(cells), 7)]
    return YearView(
        weeks=weeks,
        headache_days=sum(1 for headache, _m in days.values() if headache),
        recorded_days=len(days),
        sessions=sorted(sessions),
        months=_year_months(cells),
        start=start,
        end=today,
    )


@dataclass(frozen=True, slots=True)
class DiarySummary:
    start: date
    end: date
    recorded_days: int
    headache_days: int
    migraine_days: int
    acute_medication_days: int
    triptan_days: int


def diary_summary_for(*, patient, today: date, days: int = 90) -> DiarySummary:
    """Counts of the last ``days`` days (as recorded; not scaled)."""
    start = today - timedelta(days=days - 1)
    rows = list(
        DiaryDay.objects.filter(patient=patient, date__range=(start, today)).values_list(
            "is_headache_day", "is_migraine_day", "is_acute_medication_day", "is_triptan_day"
        )
    )
    return DiarySummary(
        start=start,
        end=today,
        recorded_days=len(rows),
        headache_days=sum(r[0] for r in rows),
        migraine_days=sum(r[1] for r in rows),
        acute_medication_days=sum(r[2] for r in rows),
        triptan_days=sum(r[3] for r in rows),
    )


def current_preventives(*, patient, today: date) -> list[PreventiveTrial]:
    """The preventive medicines the patient takes now (recorded by the clinic as ongoing,
    with no end date or one not yet reached), CGRP antibodies and gepants included: shown
    apart from the acute medicines of the diary (they are not counted as acute doses)."""
    return list(
        preventive_trials_for(patient)
        .filter(outcome=TrialOutcome.ONGOING)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
    )
