"""The database's floor for the clinic report: one hand-written SQL query returning the
numbers `cadence.outcomes.selectors.clinic_report(today)` is built from, reading the same
rows as the report's own query (`_CLINIC_SESSIONS_SQL`) and nothing more:

* the number of patients;
* per patient with signed sessions: first and last session (stages) and the current
  course's first session (the first session after the last lapse of more than
  `new_baseline_lapse_days()` days: LAG over the patient's signed sessions);
* per patient whose course's week-24 period has ended: diary days recorded and headache
  days in the baseline (the 28 days before the course start) and in the week-24 period,
  the patient's responder rule (their payer profile, else the default one) and whether
  a first-course patient has a recorded historical baseline.

Two hand-written shapes are timed and the faster is the floor: a range join into the
diary grouped per patient (`join`), and per-window range reads of the (patient, date)
index (`correlated`: on PostgreSQL one LATERAL read per window counting both numbers; on
SQLite, which has no LATERAL, four correlated counts).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection

from cadence.outcomes.selectors.patient import new_baseline_lapse_days
from cadence.rules.outcomes import PERIOD_DAYS, WEEK_24_PERIOD_INDEX
from cadence.rules.payer import DEFAULT_PAYER_PROFILE

W24_START = WEEK_24_PERIOD_INDEX * PERIOD_DAYS
W24_END = W24_START + PERIOD_DAYS - 1

_FIRSTS = """
WITH gaps AS (
    SELECT patient_id, performed_on,
        LAG(performed_on) OVER (PARTITION BY patient_id ORDER BY performed_on) AS previous_on
    FROM treatments_procedure
    WHERE status = 'signed' AND performed_on <= %(today)s
),
firsts AS (
    SELECT patient_id, MIN(performed_on) AS first_on, MAX(performed_on) AS last_on,
        MAX(CASE WHEN previous_on IS NULL OR {gap_days} > %(lapse_days)s
            THEN performed_on END) AS course_on
    FROM gaps
    GROUP BY patient_id
)
"""

# The rule and the historical-baseline flag, for review patients (as the report reads them).
_RULE_AND_HISTORICAL = """
       CASE WHEN f.course_on < %(review_before)s THEN COALESCE(pp.responder_rule,
           (SELECT responder_rule FROM patients_payerprofile WHERE is_default = %(true)s),
           %(fallback_rule)s) END AS rule,
       CASE WHEN f.course_on < %(review_before)s AND f.course_on = f.first_on
           AND EXISTS (SELECT 1 FROM patients_historicalbaseline h
               WHERE h.patient_id = f.patient_id) THEN 1 ELSE 0 END AS historical"""

_RULE_JOIN = """
LEFT JOIN patients_patient p ON p.id = f.patient_id
LEFT JOIN patients_payerprofile pp ON pp.id = p.payer_profile_id"""

_CORRELATED_POSTGRESQL = (
    _FIRSTS
    + """SELECT f.patient_id, f.first_on, f.last_on, f.course_on,
       (SELECT COUNT(*) FROM patients_patient) AS patient_count,
       base.n, base.hd, w24.n, w24.hd,"""
    + _RULE_AND_HISTORICAL
    + """
FROM firsts f
LEFT JOIN LATERAL (SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE d.is_headache_day) AS hd
    FROM diary_diaryday d WHERE f.course_on < %(review_before)s AND d.patient_id = f.patient_id
    AND d.date BETWEEN {base_start} AND {base_end}) base ON TRUE
