"""CSV exports for spreadsheets, streamed row by row, safe against CSV injection.

The outcome table's baseline, latest period and response are the outcomes app's answer
(``outcome_summary_for``), the same the outcome pages, the API and FHIR show."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date

from cadence.diary.models import DiaryDay
from cadence.interop.selectors import DIARY_CHUNK
from cadence.outcomes.selectors import outcome_summary_for
from cadence.patients.models import Patient
from cadence.security.csvcells import FORMULA_STARTS, csv_cell
from cadence.treatments.models import ProcedureStatus

#: A text cell starting with one of these is prefixed with ' so spreadsheets never run
#: it as a formula (OWASP CSV injection): cadence.security.csvcells.
FORMULA_PREFIXES = FORMULA_STARTS

DIARY_COLUMNS = (
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
    "missed_activity",
    "is_headache_day",
    "is_migraine_day",
    "is_moderate_severe_day",
    "acute_medications",
    "notes",
)
OUTCOME_COLUMNS = (
    "patient_id",
    "sessions",
    "first_session",
    "last_session",
    "baseline_headache_days",
    "latest_period_start",
    "latest_period_headache_days",
    "latest_period_migraine_days",
    "headache_day_change",
    "percent_change",
    "response",
    # issue 16 additions: the 24-week review (weeks 21-24) and the other day counts
    # against the baseline, beside headache days (changes per 28 days)
    "week_24_response",
    "migraine_day_change",
    "moderate_severe_day_change",
    "acute_medication_day_change",
)


def safe_cell(value) -> object:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return csv_cell(value)  # the one neutraliser (issue 21, finding 8)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def _medicines(value) -> str:
    parts = []
    for medicine in value or []:
        if isinstance(medicine, dict):
            relieved = " (relieved)" if medicine.get("relieved") else ""
            parts.append(f"{medicine.get('name', '')} [{medicine.get('drug_class', '')}]{relieved}")
    return "; ".join(parts)


def diary_rows(patient) -> Iterator[str]:
    def rows():
        days = DiaryDay.objects.filter(patient=patient).order_by("date").values(*DIARY_COLUMNS)
        for day in days.iterator(chunk_size=DIARY_CHUNK):
            yield [
                day["date"].isoformat()
                if column == "date"
                else _medicines(day[column])
                if column == "acute_medications"
                else day[column]
                for column in DIARY_COLUMNS
            ]

    return csv_lines(DIARY_COLUMNS, rows())


_MEASURES = ("migraine_days", "moderate_severe_days", "acute_medication_days")


def _change(response, name: str) -> float | None:
    measure = response.measure(name)
    return measure.change if measure else None


def outcome_rows(*, with_names: bool, as_of: date) -> Iterator[str]:
    """One row per patient with at least one signed session (a draft note is not a
    session): sessions, baseline, latest period, response."""
    header = (("last_name", "first_name") if with_names else ()) + OUTCOME_COLUMNS

    def rows():
        treated = (
            Patient.objects.filter(procedures__status=ProcedureStatus.SIGNED)
            .distinct()
            .order_by("last_name", "first_name", "id")
        )
        for patient in treated.iterator(chunk_size=200):
            summary = outcome_summary_for(patient, today=as_of)
            dates = summary.session_dates
            latest = summary.periods[-1] if summary.periods else None
            names = [patient.last_name, patient.first_name] if with_names else []
            yield names + [
                patient.pk,
                len(dates),
                dates[0].isoformat() if dates else "",
                dates[-1].isoformat() if dates else "",
                summary.baseline.headache_days if summary.baseline else None,
                latest.start.isoformat() if latest else "",
                latest.headache_days if latest else None,
                latest.migraine_days if latest else None,
                summary.response.headache_day_change,
                summary.response.percent_change,
                str(summary.response.status),
                str(summary.week_24_response.status),
                *(_change(summary.response, name) for name in _MEASURES),
            ]

    return csv_lines(header, rows())
