"""The clinic's outcome numbers: the dashboard report (stages, 24-week responders against
PREEMPT, side-effect rates) and the staff patient list. A fixed number of queries, whatever
the number of patients.

    clinic_report(today) -> ClinicReport                            (the dashboard)
    patient_list(search="") -> QuerySet[Patient]                     (annotated last_session)
    week_24_counts(today), week_24_response(...)                     (the report's arithmetic)
    week_24_statuses(today) -> {patient_id: status}                  (the report, per patient)

Each patient's course and baseline are the patient page's (``selectors.patient``, their
one owner): the week-24 period of the course that started after the last lapse of more
than ``new_baseline_lapse_days()`` days, against the 28 days before that course, or the
recorded historical baseline in its place (``baseline_or_historical_record``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import NamedTuple

from django.db import connection, connections, router
from django.db.models import Max, Q
from django.utils import timezone

from cadence.diary.models import DiaryDay, SideEffectReport
from cadence.outcomes.selectors.patient import (
    as_date,
    baseline_or_historical_record,
    needs_historical_baseline,
    new_baseline_lapse_days,
)
from cadence.patients.models import HistoricalBaseline, Patient, PayerProfile
from cadence.rules import outcomes as rules
from cadence.rules.outcomes import WEEK_24_PERIOD_INDEX
from cadence.rules.payer import COURSE_REVIEW_WEEKS, DEFAULT_PAYER_PROFILE
from cadence.rules.schedule import TreatmentStage, treatment_stage
from cadence.rules.side_effects import PREEMPT_INCIDENCE_PERCENT, SIDE_EFFECT_LABELS, SideEffect
from cadence.treatments.models import Procedure, ProcedureStatus

#: clinic-reference.md section 7: "PREEMPT's ~9% neck pain and ~4% ptosis are the share
#: of *patients* with the event over 24 weeks (two sessions). Compare like with like:
#: patients with at least one report within their first 24 weeks" (from the first signed
#: session; the session day is day 0, the window's last day is day 167).
SIDE_EFFECT_WINDOW_WEEKS = COURSE_REVIEW_WEEKS
SIDE_EFFECT_WINDOW_DAYS = SIDE_EFFECT_WINDOW_WEEKS * 7


# =======================================================================================
# Side-effect rates
# =======================================================================================


@dataclass(frozen=True)
class SideEffectRate:
    """Share of patients (whose first 24 weeks from the first signed session have
    ended) with at least one report of the effect within those 24 weeks."""

    effect: str
    label: str
    patients: int  # patients with at least one report of it
    evaluated: int  # patients whose first 24 weeks have ended
    percent: float | None
    preempt_percent: float | None


#: Tracked side effects shown on the dashboard even when none was reported (the two with a
#: PREEMPT reference, clinic-reference.md section 5).
REFERENCE_SIDE_EFFECTS = tuple(PREEMPT_INCIDENCE_PERCENT)

_SIDE_EFFECT_PATIENTS_SQL = """
WITH firsts AS (
    SELECT patient_id, MIN(performed_on) AS first_on
    FROM {procedures}
    WHERE status = %(signed)s
    GROUP BY patient_id
    HAVING MIN(performed_on) <= %(until)s
)
SELECT NULL, COUNT(*) FROM firsts
UNION ALL
SELECT r.effect, COUNT(DISTINCT f.patient_id)
FROM firsts f
JOIN {reports} r ON r.patient_id = f.patient_id
    AND r.onset_on >= f.first_on AND r.onset_on <= {window_end}