LEFT JOIN LATERAL (SELECT COUNT(*) AS n, COUNT(*) FILTER (WHERE d.is_headache_day) AS hd
    FROM diary_diaryday d WHERE f.course_on < %(review_before)s AND d.patient_id = f.patient_id
    AND d.date BETWEEN {w24_start} AND {w24_end}) w24 ON TRUE"""
    + _RULE_JOIN
)

_CORRELATED_SQLITE = (
    _FIRSTS
    + """SELECT f.patient_id, f.first_on, f.last_on, f.course_on,
       (SELECT COUNT(*) FROM patients_patient) AS patient_count,
       CASE WHEN f.course_on < %(review_before)s THEN (SELECT COUNT(*) FROM diary_diaryday d
            WHERE d.patient_id = f.patient_id AND d.date BETWEEN {base_start} AND {base_end})
            END AS base_n,
       CASE WHEN f.course_on < %(review_before)s THEN (SELECT COUNT(*) FROM diary_diaryday d
            WHERE d.patient_id = f.patient_id AND d.date BETWEEN {base_start} AND {base_end}
            AND d.is_headache_day) END AS base_hd,
       CASE WHEN f.course_on < %(review_before)s THEN (SELECT COUNT(*) FROM diary_diaryday d
            WHERE d.patient_id = f.patient_id AND d.date BETWEEN {w24_start} AND {w24_end})
            END AS w24_n,
       CASE WHEN f.course_on < %(review_before)s THEN (SELECT COUNT(*) FROM diary_diaryday d
            WHERE d.patient_id = f.patient_id AND d.date BETWEEN {w24_start} AND {w24_end}
            AND d.is_headache_day) END AS w24_hd,"""
    + _RULE_AND_HISTORICAL
    + """
FROM firsts f"""
    + _RULE_JOIN
)

_JOIN = (
    _FIRSTS
    + """SELECT f.patient_id, f.first_on, f.last_on, f.course_on,
       (SELECT COUNT(*) FROM patients_patient) AS patient_count,
       SUM(CASE WHEN d.date < f.course_on THEN 1 ELSE 0 END) AS base_n,
       SUM(CASE WHEN d.date < f.course_on AND d.is_headache_day THEN 1 ELSE 0 END) AS base_hd,
       SUM(CASE WHEN d.date > f.course_on THEN 1 ELSE 0 END) AS w24_n,
       SUM(CASE WHEN d.date > f.course_on AND d.is_headache_day THEN 1 ELSE 0 END) AS w24_hd,"""
    + _RULE_AND_HISTORICAL
    + """
FROM firsts f
LEFT JOIN diary_diaryday d ON f.course_on < %(review_before)s AND d.patient_id = f.patient_id
    AND (d.date BETWEEN {base_start} AND {base_end} OR d.date BETWEEN {w24_start} AND {w24_end})"""
    + _RULE_JOIN
    + """
GROUP BY f.patient_id, f.first_on, f.last_on, f.course_on, pp.responder_rule
"""
)


def _shift(days: int) -> str:
    if connection.vendor == "postgresql":
        return f"(f.course_on + {days})"
    return f"date(f.course_on, '{days:+d} days')"


def _gap_days() -> str:
    if connection.vendor == "postgresql":
        return "(performed_on - previous_on)"
    return "CAST(julianday(performed_on) - julianday(previous_on) AS INTEGER)"


def _correlated() -> str:
    return _CORRELATED_POSTGRESQL if connection.vendor == "postgresql" else _CORRELATED_SQLITE


SHAPES = {"join": lambda: _JOIN, "correlated": _correlated}


def sql(shape: str = "correlated") -> str:
    return SHAPES[shape]().format(
        gap_days=_gap_days(),
        base_start=_shift(-PERIOD_DAYS),
        base_end=_shift(-1),
        w24_start=_shift(W24_START),
        w24_end=_shift(W24_END),
    )


def describe(shape: str = "correlated") -> str:
    return " ".join(sql(shape).split())


def params(today: date) -> dict:
    return {
        "today": today,
        "lapse_days": new_baseline_lapse_days(),
        "review_before": today - timedelta(days=W24_END),
        "true": True,
        "fallback_rule": DEFAULT_PAYER_PROFILE.responder_rule.value,
    }


def run(today: date, shape: str = "correlated") -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql(shape), params(today))
        return cursor.fetchall()
