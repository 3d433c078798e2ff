"""The database's floor for the clinic report: one hand-written SQL query computing the
same numbers as `cadence.outcomes.selectors.clinic_report(today)`."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection

#: Days of each outcome period (cadence.rules.outcomes.PERIOD_DAYS).
PERIOD_DAYS = 28

SQL = """
SELECT COUNT(DISTINCT patient_id),
       COUNT(*),
       SUM(CASE WHEN is_headache_day THEN 1 ELSE 0 END),
       SUM(CASE WHEN is_migraine_day THEN 1 ELSE 0 END),
       SUM(CASE WHEN is_moderate_severe_day THEN 1 ELSE 0 END),
       SUM(CASE WHEN is_acute_medication_day THEN 1 ELSE 0 END),
       SUM(CASE WHEN is_triptan_day THEN 1 ELSE 0 END),
       SUM(headache_hours)
FROM diary_diaryday
WHERE date > %s AND date <= %s
"""


def describe() -> str:
    return " ".join(SQL.split())


def run(today: date):
    with connection.cursor() as cursor:
        cursor.execute(SQL, [today - timedelta(days=PERIOD_DAYS), today])
        return cursor.fetchall()
