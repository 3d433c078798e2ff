"""Reads of the outcomes app: per-patient outcomes and the clinic report, counted in SQL.

Per patient, ONE query over the diary (`_diary_buckets`) returns every count the patient
page needs: grouped by 28-day period (baseline and follow-up) and by week of the recent
treatment cycles, with conditional aggregates (Count/Sum with `filter=`) for the 28 days
before each of those sessions and the three medication-overuse periods. The counts are then
mapped onto the pure rules' result types by `cadence.rules.outcomes_extra` and judged by
`cadence.rules.outcomes` (response, wearing-off) — no Python loop over diary rows.

Functions other apps (and the benchmark) call:
    patient_outcomes(patient, *, today=None) -> PatientOutcomes
    outcome_summary_for(patient, *, today=None) -> OutcomeSummary   (the API object)
    clinic_report(today) -> ClinicReport                            (the dashboard)
    patient_list(search="") -> QuerySet[Patient]                     (annotated last_session)

Adapters onto other apps (each falls back to the existing models until their selector
exists): session_dates_for, procedures_for_report, questionnaire_scores,
urgent_side_effects, side_effect_rates, diagnosis_for, preventive_trials_for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db.models import (
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cadence.diary.models import DiaryDay
from cadence.patients.models import Patient
from cadence.rules import outcomes as rules
from cadence.rules.outcomes_extra import (
    WEEK_24_PERIOD_INDEX,
    OveruseCounts,
    TreatmentStage,
    effect_curve_from_counts,
    overuse_from_counts,
    overuse_windows,
    period_from_counts,
    shorter_interval_suggestion,
    treatment_stage,
)
from cadence.rules.payer import DEFAULT_PAYER_PROFILE, PayerProfile
from cadence.rules.questionnaires import hit6_change, midas_change
from cadence.rules.schedule import (
    DUE_WINDOW_END_DAYS,
    NEW_COURSE_GAP_DAYS,
    RETREATMENT_INTERVAL_DAYS,
    TreatmentSchedule,
    treatment_schedule,
)
from cadence.treatments.models import Procedure, ProcedureStatus

#: Effect curves are drawn for this many most recent cycles (the chart stays readable;
#: wearing-off needs only the last 2). A Cadence display choice.
CURVE_CYCLES = 6


# =======================================================================================
# Adapters onto other apps
# =======================================================================================


def _optional_function(module_name: str, *names: str):
    """The first of ``names`` defined in ``module_name``, or None while it does not exist."""
    try:
        module = import_module(module_name)
    except ImportError:
        return None
    for name in names:
        function = getattr(module, name, None)
        if callable(function):
            return function
    return None


def _optional_model(app_label: str, model_name: str, needed: set[str]):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    return model if needed <= names else None


def session_dates_for(patient) -> list[date]:
    """Dates of the patient's signed treatment sessions, oldest first."""
    function = _optional_function("cadence.treatments.selectors", "session_dates")
    if function is not None:
        return sorted(set(function(patient)))
    return sorted(
        set(
            Procedure.objects.filter(patient=patient, status=ProcedureStatus.SIGNED)
            .order_by("performed_on")
            .values_list("performed_on", flat=True)
        )
    )


@dataclass(frozen=True)
class SessionLine:
    """One treatment session as reports list it."""

    performed_on: date
    total_units: float | None
    wasted_units: float | None
    lots: str
    signed_by: str


