"""Writes of the outcomes app: audit entries (outcomes are computed, never stored) and
the clinician's decision at a course review."""

from __future__ import annotations

from django.db import transaction

from cadence.accounts.validation import refusal
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.outcomes.models import CourseReviewChoice, CourseReviewDecision
from cadence.rules.course_review import CourseReview


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


def course_review_decision_record(
    *,
    actor,
    patient,
    decision: str,
    note: str = "",
    review: CourseReview,
    request=None,
) -> CourseReviewDecision:
    """Record the clinician's decision at the course review, beside the payer rule's
    recommendation and its evidence (``review``, computed by the caller from the
    selectors). Deciding against the recommendation needs a note saying why."""
    if decision not in CourseReviewChoice.values:
        raise refusal("decision", "Choose continue, stop or review again later.", code="invalid")
    if review.course_first_session is None:
        raise refusal(
            "decision",
            "The patient has no treatment course to review: record a session first.",
            code="invalid",
        )
    recommendation = review.recommendation.value if review.recommendation else ""
    note = note.strip()
    if recommendation and recommendation != decision and not note:
        raise refusal(
            "note",
            "Say why the decision differs from the payer rule's recommendation "
            f"({review.recommendation.label.lower()}).",  # type: ignore[union-attr]
            code="required",
        )
    evidence = " ".join(e.finding for e in review.evidence)
    with transaction.atomic():
        record = CourseReviewDecision.objects.create(
            patient=patient,
            course_first_session=review.course_first_session,
            decision=decision,
            note=note,
            recommendation=recommendation,
            stopping_rules=str(review.rules),
            evidence=evidence,
            decided_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary=f"Recorded course review decision: {record.get_decision_display()}",
            patient=patient,
            obj=record,
            details={
                "decision": decision,
                "recommendation": recommendation,
                "stopping_rules": str(review.rules),
                "course_first_session": review.course_first_session.isoformat(),
            },
            request=request,
        )
    return record
