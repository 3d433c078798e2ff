"""The outcomes app computes outcomes and never stores them; it stores only what a
clinician decides from them: the course review decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cadence.patients.models import Patient
from cadence.rules.course_review import Recommendation


class CourseReviewChoice(models.TextChoices):
    CONTINUE = Recommendation.continue_treatment.value, "Continue treatment"
    STOP = Recommendation.stop.value, "Stop treatment"
    REVIEW_LATER = "review_later", "Review again later"


class CourseReviewDecision(models.Model):
    """A clinician's decision at a course review (clinic-reference.md section 7,
    "Stopping and continuing"), beside what the payer's rule recommended then."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="course_review_decisions"
    )
    course_first_session = models.DateField(help_text="The first session of the course reviewed.")
    decision = models.CharField(max_length=16, choices=CourseReviewChoice.choices)
    note = models.TextField(blank=True)
    recommendation = models.CharField(
        max_length=16,
        blank=True,
        help_text="What the payer's rule set recommended when the decision was recorded "
        "(blank: nothing yet).",
    )
    stopping_rules = models.CharField(max_length=16)
    evidence = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient_id", "-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.patient_id}, {self.course_first_session})"

    @property
    def differs_from_recommendation(self) -> bool:
        return bool(self.recommendation) and self.recommendation != self.decision