def procedures_for_report(patient) -> list[SessionLine]:
    """Each signed session with units, lots and waste (treatments' selector when present)."""
    function = _optional_function("cadence.treatments.selectors", "procedures_for_report")
    rows = (
        function(patient)
        if function is not None
        else Procedure.objects.filter(patient=patient, status=ProcedureStatus.SIGNED)
        .select_related("signed_by")
        .order_by("performed_on")
    )
    lines = []
    for row in rows:
        get = row.get if isinstance(row, dict) else lambda name, default=None, r=row: getattr(r, name, default)
        lots = get("lots") or get("vial_lots") or ""
        if isinstance(lots, list | tuple):
            lots = ", ".join(str(lot) for lot in lots)
        signer = get("signed_by")
        signer_name = (
            getattr(signer, "display_name", None) or getattr(signer, "username", "") or str(signer or "")
        )
        total, wasted = get("total_units"), get("wasted_units")
        lines.append(
            SessionLine(
                performed_on=get("performed_on"),
                total_units=float(total) if total is not None else None,
                wasted_units=float(wasted) if wasted is not None else None,
                lots=str(lots) or "not recorded",
                signed_by=signer_name or "not recorded",
            )
        )
    return lines


@dataclass(frozen=True)
class QuestionnaireScore:
    instrument: str  # "MIDAS" or "HIT-6"
    completed_on: date
    score: int


def questionnaire_scores(patient) -> list[QuestionnaireScore]:
    """MIDAS and HIT-6 totals over time (the diary app's responses), oldest first."""
    function = _optional_function("cadence.diary.selectors", "questionnaire_scores")
    if function is not None:
        rows = function(patient)
    else:
        model = _optional_model("diary", "QuestionnaireResponse", {"instrument", "completed_on", "score", "patient"})
        if model is None:
            return []
        rows = model.objects.filter(patient=patient).order_by("completed_on").values(
            "instrument", "completed_on", "score"
        )
    scores = []
    for row in rows:
        get = row.get if isinstance(row, dict) else lambda name, r=row: getattr(r, name, None)
        if get("score") is None:
            continue
        scores.append(QuestionnaireScore(str(get("instrument")), get("completed_on"), int(get("score"))))
    return sorted(scores, key=lambda s: (s.completed_on, s.instrument))


def urgent_side_effects(patient) -> list[str]:
    """Open urgent side-effect reports (possible distant spread) as short texts."""
    function = _optional_function(
        "cadence.diary.selectors", "urgent_side_effects", "urgent_side_effect_reports"
    )
    if function is None:
        return []
    return [str(report) for report in function(patient)]


def side_effect_rates(today: date) -> list[tuple[str, int, float]] | None:
    """(side effect, sessions reported, % of sessions) from the diary app, None until the
    diary app provides `cadence.diary.selectors.side_effect_rates(today)`."""
    function = _optional_function("cadence.diary.selectors", "side_effect_rates")
    return None if function is None else list(function(today))


def diagnosis_for(patient) -> str | None:
    function = _optional_function("cadence.patients.selectors", "diagnosis_for", "diagnosis_text")
    value = function(patient) if function is not None else None
    return str(value) if value else None


def preventive_trials_for(patient) -> list[str]:
    """Failed preventive trials as short texts ("topiramate (antiepileptic): ineffective")."""
    function = _optional_function(
        "cadence.patients.selectors", "failed_preventive_trials", "preventive_trials_for"
    )
    return [str(trial) for trial in function(patient)] if function is not None else []


def payer_profile(patient) -> PayerProfile:
    function = _optional_function("cadence.patients.selectors", "payer_profile_for")
    return function(patient) if function is not None else DEFAULT_PAYER_PROFILE


# =======================================================================================
# Per-patient outcomes
# =======================================================================================