GROUP BY r.effect
"""


def _reader():
    """The connection the report's hand-written SQL reads from: the read replica when the
    database router sends report reads there (config/db_routers.py), else the default."""
    return connections[router.db_for_read(Procedure) or "default"]


def side_effect_patient_counts(today: date) -> tuple[int, dict[str, int]]:
    """(patients whose first SIDE_EFFECT_WINDOW_DAYS from their first signed session
    ended before ``today``, {effect: how many of them reported it within that window}).
    One SQL query (SQLite and PostgreSQL)."""
    sql = _SIDE_EFFECT_PATIENTS_SQL.format(
        procedures=connection.ops.quote_name(Procedure._meta.db_table),
        reports=connection.ops.quote_name(SideEffectReport._meta.db_table),
        window_end=_shifted_first_session(SIDE_EFFECT_WINDOW_DAYS - 1),
    )
    params = {
        "signed": ProcedureStatus.SIGNED.value,
        "until": today - timedelta(days=SIDE_EFFECT_WINDOW_DAYS),
    }
    with _reader().cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total, counts = 0, {}
    for effect, n in rows:
        if effect is None:
            total = int(n)
        else:
            counts[str(effect)] = int(n)
    return total, counts


def side_effect_rates(today: date) -> list[SideEffectRate]:
    """Per side effect: the share of patients with at least one report of it within the
    first 24 weeks from their first signed session (patients whose 24 weeks have ended),
    next to PREEMPT's per-patient rate over 24 weeks where there is one. Neck pain and
    ptosis always."""
    total, counts = side_effect_patient_counts(today)
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
                patients=n,
                evaluated=total,
                percent=round(n * 100 / total, 1) if total else None,
                preempt_percent=PREEMPT_INCIDENCE_PERCENT.get(effect),
            )
        )
    return rates


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


#: Per patient: the first and last signed session and the first session of the current
#: course (the first session after the last lapse of more than the owner's
#: ``new_baseline_lapse_days()``, as ``rules.course_review.course_start`` finds it: LAG over
#: the patient's signed sessions, computed once (a window and a GROUP BY in CTEs; two
#: notes signed the same day are 0 days apart, never a lapse, so no DISTINCT is needed);
#: then the baseline (the 28 days before the course start) and week-24 period diary counts
#: (``{window_counts}``, read from the diary's (patient, date) index, only for patients
#: whose course's week-24 period has ended; see ``_WINDOW_COUNTS``); and whether a
#: first-course patient has a recorded historical baseline. Hand-written so the date
#: shifts stay in the database (Django's date + timedelta calls back into Python per row
#: on SQLite) and the course start is not recomputed for every window.
_CLINIC_SESSIONS_SQL = """
WITH gaps AS (
    SELECT patient_id, performed_on,
        LAG(performed_on) OVER (PARTITION BY patient_id ORDER BY performed_on) AS previous_on
    FROM {procedures}
    WHERE status = %(signed)s AND performed_on <= %(today)s
),
firsts AS (
    SELECT patient_id, MIN(performed_on) AS first_on, MAX(performed_on) AS last_on,
        MAX(CASE WHEN previous_on IS NULL OR {gap_days} > %(lapse_days)s
            THEN performed_on END) AS course_on
    FROM gaps
    GROUP BY patient_id
)
SELECT f.patient_id, f.first_on, f.last_on, f.course_on,
    {window_counts},
    CASE WHEN f.course_on < %(review_before)s THEN COALESCE(pp.responder_rule,
        (SELECT dp.responder_rule FROM {profiles} dp WHERE dp.is_default = %(true)s),
        %(fallback_rule)s) END,
    CASE WHEN f.course_on < %(review_before)s AND f.course_on = f.first_on
        AND EXISTS (SELECT 1 FROM {historical} h WHERE h.patient_id = f.patient_id)
        THEN 1 ELSE 0 END = 1
FROM firsts f
JOIN {patients} p ON p.id = f.patient_id
LEFT JOIN {profiles} pp ON pp.id = p.payer_profile_id{window_joins}
"""

#: The four window counts (baseline days recorded, baseline headache days, week-24 period
#: days recorded, week-24 period headache days), NULL unless the course's week-24 period
#: has ended. PostgreSQL: one LATERAL range read of the (patient, date) index per window,
#: counting both numbers at once (index-only with the covering index of diary migration
#: 0006). SQLite has no LATERAL: four correlated counts, each one range of the same index.
#: Both give the same numbers (the tests run on both).
_WINDOW_COUNTS = {
    "postgresql": (
        """CASE WHEN f.course_on < %(review_before)s THEN base.n END,
    CASE WHEN f.course_on < %(review_before)s THEN base.hd END,
    CASE WHEN f.course_on < %(review_before)s THEN w24.n END,
    CASE WHEN f.course_on < %(review_before)s THEN w24.hd END""",
        """
