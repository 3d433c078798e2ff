"""The database's floor for the clinic report: one hand-written SQL query returning the
numbers `cadence.outcomes.selectors.clinic_report(today)` is built from:

* the number of patients;
* per patient with signed sessions: first and last session (stages, due, overdue);
* per patient: diary days recorded and headache days in the baseline (the 28 days before
  the first session) and in the period that ends at week 24 (the 24-week responder rate).

Two hand-written shapes are timed and the faster is the floor: a range join into the
diary grouped per patient (`join`), and four correlated counts per patient that each read
one range of the (patient, date) index (`correlated`).
"""

from __future__ import annotations

from datetime import date

from django.db import connection

from cadence.rules.outcomes import PERIOD_DAYS, WEEK_24_PERIOD_INDEX

W24_START = WEEK_24_PERIOD_INDEX * PERIOD_DAYS
W24_END = W24_START + PERIOD_DAYS - 1

_CORRELATED = """
WITH firsts AS (
    SELECT patient_id, MIN(performed_on) AS first_on, MAX(performed_on) AS last_on
    FROM treatments_procedure
    WHERE status = 'signed' AND performed_on <= %(today)s
    GROUP BY patient_id
)
SELECT f.patient_id, f.first_on, f.last_on,
       (SELECT COUNT(*) FROM patients_patient) AS patient_count,
       (SELECT COUNT(*) FROM diary_diaryday d WHERE d.patient_id = f.patient_id
            AND d.date BETWEEN {base_start} AND {base_end}) AS base_n,
       (SELECT COUNT(*) FROM diary_diaryday d WHERE d.patient_id = f.patient_id
            AND d.date BETWEEN {base_start} AND {base_end} AND d.is_headache_day) AS base_hd,
       (SELECT COUNT(*) FROM diary_diaryday d WHERE d.patient_id = f.patient_id
            AND d.date BETWEEN {w24_start} AND {w24_end}) AS w24_n,
       (SELECT COUNT(*) FROM diary_diaryday d WHERE d.patient_id = f.patient_id
            AND d.date BETWEEN {w24_start} AND {w24_end} AND d.is_headache_day) AS w24_hd
FROM firsts f
"""

_JOIN = """
WITH firsts AS (
    SELECT patient_id, MIN(performed_on) AS first_on, MAX(performed_on) AS last_on
    FROM treatments_procedure
    WHERE status = 'signed' AND performed_on <= %(today)s
    GROUP BY patient_id
)
SELECT f.patient_id, f.first_on, f.last_on,
       (SELECT COUNT(*) FROM patients_patient) AS patient_count,
       SUM(CASE WHEN d.date < f.first_on THEN 1 ELSE 0 END) AS base_n,
       SUM(CASE WHEN d.date < f.first_on AND d.is_headache_day THEN 1 ELSE 0 END) AS base_hd,
       SUM(CASE WHEN d.date > f.first_on THEN 1 ELSE 0 END) AS w24_n,
       SUM(CASE WHEN d.date > f.first_on AND d.is_headache_day THEN 1 ELSE 0 END) AS w24_hd
FROM firsts f
LEFT JOIN diary_diaryday d ON d.patient_id = f.patient_id AND (
    d.date BETWEEN {base_start} AND {base_end} OR d.date BETWEEN {w24_start} AND {w24_end})
GROUP BY f.patient_id, f.first_on, f.last_on
"""


def _shift(days: int) -> str:
    if connection.vendor == "postgresql":
        return f"(f.first_on + {days})"
    return f"date(f.first_on, '{days:+d} days')"


SHAPES = {"join": _JOIN, "correlated": _CORRELATED}


def sql(shape: str = "correlated") -> str:
    return (
        SHAPES[shape]
        .format(
            base_start=_shift(-PERIOD_DAYS),
            base_end=_shift(-1),
            w24_start=_shift(W24_START),
            w24_end=_shift(W24_END),
        )
        .replace("%(today)s", "%s")
    )


def describe(shape: str = "correlated") -> str:
    return " ".join(sql(shape).split())


def run(today: date, shape: str = "correlated") -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql(shape), [today])
        return cursor.fetchall()