class DaysSince(Func):
    """Whole days from ``origin`` to a date expression, in SQL (SQLite and PostgreSQL)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def __init__(self, expression, origin: date):
        super().__init__(expression, Value(origin, output_field=DateField()))

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND(julianday(%(expressions)s), 0) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def _count(condition: Q, flag: str | None = None):
    return Count("pk", filter=condition & Q(**{flag: True}) if flag else condition)


_PERIOD_FLAGS = (
    ("headache_days", "is_headache_day"),
    ("migraine_days", "is_migraine_day"),
    ("moderate_severe_days", "is_moderate_severe_day"),
    ("acute_medication_days", "is_acute_medication_day"),
    ("triptan_days", "is_triptan_day"),
)


@dataclass
class CycleWindows:
    session_date: date
    next_session_date: date | None
    weeks: dict[int, tuple[date, date]]
    pre_session: tuple[date, date]


def _cycle_windows(sessions: Sequence[date], today: date) -> list[CycleWindows]:
    cycles = []
    first_index = max(0, len(sessions) - CURVE_CYCLES)
    for index in range(first_index, len(sessions)):
        session = sessions[index]
        following = sessions[index + 1] if index + 1 < len(sessions) else None
        weeks = {}
        for week in range(1, rules.EFFECT_CURVE_WEEKS + 1):
            start = session + timedelta(days=7 * (week - 1))
            end = start + timedelta(days=6)
            if following is not None:
                end = min(end, following - timedelta(days=1))
            end = min(end, today)
            if start <= end:
                weeks[week] = (start, end)
        pre = (session - timedelta(days=rules.PERIOD_DAYS), session - timedelta(days=1))
        cycles.append(CycleWindows(session, following, weeks, pre))
    return cycles


@dataclass
class PatientOutcomes:
    """Everything the clinician patient page, the progress page and the reports show."""

    patient: Patient
    today: date
    profile: PayerProfile
    session_dates: list[date]
    summary: rules.OutcomeSummary
    overuse: rules.OveruseFlag
    curves: list[rules.EffectCurve]
    wearing_off: rules.WearingOff
    interval_suggestion: str | None
    schedule: TreatmentSchedule
    stage: TreatmentStage
    questionnaires: list[QuestionnaireScore] = field(default_factory=list)
    urgent_side_effects: list[str] = field(default_factory=list)

    @property
    def baseline(self) -> rules.PeriodMetrics | None:
        return self.summary.baseline

    @property
    def periods(self) -> tuple[rules.PeriodMetrics, ...]:
        return self.summary.periods

    @property
    def response(self) -> rules.Response:
        return self.summary.response

    @property
    def latest_period(self) -> rules.PeriodMetrics | None:
        return self.summary.response.compared_period

    @property
    def fifty_percent_line(self) -> float | None:
        baseline = self.summary.baseline
        if baseline is None or not baseline.headache_days:
            return None
        return round(baseline.headache_days * (100 - rules.RESPONDER_PERCENT) / 100, 1)

    def questionnaire_change(self, instrument: str) -> dict | None:
        """First vs latest score of an instrument, with the rules' meaningful-change test."""
        scores = [s for s in self.questionnaires if s.instrument == instrument]
        if len(scores) < 2:
            return None
        first, last = scores[0], scores[-1]
        try:
            change = (midas_change if instrument == "MIDAS" else hit6_change)(first.score, last.score)
        except ValueError:
            return None
        return {"first": first, "last": last, "change": change}

    @property
    def midas_change(self) -> dict | None:
        return self.questionnaire_change("MIDAS")

    @property
    def hit6_change(self) -> dict | None:
        return self.questionnaire_change("HIT-6")

    @property
    def alerts(self) -> list[tuple[str, str]]:
        """(kind, text) pairs, most urgent first."""
        found = [("urgent", f"Urgent side effect reported: {text}") for text in self.urgent_side_effects]
        if self.overuse.flagged:
            found.append(("overuse", self.overuse.detail))
        if self.wearing_off.detected:
            found.append(("wearing_off", self.wearing_off.evidence))
        return found