LEFT JOIN LATERAL (SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE d.is_headache_day) AS hd
    FROM {diary} d WHERE f.course_on < %(review_before)s AND d.patient_id = f.patient_id
    AND d.date BETWEEN {base_start} AND {base_end}) base ON TRUE
LEFT JOIN LATERAL (SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE d.is_headache_day) AS hd
    FROM {diary} d WHERE f.course_on < %(review_before)s AND d.patient_id = f.patient_id
    AND d.date BETWEEN {w24_start} AND {w24_end}) w24 ON TRUE""",
    ),
    "sqlite": (
        """CASE WHEN f.course_on < %(review_before)s THEN (SELECT COUNT(*) FROM {diary} d
        WHERE d.patient_id = f.patient_id AND d.date BETWEEN {base_start} AND {base_end}) END,
    CASE WHEN f.course_on < %(review_before)s THEN (SELECT COUNT(*) FROM {diary} d
        WHERE d.patient_id = f.patient_id AND d.date BETWEEN {base_start} AND {base_end}
        AND d.is_headache_day) END,
    CASE WHEN f.course_on < %(review_before)s THEN (SELECT COUNT(*) FROM {diary} d
        WHERE d.patient_id = f.patient_id AND d.date BETWEEN {w24_start} AND {w24_end}) END,
    CASE WHEN f.course_on < %(review_before)s THEN (SELECT COUNT(*) FROM {diary} d
        WHERE d.patient_id = f.patient_id AND d.date BETWEEN {w24_start} AND {w24_end}
        AND d.is_headache_day) END""",
        "",
    ),
}


def _shifted(column: str, days: int) -> str:
    """SQL for the date ``column`` shifted by ``days`` days (SQLite and PostgreSQL)."""
    if connection.vendor == "postgresql":
        return f"({column} + {int(days)})"
    return f"date({column}, '{int(days):+d} days')"


def _shifted_first_session(days: int) -> str:
    return _shifted("f.first_on", days)


def _days_between(later: str, earlier: str) -> str:
    """SQL for the whole days from the date ``earlier`` to the date ``later``."""
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


class _SessionRow(NamedTuple):
    """One patient's row of ``_CLINIC_SESSIONS_SQL`` (counts and rule None until the
    current course's week-24 period has ended). A named tuple: built once per patient."""

    patient_id: int
    first_session: date
    last_session: date
    course_start: date
    base_n: int | None
    base_hd: int | None
    w24_n: int | None
    w24_hd: int | None
    rule: str | None
    has_historical_baseline: bool

    @property
    def comparison(self) -> tuple:
        """(base_n, base_hd, w24_n, w24_hd, rule): all the week-24 decision reads from a
        diary baseline."""
        return self[4:9]


def _clinic_session_rows(today: date) -> list[_SessionRow]:
    """One row per patient with a signed session on or before ``today``: first, last and
    course-start session; for patients whose course's week-24 period has ended, the
    baseline and week-24 period counts and the patient's payer-profile responder rule,
    resolved as ``patients.selectors.payer_profile_for`` resolves it (the patient's
    profile, else the clinic's default profile, else the reference default). One query."""
    w24_start = WEEK_24_PERIOD_INDEX * rules.PERIOD_DAYS
    w24_end = w24_start + rules.PERIOD_DAYS - 1
    window_counts, window_joins = _WINDOW_COUNTS[
        "postgresql" if connection.vendor == "postgresql" else "sqlite"
    ]
    windows = {
        "diary": connection.ops.quote_name(DiaryDay._meta.db_table),
        "base_start": _shifted("f.course_on", -rules.PERIOD_DAYS),
        "base_end": _shifted("f.course_on", -1),
        "w24_start": _shifted("f.course_on", w24_start),
        "w24_end": _shifted("f.course_on", w24_end),
    }
    sql = _CLINIC_SESSIONS_SQL.format(
        procedures=connection.ops.quote_name(Procedure._meta.db_table),
        patients=connection.ops.quote_name(Patient._meta.db_table),
        profiles=connection.ops.quote_name(PayerProfile._meta.db_table),
        historical=connection.ops.quote_name(HistoricalBaseline._meta.db_table),
        gap_days=_days_between("performed_on", "previous_on"),
        window_counts=window_counts.format(**windows),
        window_joins=window_joins.format(**windows),
    )
    params = {
        "signed": ProcedureStatus.SIGNED.value,
        "today": today,
        "lapse_days": new_baseline_lapse_days(),
        "review_before": today - timedelta(days=w24_end),
        "true": True,
        "fallback_rule": DEFAULT_PAYER_PROFILE.responder_rule.value,
    }
    with _reader().cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":  # dates as dates, the flag as a boolean
        return list(map(_SessionRow._make, rows))
    return [
        _SessionRow(
            patient_id, as_date(first), as_date(last), as_date(course), *counts, bool(historical)
        )
        for patient_id, first, last, course, *counts, historical in rows
    ]


