from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PeakSeverity(models.TextChoices):
    NONE = "none", "None"
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class DiaryDay(models.Model):
    """One day of a patient's headache diary (one row per patient and date, enforced by
    the database). The derived classification columns are computed by
    `cadence.rules.diary.classify_day` whenever the day is saved through the diary
    services, so that outcome aggregates run in SQL."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="diary_days")
    date = models.DateField()
    headache_hours = models.FloatField(default=0)
    peak_severity = models.CharField(max_length=8, choices=PeakSeverity.choices, default=PeakSeverity.NONE)
    unilateral = models.BooleanField(default=False)
    pulsating = models.BooleanField(default=False)
    worse_with_activity = models.BooleanField(default=False)
    nausea = models.BooleanField(default=False)
    vomiting = models.BooleanField(default=False)
    photophobia = models.BooleanField(default=False)
    phonophobia = models.BooleanField(default=False)
    aura = models.BooleanField(default=False)
    missed_activity = models.BooleanField(default=False)
    acute_medications = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)

    # Derived classification (clinic-reference.md section 1), stored for SQL aggregates.
    is_headache_day = models.BooleanField(default=False)
    is_migraine_day = models.BooleanField(default=False)
    is_probable_migraine_day = models.BooleanField(default=False)
    is_moderate_severe_day = models.BooleanField(default=False)
    is_acute_medication_day = models.BooleanField(default=False)
    is_triptan_day = models.BooleanField(default=False)
    is_treated_day = models.BooleanField(default=False)
    # Medication-overuse counting: a day with a triptan, ergot, opioid, combination
    # analgesic or a mix of acute classes; and a day with simple analgesics.
    is_overuse_class_day = models.BooleanField(default=False)
    is_simple_analgesic_day = models.BooleanField(default=False)

    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_on_behalf = models.BooleanField(
        default=False, help_text="Entered by a clinician or nurse on the patient's behalf."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["patient_id", "date"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "date"], name="diary_one_row_per_patient_day"),
            models.CheckConstraint(
                name="diary_hours_0_24",
                condition=models.Q(headache_hours__gte=0, headache_hours__lte=24),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.date}"