def _diary_buckets(patient, sessions: list[date], cycles: list[CycleWindows], today: date) -> list[dict]:
    """ONE grouped query: diary counts by (28-day period, cycle week) bucket, with the
    pre-session and medication-overuse windows as conditional counts inside each bucket.

    ``period``: 0 = baseline, 1.. = follow-up periods; ``week``: ``100 * cycle + week
    index`` (0-based) for days inside a drawn cycle, -1 otherwise. Callers sum rows.
    """
    o_windows = overuse_windows(today)
    aggregates: dict[str, Any] = {
        "n": Count("pk"),
        "hh": Sum("headache_hours"),
        **{short: _count(Q(), flag) for short, flag in _PERIOD_FLAGS},
    }
    for index, (start, end) in enumerate(o_windows):
        window = Q(date__gte=start, date__lte=end)
        aggregates[f"o{index}_n"] = _count(window)
        aggregates[f"o{index}_s"] = _count(window, "is_overuse_class_day")
        aggregates[f"o{index}_a"] = _count(window, "is_simple_analgesic_day")
    first_day = o_windows[0][0]
    diary = DiaryDay.objects.filter(patient=patient, date__lte=today)
    if sessions:
        origin = rules.baseline_window(sessions[0])[0]
        first_day = min(first_day, origin, *(c.pre_session[0] for c in cycles))
        for index, cycle in enumerate(cycles):
            window = Q(date__gte=cycle.pre_session[0], date__lte=cycle.pre_session[1])
            aggregates[f"c{index}pre_n"] = _count(window)
            aggregates[f"c{index}pre_h"] = _count(window, "is_headache_day")
        week = Case(
            *(
                When(
                    Q(date__gte=cycle.session_date)
                    & (Q(date__lt=cycle.next_session_date) if cycle.next_session_date else Q()),
                    then=DaysSince(F("date"), cycle.session_date) / Value(7) + Value(100 * index),
                )
                for index, cycle in enumerate(cycles)
            ),
            default=Value(-1),
            output_field=IntegerField(),
        )
        period = Case(
            When(date__gte=origin, then=DaysSince(F("date"), origin) / Value(rules.PERIOD_DAYS)),
            default=Value(-1),
            output_field=IntegerField(),
        )
    else:
        week = period = Value(-1, output_field=IntegerField())
    return list(
        diary.filter(date__gte=first_day)
        .annotate(period=period, week=week)
        .order_by()
        .values("period", "week")
        .annotate(**aggregates)
    )


def _sum(rows: list[dict], key: str, where=lambda row: True) -> float:
    return sum((row[key] or 0) for row in rows if where(row))


def patient_outcomes(patient, *, today: date | None = None, with_alerts: bool = True) -> PatientOutcomes:
    """The patient's outcomes on ``today`` (clinic date by default).

    Queries: payer profile and session dates (1 each), the diary counts (1, grouped by
    period and cycle week), questionnaires and urgent side effects (1 each once the diary
    app provides them; ``with_alerts=False`` skips both).
    """
    today = today or timezone.localdate()
    profile = payer_profile(patient)
    sessions = [d for d in session_dates_for(patient) if d <= today]
    cycles = _cycle_windows(sessions, today) if sessions else []
    rows = _diary_buckets(patient, sessions, cycles, today)

    overuse = overuse_from_counts(
        [
            OveruseCounts(
                start, end, int(_sum(rows, f"o{i}_n")), int(_sum(rows, f"o{i}_s")), int(_sum(rows, f"o{i}_a"))
            )
            for i, (start, end) in enumerate(overuse_windows(today))
        ],
        today,
    )

    def period_at(index: int, start: date, end: date) -> rules.PeriodMetrics:
        in_period = [row for row in rows if row["period"] == index]
        counts = rules.PeriodCounts(
            **{short: int(_sum(in_period, short)) for short, _ in _PERIOD_FLAGS},
            headache_hours=float(_sum(in_period, "hh")),
        )
        return period_from_counts(start, end, int(_sum(in_period, "n")), counts, as_of=today)

    if sessions:
        baseline = period_at(0, *rules.baseline_window(sessions[0]))
        periods = tuple(
            period_at(i + 1, start, end) for i, (start, end) in enumerate(rules.follow_up_windows(sessions[0], today))
        )
        summary = rules.OutcomeSummary(
            baseline=baseline, periods=periods, response=rules.response(baseline, periods, profile.responder_rule)
        )
    else:
        summary = rules.OutcomeSummary(baseline=None, periods=(), response=rules.response(None, (), profile.responder_rule))

    curves = []
    for i, cycle in enumerate(cycles):
        weeks = {}
        for week in cycle.weeks:
            bucket = [row for row in rows if row["week"] == 100 * i + week - 1]
            weeks[week] = (int(_sum(bucket, "n")), int(_sum(bucket, "headache_days")))
        pre = (int(_sum(rows, f"c{i}pre_n")), int(_sum(rows, f"c{i}pre_h")))
        curves.append(effect_curve_from_counts(cycle.session_date, cycle.next_session_date, today, weeks, pre))
    worn = rules.wearing_off(curves)
    return PatientOutcomes(
        patient=patient,
        today=today,
        profile=profile,
        session_dates=sessions,
        summary=summary,
        overuse=overuse,
        curves=curves,
        wearing_off=worn,
        interval_suggestion=shorter_interval_suggestion(worn.detected, profile.shortened_interval_days),
        schedule=treatment_schedule(sessions, today=today, profile=profile),
        stage=treatment_stage(sessions, today),
        questionnaires=questionnaire_scores(patient) if with_alerts else [],
        urgent_side_effects=urgent_side_effects(patient) if with_alerts else [],
    )


