"""The clinic's outcome numbers: the dashboard report (stages, 24-week responders against
PREEMPT, side-effect rates) and the staff patient list. A fixed number of queries, whatever
the number of patients.

    clinic_report(today) -> ClinicReport                            (the dashboard)
    patient_list(search="") -> QuerySet[Patient]                     (annotated last_session)
    week_24_counts(today), week_24_response(...)                     (the report's arithmetic)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from django.db import connection
from django.db.models import Max, Q
from django.utils import timezone

from cadence.diary.models import DiaryDay, SideEffectReport
from cadence.outcomes.selectors.patient import as_date
from cadence.patients.models import Patient
from cadence.rules import outcomes as rules
from cadence.rules.outcomes import WEEK_24_PERIOD_INDEX
from cadence.rules.payer import COURSE_REVIEW_WEEKS
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
    with connection.cursor() as cursor:
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
        (patient_id, as_date(first), as_date(last), *counts)
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


def week_24_response(
    base_n: int, base_hd: int, w24_n: int, w24_hd: int
) -> tuple[str, float | None]:
    """(status, headache-day change) of the clinic report's week-24 comparison: the
    rules' one responder decision (``rules.response_status`` on the exact
    ``raw * 28 / days_recorded`` fractions, the default 50% rule), as the patient page,
    the payer packet and the exports decide it; the change is rounded for display only."""
    status, change = _week_24_exact(base_n, base_hd, w24_n, w24_hd)
    return status, None if change is None else round(float(change), 1)


def _week_24_exact(
    base_n: int, base_hd: int, w24_n: int, w24_hd: int
) -> tuple[str, Fraction | None]:
    base, follow = rules.exact_per_period(base_hd, base_n), rules.exact_per_period(w24_hd, w24_n)
    if base is None or follow is None or base <= 0:
        return rules.ResponseStatus.insufficient_data, None
    return rules.response_status(base, follow), follow - base


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
    changes: list[Fraction] = []
    for _pk, first, last, base_n, base_hd, w24_n, w24_hd in _clinic_session_rows(today):
        stage_counts[treatment_stage((first, last), today)] += 1
        if base_n is not None:
            review_patients += 1
            status, change = _week_24_exact(base_n, base_hd, w24_n, w24_hd)
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
        mean_headache_day_change=round(float(sum(changes) / evaluable), 1) if evaluable else None,
        preempt=rules.PREEMPT,
        side_effects=side_effect_rates(today),
    )