def week_24_counts(today: date) -> list[tuple]:
    """Per patient whose current course's week-24 period has ended: the course start,
    the diary baseline and week-24 period counts and the patient's responder rule.

    One query: ``(patient_id, course_start, base_n, base_hd, w24_n, w24_hd, rule)`` rows
    (the diary counts; ``clinic_report`` puts a recorded historical baseline in place of
    an insufficient diary one, as the patient page does).
    """
    return [
        (row.patient_id, row.course_start, row.base_n, row.base_hd, row.w24_n, row.w24_hd, row.rule)
        for row in _clinic_session_rows(today)
        if row.base_n is not None
    ]


def _historical_baselines(rows: list[_SessionRow], today: date) -> dict[int, tuple]:
    """{patient_id: (baseline PeriodMetrics, source)} for the review patients whose
    baseline is a recorded historical one, chosen by the patient page's owner
    (``selectors.patient.baseline_or_historical_record``) from each patient's latest
    record (the order ``patients.selectors.historical_baseline_for`` reads). One query,
    only when a first-course patient with a record is in review."""
    candidates = {}
    for row in rows:
        if row.base_n is None or not row.has_historical_baseline:
            continue
        start, end = rules.baseline_window(row.course_start)
        diary = rules.period_from_counts(
            start, end, row.base_n, rules.PeriodCounts(headache_days=row.base_hd), as_of=today
        )
        first_course = row.course_start == row.first_session
        if needs_historical_baseline(diary, first_course=first_course):
            candidates[row.patient_id] = (diary, first_course)
    if not candidates:
        return {}
    latest = {}
    for record in HistoricalBaseline.objects.filter(patient_id__in=list(candidates)):
        latest.setdefault(record.patient_id, record)  # the model's order: latest first
    return {
        patient_id: baseline_or_historical_record(
            diary, latest.get(patient_id), first_course=first_course
        )
        for patient_id, (diary, first_course) in candidates.items()
    }


def week_24_response(
    base_n: int,
    base_hd: int,
    w24_n: int,
    w24_hd: int,
    rule: rules.ResponderRule | str = rules.ResponderRule.percent_50,
) -> tuple[str, float | None]:
    """(status, headache-day change) of the clinic report's week-24 comparison: the
    rules' one responder decision (``rules.response_status`` on the exact
    ``raw * 28 / days_recorded`` fractions, with the patient's payer-profile ``rule``),
    as the patient page, the payer packet and the exports decide it; the change is
    rounded for display only."""
    status, change = _week_24_exact(base_n, base_hd, w24_n, w24_hd, rule)
    return status, None if change is None else round(float(change), 1)


def _week_24_exact(
    base_n: int,
    base_hd: int,
    w24_n: int,
    w24_hd: int,
    rule: rules.ResponderRule | str = rules.ResponderRule.percent_50,
) -> tuple[str, Fraction | None]:
    return _exact_status(
        rules.exact_per_period(base_hd, base_n), rules.exact_per_period(w24_hd, w24_n), rule
    )