def outcome_summary_for(patient, *, today: date | None = None) -> PatientOutcomes:
    """The API's outcomes object (baseline, periods, response) plus overuse and
    wearing-off; alias of ``patient_outcomes`` without the alert look-ups."""
    return patient_outcomes(patient, today=today, with_alerts=False)


# =======================================================================================
# Patient list
# =======================================================================================


def patient_list(search: str = ""):
    """Patients by name with their last signed session (one query per page)."""
    queryset = Patient.objects.annotate(
        last_session=Max("procedures__performed_on", filter=Q(procedures__status=ProcedureStatus.SIGNED))
    ).order_by("last_name", "first_name", "id")
    for word in search.split()[:4]:
        queryset = queryset.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return queryset


# =======================================================================================
# The clinic report (dashboard)
# =======================================================================================


@dataclass
class ClinicReport:
    """The clinic dashboard's numbers (all computed from database aggregates)."""

    today: date
    patient_count: int
    stage_counts: dict[str, int]
    review_patients: int  # patients whose week-24 period has ended
    evaluable_at_24_weeks: int  # ... with enough diary in baseline and week-24 period
    status_counts_24_weeks: dict[str, int]
    responder_rate_percent: float | None
    partial_rate_percent: float | None
    mean_headache_day_change: float | None
    preempt: rules.PreemptReference
    due_this_week: int
    overdue: int
    side_effects: list[tuple[str, int, float]] | None

    @property
    def stages(self) -> list[tuple[str, str, int]]:
        return [(stage.value, stage.label, self.stage_counts.get(stage.value, 0)) for stage in TreatmentStage]


def _first_session_subquery():
    return Subquery(
        Procedure.objects.filter(patient=OuterRef("pk"), status=ProcedureStatus.SIGNED)
        .order_by()
        .values("patient")
        .annotate(first=Min("performed_on"))
        .values("first")[:1],
        output_field=DateField(),
    )


def _window_count(start_field: str, end_field: str, flag: str | None = None):
    diary = DiaryDay.objects.filter(
        patient=OuterRef("pk"), date__gte=OuterRef(start_field), date__lte=OuterRef(end_field)
    )
    if flag:
        diary = diary.filter(**{flag: True})
    return Coalesce(
        Subquery(diary.order_by().values("patient").annotate(n=Count("pk")).values("n")[:1]), 0
    )


def _date_offset(field_name: str, days: int):
    return ExpressionWrapper(F(field_name) + timedelta(days=days), output_field=DateField())


