"""Writes of the outcomes app: only audit entries (outcomes are computed, never stored)."""

from __future__ import annotations

from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record


def outcome_view_record(*, actor, patient, summary: str, request=None) -> None:
    """Log that ``actor`` viewed ``patient``'s outcomes (page or API)."""
    # audit_record runs in its own transaction (atomic); nothing else is written here.
    audit_record(
        actor=actor, action=AuditAction.VIEW, summary=summary, patient=patient, request=request
    )


def outcome_report_export(*, actor, patient, report: str, request=None) -> None:
    """Log that ``actor`` downloaded a PDF report of ``patient``'s outcomes."""
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        summary=f"Downloaded outcome report: {report}",
        patient=patient,
        details={"report": report},
        request=request,
    )