def _exact_status(
    base: Fraction | None, follow: Fraction | None, rule: rules.ResponderRule | str
) -> tuple[str, Fraction | None]:
    if base is None or follow is None or base <= 0:
        return rules.ResponseStatus.insufficient_data, None
    return rules.response_status(base, follow, rule), follow - base


def _week_24_results(
    rows: list[_SessionRow], today: date
) -> list[tuple[_SessionRow, str, Fraction | None]]:
    """(row, status, exact headache-day change) per patient whose course's week-24 period
    has ended: the week-24 period against the diary baseline, or against the recorded
    historical baseline where the patient page's owner puts it in its place."""
    historical = _historical_baselines(rows, today)
    results = []
    # The comparison is a pure function of the four counts and the rule, and a clinic has
    # few distinct ones (each count is 0-28): decided once per distinct combination.
    decided: dict[tuple, tuple[str, Fraction | None]] = {}
    for row in rows:
        if row.base_n is None:
            continue
        if row.patient_id in historical:
            status, change = _against_historical(row, historical[row.patient_id][0])
        else:
            key = row.comparison
            if key not in decided:
                decided[key] = _week_24_exact(*key)
            status, change = decided[key]
        results.append((row, status, change))
    return results


def _against_historical(row: _SessionRow, baseline) -> tuple[str, Fraction | None]:
    """The week-24 period against the recorded historical ``baseline`` (PeriodMetrics)."""
    return _exact_status(
        rules.exact_count(baseline), rules.exact_per_period(row.w24_hd, row.w24_n), row.rule
    )


def _week_24_tally(rows: list[_SessionRow], today: date) -> Counter:
    """{(status, exact headache-day change): patients} over the patients whose course's
    week-24 period has ended: ``_week_24_results`` counted, without a decision or a
    Fraction per patient (the clinic report at 100,000 patients): each distinct
    combination of counts and rule is decided once and weighted by its patients."""
    historical = _historical_baselines(rows, today)
    combinations = Counter(
        row.comparison for row in rows if not historical or row.patient_id not in historical
    )
    tally: Counter = Counter()
    for key, patients in combinations.items():
        if key[0] is not None:  # the counts are NULL until the week-24 period has ended
            tally[_week_24_exact(*key)] += patients
    for row in rows if historical else ():
        if row.patient_id in historical:
            tally[_against_historical(row, historical[row.patient_id][0])] += 1
    return tally


def week_24_statuses(today: date | None = None) -> dict[int, str]:
    """{patient_id: the response at the 24-week review} as the clinic report counts it,
    for the patients whose current course's week-24 period has ended (what each patient
    page shows as ``week_24_response``). Two queries at most."""
    today = today or timezone.localdate()
    return {
        row.patient_id: str(status)
        for row, status, _change in _week_24_results(_clinic_session_rows(today), today)
    }


def clinic_report(today: date | None = None) -> ClinicReport:
    """The dashboard's outcome aggregates: stages, 24-week responders vs PREEMPT,
    side-effect rates. A fixed number of queries, whatever the number of patients.
    (Sessions due and overdue come from the scheduling worklists, so that the dashboard
    and the worklists it links to count the same patients.)"""
    today = today or timezone.localdate()
    patient_count = Patient.objects.count()
    stage_counts = {stage.value: 0 for stage in TreatmentStage}
    statuses = {status.value: 0 for status in rules.ResponseStatus}
    review_patients = evaluable = 0
    total_change = Fraction(0)
    rows = _clinic_session_rows(today)
    # The stage depends on the first and last session only: decided once per distinct pair.
    pairs = Counter((row.first_session, row.last_session) for row in rows)
    for sessions, n in pairs.items():
        stage_counts[treatment_stage(sessions, today)] += n
    for (status, change), patients in _week_24_tally(rows, today).items():
        review_patients += patients
        statuses[status] += patients
        if change is not None:
            evaluable += patients
            total_change += change * patients
    stage_counts[TreatmentStage.work_up] = patient_count - sum(
        n for s, n in stage_counts.items() if s != TreatmentStage.work_up
    )

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
        mean_headache_day_change=round(float(total_change / evaluable), 1) if evaluable else None,
        preempt=rules.PREEMPT,
        side_effects=side_effect_rates(today),
    )
