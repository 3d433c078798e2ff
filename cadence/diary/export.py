"""The patient's own export: the whole diary as CSV (one row per day, every answer and
the derived classification), read in chunks so a long diary streams."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from cadence.diary.models import DiaryDay
from cadence.security.csvcells import csv_cell

COLUMNS = (
    "date",
    "headache_hours",
    "peak_severity",
    "unilateral",
    "pulsating",
    "worse_with_activity",
    "nausea",
    "vomiting",
    "photophobia",
    "phonophobia",
    "aura",
    "aura_without_headache",
    "missed_activity",
    "acute_medications",
    "pain_regions",
    "triggers",
    "other_triggers",
    "attacks",
    "menstruating",
    "notes",
    "is_headache_day",
    "is_migraine_day",
    "is_moderate_severe_day",
    "is_acute_medication_day",
    "is_triptan_day",
)


def _cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return csv_cell(value)  # never a formula in a spreadsheet (the one neutraliser)


def diary_csv_rows(patient) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for day in (
        DiaryDay.objects.filter(patient=patient).order_by("date").values_list(*COLUMNS)
    ).iterator(chunk_size=500):
        writer.writerow([_cell(v) for v in day])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
    yield buffer.getvalue()
