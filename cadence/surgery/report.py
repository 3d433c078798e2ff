"""The surgery section of the clinic report (the dashboard): handed to outcomes'
``report_sections`` registry by ``SurgeryConfig.ready()``, since outcomes sits below
surgery and may not import it."""

from __future__ import annotations

from datetime import date

from cadence.outcomes.report_sections import ReportSection
from cadence.rules.outcomes import MIN_RECORDED_DAYS
from cadence.surgery.selectors import clinic_surgery_report, operations_for


def clinic_report_section(*, today: date) -> ReportSection:
    """Outcomes after migraine surgery beside the Botox outcomes: operations by trigger
    site, patients with 3/6/12-month follow-up, the share with at least 50% fewer
    headache days, the MHI change (two queries whatever the clinic's size)."""
    return ReportSection(
        key="surgery",
        title="Outcomes after migraine surgery",
        template="surgery/_clinic_report_section.html",
        context={
            "report": clinic_surgery_report(today=today),
            "min_recorded_days": MIN_RECORDED_DAYS,
        },
    )


def progress_section(*, patient, today: date) -> ReportSection | None:
    """On the patient's "My progress" page, for a patient with an operation only: the
    way to their outcomes after surgery (one query)."""
    latest = operations_for(patient).first()
    if latest is None:
        return None
    return ReportSection(
        key="surgery",
        title="After my operation",
        template="surgery/_my_progress_section.html",
        context={"operation": latest},
    )