def week_24_counts(today: date):
    """Per patient whose week-24 period has ended: baseline and week-24 period counts.

    One query: ``(patient_id, first_session, base_n, base_hd, w24_n, w24_hd)`` rows.
    """
    w24_start = WEEK_24_PERIOD_INDEX * rules.PERIOD_DAYS
    w24_end = w24_start + rules.PERIOD_DAYS - 1
    return (
        Patient.objects.annotate(first_session=_first_session_subquery())
        .filter(first_session__lt=today - timedelta(days=w24_end))
        .annotate(
            b_start=_date_offset("first_session", -rules.PERIOD_DAYS),
            b_end=_date_offset("first_session", -1),
            w_start=_date_offset("first_session", w24_start),
            w_end=_date_offset("first_session", w24_end),
        )
        .annotate(
            base_n=_window_count("b_start", "b_end"),
            base_hd=_window_count("b_start", "b_end", "is_headache_day"),
            w24_n=_window_count("w_start", "w_end"),
            w24_hd=_window_count("w_start", "w_end", "is_headache_day"),
        )
        .order_by()
        .values_list("pk", "first_session", "base_n", "base_hd", "w24_n", "w24_hd")
    )


def clinic_report(today: date | None = None) -> ClinicReport:
    """The dashboard: stages, 24-week responders vs PREEMPT, sessions due and overdue,
    side-effect rates. A fixed number of queries (3, plus 1 for side effects once the
    diary app provides them), whatever the number of patients."""
    today = today or timezone.localdate()
    patient_count = Patient.objects.count()
    sessions = (
        Procedure.objects.filter(status=ProcedureStatus.SIGNED, performed_on__lte=today)
        .order_by()
        .values("patient_id")
        .annotate(first=Min("performed_on"), last=Max("performed_on"))
        .values_list("first", "last")
    )
    stage_counts = {stage.value: 0 for stage in TreatmentStage}
    due_this_week = overdue = 0
    week_end = today + timedelta(days=6)
    for first, last in sessions:
        stage_counts[treatment_stage((first, last), today)] += 1
        days_since = (today - last).days
        next_due = last + timedelta(days=RETREATMENT_INTERVAL_DAYS)
        window_end = last + timedelta(days=DUE_WINDOW_END_DAYS)
        if days_since > NEW_COURSE_GAP_DAYS:
            continue
        if window_end < today:
            overdue += 1
        elif next_due <= week_end:
            due_this_week += 1
    stage_counts[TreatmentStage.work_up] = patient_count - sum(
        n for s, n in stage_counts.items() if s != TreatmentStage.work_up
    )

    w24_start = WEEK_24_PERIOD_INDEX * rules.PERIOD_DAYS
    statuses = {status.value: 0 for status in rules.ResponseStatus}
    changes: list[float] = []
    review_patients = 0
    for _pk, first, base_n, base_hd, w24_n, w24_hd in week_24_counts(today):
        review_patients += 1
        b_start, b_end = rules.baseline_window(first)
        p_start = first + timedelta(days=w24_start)
        baseline = period_from_counts(b_start, b_end, base_n, rules.PeriodCounts(headache_days=base_hd))
        period = period_from_counts(
            p_start, p_start + timedelta(days=rules.PERIOD_DAYS - 1), w24_n, rules.PeriodCounts(headache_days=w24_hd)
        )
        outcome = rules.response(baseline, [period])
        statuses[outcome.status] += 1
        if outcome.headache_day_change is not None:
            changes.append(outcome.headache_day_change)
    evaluable = len(changes)

    def rate(n: int) -> float | None:
        return round(n * 100 / evaluable, 1) if evaluable else None

    return ClinicReport(
        today=today,
        patient_count=patient_count,
        stage_counts=stage_counts,
        review_patients=review_patients,
        evaluable_at_24_weeks=evaluable,
        status_counts_24_weeks=statuses,
        responder_rate_percent=rate(statuses[rules.ResponseStatus.responder]),
        partial_rate_percent=rate(statuses[rules.ResponseStatus.partial]),
        mean_headache_day_change=round(sum(changes) / evaluable, 1) if evaluable else None,
        preempt=rules.PREEMPT,
        due_this_week=due_this_week,
        overdue=overdue,
        side_effects=side_effect_rates(today),
    )
