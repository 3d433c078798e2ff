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

Reads from the other apps' selectors, shaped for the pages and reports:
session_dates_for, procedures_for_report (treatments), questionnaire_scores,
urgent_side_effects, side_effect_rates (diary), diagnosis_for, preventive_trials_for,
payer_profile (patients), next_appointment (scheduling).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    F,
    Max,
    Q,
    Value,
)
from django.utils import timezone

from cadence.diary import selectors as diary_selectors
from cadence.diary.models import DiaryDay
from cadence.patients import selectors as patient_selectors
from cadence.patients.models import Patient
from cadence.rules import outcomes as rules
from cadence.rules.candidacy import FAILED_OUTCOMES, ICD10_CHRONIC_MIGRAINE_CODES
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
from cadence.rules.payer import PayerProfile
from cadence.rules.questionnaires import hit6_change, midas_change
from cadence.rules.schedule import (
    TreatmentSchedule,
    treatment_schedule,
)
from cadence.rules.side_effects import PREEMPT_INCIDENCE_PERCENT, SIDE_EFFECT_LABELS, SideEffect
from cadence.scheduling import selectors as scheduling_selectors
from cadence.treatments import selectors as treatment_selectors
from cadence.treatments.models import Procedure, ProcedureStatus

#: Effect curves are drawn for this many most recent cycles (the chart stays readable;
#: wearing-off needs only the last 2). A Cadence display choice.
CURVE_CYCLES = 6

#: A side-effect report counts against a session when its onset is within this many days
#: from the session (the session day included). A Cadence choice (clinic-reference.md
#: gives no window; ptosis "usually lasts 1-2 weeks"): one 28-day period.
SIDE_EFFECT_WINDOW_DAYS = rules.PERIOD_DAYS


# =======================================================================================
# Reads from the other apps (their selectors), shaped for the outcome pages and reports
# =======================================================================================


def session_dates_for(patient) -> list[date]:
    """Dates of the patient's signed treatment sessions, oldest first (one per day)."""
    return sorted(set(treatment_selectors.session_dates(patient)))


@dataclass(frozen=True)
class SessionLine:
    """One treatment session as reports list it."""

    performed_on: date
    total_units: float | None
    wasted_units: float | None
    lots: str
    signed_by: str


def procedures_for_report(patient) -> list[SessionLine]:
    """Each signed session with units, lots and waste (treatments' selector, 3 queries)."""
    lines = []
    for row in treatment_selectors.procedures_for_report(patient):
        total, wasted = row["total_units"], row["wasted_units"]
        lines.append(
            SessionLine(
                performed_on=row["performed_on"],
                total_units=float(total) if total is not None else None,
                wasted_units=float(wasted) if wasted is not None else None,
                lots=", ".join(str(lot) for lot in row["lots"]) or "not recorded",
                signed_by=row["clinician"] or "not recorded",
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
    return _questionnaires_and_urgent_reports(patient)[0]


def urgent_side_effects(patient) -> list[str]:
    """The patient's urgent side-effect reports (possible distant spread) not yet
    acknowledged, as short texts."""
    return _questionnaires_and_urgent_reports(patient)[1]


def _questionnaires_and_urgent_reports(patient) -> tuple[list[QuestionnaireScore], list[str]]:
    """Questionnaire scores and open urgent side-effect reports in ONE query (a UNION ALL
    of the diary app's two querysets; the patient page's query budget is 12)."""
    scores = (
        diary_selectors.questionnaire_responses_for(patient=patient)
        .order_by()
        .annotate(kind=Value("questionnaire"), number=F("score"))
        .values_list("instrument", "completed_on", "kind", "number")
    )
    urgent = (
        diary_selectors.unacknowledged_urgent_reports()
        .filter(patient=patient)
        .order_by()
        .annotate(kind=Value("urgent"), number=F("id"))
        .values_list("effect", "onset_on", "kind", "number")
    )
    found: list[QuestionnaireScore] = []
    reports: list[tuple[date, int, str]] = []
    for name, on, kind, number in scores.union(urgent, all=True):
        on = _as_date(on)
        if kind == "urgent":
            try:
                label = SIDE_EFFECT_LABELS[SideEffect(name)]
            except ValueError:
                label = str(name).replace("_", " ")
            reports.append((on, int(number), f"{label} since {on:%d %b %Y}"))
        else:
            found.append(QuestionnaireScore(str(name), on, int(number)))
    found.sort(key=lambda s: (s.completed_on, s.instrument))
    return found, [text for _on, _id, text in sorted(reports)]


@dataclass(frozen=True)
class SideEffectRate:
    """Share of signed sessions followed within SIDE_EFFECT_WINDOW_DAYS by a report."""

    effect: str
    label: str
    sessions: int
    percent: float | None
    preempt_percent: float | None


#: Tracked side effects shown on the dashboard even when none was reported (the two with a
#: PREEMPT reference, clinic-reference.md section 5).
REFERENCE_SIDE_EFFECTS = tuple(PREEMPT_INCIDENCE_PERCENT)


def side_effect_rates(today: date) -> list[SideEffectRate]:
    """Per side effect: the signed sessions whose SIDE_EFFECT_WINDOW_DAYS-day window has
    ended and that were followed by a report of it within that window (one SQL query),
    next to the PREEMPT reference where there is one. Neck pain and ptosis always."""
    total, counts = diary_selectors.side_effect_session_counts(
        until=today - timedelta(days=SIDE_EFFECT_WINDOW_DAYS), within_days=SIDE_EFFECT_WINDOW_DAYS
    )
    effects = list(REFERENCE_SIDE_EFFECTS) + sorted(
        (e for e in counts if e not in REFERENCE_SIDE_EFFECTS), key=lambda e: (-counts[e], e)
    )
    rates = []
    for effect in effects:
        n = counts.get(effect, 0)
        try:
            label = SIDE_EFFECT_LABELS[SideEffect(effect)]
        except ValueError:
            label = effect.replace("_", " ")
        rates.append(
            SideEffectRate(
                effect=effect,
                label=label,
                sessions=n,
                percent=round(n * 100 / total, 1) if total else None,
                preempt_percent=PREEMPT_INCIDENCE_PERCENT.get(effect),
            )
        )
    return rates


@dataclass(frozen=True)
class DiagnosisLine:
    """The recorded chronic-migraine diagnosis as reports state it."""

    icd10_code: str
    label: str
    confirmed_by_neurologist: bool
    neurologist: str
    confirmed_on: date | None

    def __str__(self) -> str:
        text = f"{self.icd10_code} {self.label}"
        if self.confirmed_by_neurologist:
            who = self.neurologist or "a neurologist (name not recorded)"
            text += f"; confirmed by {who}"
            if self.confirmed_on:
                text += f" on {self.confirmed_on:%d %b %Y}"
        else:
            text += "; not confirmed by a neurologist"
        return text


def diagnosis_for(patient) -> DiagnosisLine | None:
    """The patient's latest recorded diagnosis (patients app), or None."""
    diagnosis = patient_selectors.latest_diagnosis(patient)
    if diagnosis is None:
        return None
    return DiagnosisLine(
        icd10_code=diagnosis.icd10_code,
        label=ICD10_CHRONIC_MIGRAINE_CODES.get(diagnosis.icd10_code, ""),
        confirmed_by_neurologist=diagnosis.confirmed_by_neurologist,
        neurologist=diagnosis.neurologist,
        confirmed_on=diagnosis.confirmed_on,
    )


@dataclass(frozen=True)
class PreventiveTrialLine:
    """One failed preventive treatment (drug, class, outcome, dates)."""

    drug: str
    drug_class: str
    outcome: str
    start: date
    end: date | None

    def __str__(self) -> str:
        until = f"{self.end:%d %b %Y}" if self.end else "not recorded"
        return f"{self.drug} ({self.drug_class}): {self.outcome.lower()}, {self.start:%d %b %Y} to {until}"


def preventive_trials_for(patient) -> list[PreventiveTrialLine]:
    """Failed preventive trials (ineffective, not tolerated, contraindicated: the rules'
    FAILED_OUTCOMES), oldest first."""
    return [
        PreventiveTrialLine(
            drug=trial.drug,
            drug_class=trial.get_drug_class_display(),
            outcome=trial.get_outcome_display(),
            start=trial.start,
            end=trial.end,
        )
        for trial in patient_selectors.preventive_trials_for(patient)
        if trial.outcome in FAILED_OUTCOMES
    ]


def payer_profile(patient) -> PayerProfile:
    return patient_selectors.payer_profile_for(patient)


def next_appointment(patient):
    """The patient's next booked appointment (scheduling), or None."""
    return scheduling_selectors.next_appointment_for_patient(patient)


# =======================================================================================
# Per-patient outcomes
# =======================================================================================


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
            change = (midas_change if instrument == "MIDAS" else hit6_change)(
                first.score, last.score
            )
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
        found = [
            ("urgent", f"Urgent side effect reported: {text}") for text in self.urgent_side_effects
        ]
        if self.overuse.flagged:
            found.append(("overuse", self.overuse.detail))
        if self.wearing_off.detected:
            found.append(("wearing_off", self.wearing_off.evidence))
        return found


def _diary_buckets(
    patient, sessions: list[date], cycles: list[CycleWindows], today: date
) -> list[dict]:
    """ONE grouped query: diary counts by (28-day period, cycle week) bucket, with the
    pre-session and medication-overuse windows as conditional counts inside each bucket.

    ``period``: 0 = baseline, 1.. = follow-up periods; ``week``: ``100 * cycle + week
    index`` (0-based) for days inside a drawn cycle, -1 otherwise. Callers sum rows.

    Hand-written, parameterised SQL (SQLite and PostgreSQL): every window is an integer
    day offset ``dn`` from the first day read, computed once per row in a subquery, so
    the query is cheap to build (Django's expression compiler cost more than the query).
    """
    o_windows = overuse_windows(today)
    first_day = o_windows[0][0]
    origin = None
    if sessions:
        origin = rules.baseline_window(sessions[0])[0]
        first_day = min(first_day, origin, *(c.pre_session[0] for c in cycles))

    def offset(day: date) -> int:
        return (day - first_day).days

    names = ["n", "hh", *(short for short, _ in _PERIOD_FLAGS)]
    columns = ["COUNT(*)", "SUM(headache_hours)"]
    columns += [f"SUM(CASE WHEN {flag} THEN 1 ELSE 0 END)" for _, flag in _PERIOD_FLAGS]
    params: list[Any] = []
    windows = [
        (
            f"o{i}",
            start,
            end,
            (("n", None), ("s", "is_overuse_class_day"), ("a", "is_simple_analgesic_day")),
        )
        for i, (start, end) in enumerate(o_windows)
    ]
    windows += [
        (f"c{i}pre", c.pre_session[0], c.pre_session[1], (("_n", None), ("_h", "is_headache_day")))
        for i, c in enumerate(cycles)
    ]
    for prefix, start, end, counts in windows:
        for suffix, flag in counts:
            condition = "dn BETWEEN %s AND %s" + (f" AND {flag}" if flag else "")
            names.append(f"{prefix}_{suffix}" if prefix.startswith("o") else f"{prefix}{suffix}")
            columns.append(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)")
            params += [offset(start), offset(end)]

    if origin is not None:
        base = offset(origin)
        period_sql = f"CASE WHEN dn >= {base} THEN (dn - {base}) / {rules.PERIOD_DAYS} ELSE -1 END"
        whens = []
        for index, cycle in enumerate(cycles):
            start = offset(cycle.session_date)
            condition = f"dn >= {start}"
            if cycle.next_session_date is not None:
                condition += f" AND dn < {offset(cycle.next_session_date)}"
            whens.append(f"WHEN {condition} THEN (dn - {start}) / 7 + {100 * index}")
        week_sql = f"CASE {' '.join(whens)} ELSE -1 END" if whens else "-1"
    else:
        period_sql = week_sql = "-1"

    if connection.vendor == "postgresql":
        day_number = "(d.date - %s)"
    else:
        day_number = "CAST(julianday(d.date) - julianday(%s) AS INTEGER)"
    table = connection.ops.quote_name(DiaryDay._meta.db_table)
    fields = ", ".join(
        [
            "headache_hours",
            *(flag for _, flag in _PERIOD_FLAGS),
            "is_overuse_class_day",
            "is_simple_analgesic_day",
        ]
    )
    sql = (
        f"SELECT period, week, {', '.join(columns)} FROM ("
        f"SELECT {fields}, dn, {period_sql} AS period, {week_sql} AS week FROM ("
        f"SELECT {fields.replace('headache_hours', 'd.headache_hours')}, {day_number} AS dn FROM {table} d "
        "WHERE d.patient_id = %s AND d.date >= %s AND d.date <= %s) days) buckets "
        "GROUP BY period, week"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, first_day, patient.pk, first_day, today])
        rows = cursor.fetchall()
    keys = ["period", "week", *names]
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _sum(rows: list[dict], key: str, where=lambda row: True) -> float:
    return sum((row[key] or 0) for row in rows if where(row))


def patient_outcomes(
    patient, *, today: date | None = None, with_alerts: bool = True
) -> PatientOutcomes:
    """The patient's outcomes on ``today`` (clinic date by default).

    Queries: payer profile and session dates (1 each), the diary counts (1, grouped by
    period and cycle week), questionnaires and open urgent side effects (1, a UNION ALL;
    ``with_alerts=False`` skips it).
    """
    today = today or timezone.localdate()
    profile = payer_profile(patient)
    sessions = [d for d in session_dates_for(patient) if d <= today]
    cycles = _cycle_windows(sessions, today) if sessions else []
    rows = _diary_buckets(patient, sessions, cycles, today)
    questionnaires, urgent = (
        _questionnaires_and_urgent_reports(patient) if with_alerts else ([], [])
    )

    overuse = overuse_from_counts(
        [
            OveruseCounts(
                start,
                end,
                int(_sum(rows, f"o{i}_n")),
                int(_sum(rows, f"o{i}_s")),
                int(_sum(rows, f"o{i}_a")),
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
            period_at(i + 1, start, end)
            for i, (start, end) in enumerate(rules.follow_up_windows(sessions[0], today))
        )
        summary = rules.OutcomeSummary(
            baseline=baseline,
            periods=periods,
            response=rules.response(baseline, periods, profile.responder_rule),
        )
    else:
        summary = rules.OutcomeSummary(
            baseline=None, periods=(), response=rules.response(None, (), profile.responder_rule)
        )

    curves = []
    for i, cycle in enumerate(cycles):
        weeks = {}
        for week in cycle.weeks:
            bucket = [row for row in rows if row["week"] == 100 * i + week - 1]
            weeks[week] = (int(_sum(bucket, "n")), int(_sum(bucket, "headache_days")))
        pre = (int(_sum(rows, f"c{i}pre_n")), int(_sum(rows, f"c{i}pre_h")))
        curves.append(
            effect_curve_from_counts(cycle.session_date, cycle.next_session_date, today, weeks, pre)
        )
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
        interval_suggestion=shorter_interval_suggestion(
            worn.detected, profile.shortened_interval_days
        ),
        schedule=treatment_schedule(sessions, today=today, profile=profile),
        stage=treatment_stage(sessions, today),
        questionnaires=questionnaires,
        urgent_side_effects=urgent,
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
        last_session=Max(
            "procedures__performed_on", filter=Q(procedures__status=ProcedureStatus.SIGNED)
        )
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
    side_effects: list[SideEffectRate]

    @property
    def stages(self) -> list[tuple[str, str, int]]:
        return [
            (stage.value, stage.label, self.stage_counts.get(stage.value, 0))
            for stage in TreatmentStage
        ]


#: The first and last signed session per patient, computed once (a GROUP BY in a CTE),
#: then the baseline and week-24 period diary counts read from the (patient, date) index
#: by correlated counts, only for patients whose week-24 period has ended. Hand-written so
#: the date shifts stay in the database (Django's date + timedelta calls back into Python
#: per row on SQLite) and the first session is not recomputed for every window.
_CLINIC_SESSIONS_SQL = """
WITH firsts AS (
    SELECT patient_id, MIN(performed_on) AS first_on, MAX(performed_on) AS last_on
    FROM {procedures}
    WHERE status = %(signed)s AND performed_on <= %(today)s
    GROUP BY patient_id
)
SELECT f.patient_id, f.first_on, f.last_on,
    CASE WHEN f.first_on < %(review_before)s THEN (SELECT COUNT(*) FROM {diary} d
        WHERE d.patient_id = f.patient_id AND d.date BETWEEN {base_start} AND {base_end}) END,
    CASE WHEN f.first_on < %(review_before)s THEN (SELECT COUNT(*) FROM {diary} d
        WHERE d.patient_id = f.patient_id AND d.date BETWEEN {base_start} AND {base_end}
        AND d.is_headache_day) END,
    CASE WHEN f.first_on < %(review_before)s THEN (SELECT COUNT(*) FROM {diary} d
        WHERE d.patient_id = f.patient_id AND d.date BETWEEN {w24_start} AND {w24_end}) END,
    CASE WHEN f.first_on < %(review_before)s THEN (SELECT COUNT(*) FROM {diary} d
        WHERE d.patient_id = f.patient_id AND d.date BETWEEN {w24_start} AND {w24_end}
        AND d.is_headache_day) END
FROM firsts f
"""


def _shifted_first_session(days: int) -> str:
    if connection.vendor == "postgresql":
        return f"(f.first_on + {int(days)})"
    return f"date(f.first_on, '{int(days):+d} days')"


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _clinic_session_rows(today: date) -> list[tuple]:
    """``(patient_id, first_session, last_session, base_n, base_hd, w24_n, w24_hd)`` per
    patient with a signed session on or before ``today`` (counts None until the patient's
    week-24 period has ended). One query."""
    w24_start = WEEK_24_PERIOD_INDEX * rules.PERIOD_DAYS
    w24_end = w24_start + rules.PERIOD_DAYS - 1
    sql = _CLINIC_SESSIONS_SQL.format(
        procedures=connection.ops.quote_name(Procedure._meta.db_table),
        diary=connection.ops.quote_name(DiaryDay._meta.db_table),
        base_start=_shifted_first_session(-rules.PERIOD_DAYS),
        base_end=_shifted_first_session(-1),
        w24_start=_shifted_first_session(w24_start),
        w24_end=_shifted_first_session(w24_end),
    )
    params = {
        "signed": ProcedureStatus.SIGNED.value,
        "today": today,
        "review_before": today - timedelta(days=w24_end),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        (patient_id, _as_date(first), _as_date(last), *counts)
        for patient_id, first, last, *counts in rows
    ]


def week_24_counts(today: date) -> list[tuple]:
    """Per patient whose week-24 period has ended: baseline and week-24 period counts.

    One query: ``(patient_id, first_session, base_n, base_hd, w24_n, w24_hd)`` rows.
    """
    return [
        (patient_id, first, base_n, base_hd, w24_n, w24_hd)
        for patient_id, first, _last, base_n, base_hd, w24_n, w24_hd in _clinic_session_rows(today)
        if base_n is not None
    ]


def _tenths(raw_days: int, days_recorded: int) -> int | None:
    """The rules' scaled headache days (``period_from_counts``: raw * 28 / days recorded,
    capped at 28, rounded to 0.1) as whole tenths, None under MIN_RECORDED_DAYS days."""
    days_recorded = min(int(days_recorded), rules.PERIOD_DAYS)
    if days_recorded < rules.MIN_RECORDED_DAYS:
        return None
    scaled = round(min(raw_days * rules.PERIOD_DAYS / days_recorded, rules.PERIOD_DAYS), 1)
    return round(scaled * 10)


def week_24_response(
    base_n: int, base_hd: int, w24_n: int, w24_hd: int
) -> tuple[str, float | None]:
    """(status, headache-day change) of the clinic report's week-24 comparison, as
    ``rules.response`` with the default 50% rule decides it, without Fractions: the
    scaled values are whole tenths, so the 50%/30% thresholds are exact integer
    cross-multiplications (responder: follow-up <= half the baseline)."""
    base, follow = _tenths(base_hd, base_n), _tenths(w24_hd, w24_n)
    if base is None or follow is None or base <= 0:
        return rules.ResponseStatus.insufficient_data, None
    if 100 * follow <= (100 - rules.RESPONDER_PERCENT) * base:
        status = rules.ResponseStatus.responder
    elif 100 * follow <= (100 - rules.PARTIAL_PERCENT) * base:
        status = rules.ResponseStatus.partial
    else:
        status = rules.ResponseStatus.non_responder
    return status, round((follow - base) / 10, 1)


def clinic_report(today: date | None = None) -> ClinicReport:
    """The dashboard's outcome aggregates: stages, 24-week responders vs PREEMPT,
    side-effect rates. A fixed number of queries, whatever the number of patients.
    (Sessions due and overdue come from the scheduling worklists, so that the dashboard
    and the worklists it links to count the same patients.)"""
    today = today or timezone.localdate()
    patient_count = Patient.objects.count()
    stage_counts = {stage.value: 0 for stage in TreatmentStage}
    statuses = {status.value: 0 for status in rules.ResponseStatus}
    review_patients = 0
    changes: list[float] = []
    for _pk, first, last, base_n, base_hd, w24_n, w24_hd in _clinic_session_rows(today):
        stage_counts[treatment_stage((first, last), today)] += 1
        if base_n is not None:
            review_patients += 1
            status, change = week_24_response(base_n, base_hd, w24_n, w24_hd)
            statuses[status] += 1
            if change is not None:
                changes.append(change)
    stage_counts[TreatmentStage.work_up] = patient_count - sum(
        n for s, n in stage_counts.items() if s != TreatmentStage.work_up
    )
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
        side_effects=side_effect_rates(today),
    )
