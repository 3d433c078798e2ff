from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cadence.rules.side_effects import SIDE_EFFECT_LABELS, Severity, SideEffect, advice_for

SIDE_EFFECT_CHOICES = [(effect.value, SIDE_EFFECT_LABELS[effect]) for effect in SideEffect]
SEVERITY_CHOICES = [(severity.value, severity.value.capitalize()) for severity in Severity]


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

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="diary_days"
    )
    date = models.DateField()
    headache_hours = models.FloatField(default=0)
    peak_severity = models.CharField(
        max_length=8, choices=PeakSeverity.choices, default=PeakSeverity.NONE
    )
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
    aura_without_headache = models.BooleanField(
        default=False, help_text="An aura with no headache at all (a day with no headache)."
    )
    # Diary, version 1.1 (api-contract.md): null means not recorded.
    pain_regions = models.JSONField(
        null=True, blank=True, help_text="Pain-region codes (cadence.rules.pain_regions)."
    )
    triggers = models.JSONField(
        null=True, blank=True, help_text="Trigger codes (cadence.rules.triggers)."
    )
    other_triggers = models.CharField(max_length=200, blank=True)
    attacks = models.JSONField(
        null=True,
        blank=True,
        help_text='[{"started_at", "ended_at", "peak_severity"}] in local date-times; an '
        "attack across midnight is kept on each day it touched.",
    )
    menstruating = models.BooleanField(null=True, blank=True)

    # Derived classification (clinic-reference.md section 1), stored for SQL aggregates:
    # one column per name in cadence.rules.diary.DERIVED_COLUMNS (a test checks).
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
            models.UniqueConstraint(
                fields=["patient", "date"], name="diary_one_row_per_patient_day"
            ),
            models.CheckConstraint(
                name="diary_hours_0_24",
                condition=models.Q(headache_hours__gte=0, headache_hours__lte=24),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.date}"


class Instrument(models.TextChoices):
    MIDAS = "MIDAS", "MIDAS"
    HIT6 = "HIT-6", "HIT-6"


class QuestionnaireResponse(models.Model):
    """One completed MIDAS or HIT-6 questionnaire. `score` and `grade` (MIDAS "I".."IV") or
    `band` (HIT-6 "little".."severe") are computed by `cadence.rules.questionnaires` when
    the response is recorded through the diary services."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    instrument = models.CharField(max_length=8, choices=Instrument.choices)
    completed_on = models.DateField()
    answers = models.JSONField(default=list, help_text="The scored answers, in item order.")
    unscored_answers = models.JSONField(
        default=dict, blank=True, help_text="MIDAS's two unscored questions, when answered."
    )
    score = models.PositiveSmallIntegerField()
    grade = models.CharField(max_length=4, blank=True, help_text="MIDAS grade I-IV.")
    band = models.CharField(max_length=12, blank=True, help_text="HIT-6 impact band.")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient_id", "instrument", "completed_on", "id"]
        indexes = [models.Index(fields=["patient", "instrument", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.instrument} {self.completed_on} ({self.score})"

    @property
    def grade_or_band(self) -> str:
        return self.grade or self.band


class SideEffectReport(models.Model):
    """A side effect the patient reports after a session (clinic-reference.md section 5).
    Urgent effects (possible distant spread of toxin) alert the clinic until a clinician
    or nurse acknowledges them."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="side_effect_reports"
    )
    procedure = models.ForeignKey(
        "treatments.Procedure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="side_effect_reports",
        help_text="The patient's most recent procedure on or before the onset date.",
    )
    effect = models.CharField(max_length=32, choices=SIDE_EFFECT_CHOICES)
    severity = models.CharField(max_length=8, choices=SEVERITY_CHOICES)
    onset_on = models.DateField()
    notes = models.TextField(blank=True)
    urgent = models.BooleanField(default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_note = models.TextField(
        blank=True, help_text="What was done for the patient, written when acknowledging."
    )
    escalated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the alert was sent again because nobody had acknowledged it.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "onset_on"]),
            models.Index(fields=["urgent", "acknowledged_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.effect} from {self.onset_on}"

    @property
    def label(self) -> str:
        return self.get_effect_display()

    @property
    def advice(self) -> str | None:
        """The rules' advice: the one urgent wording for an urgent report."""
        try:
            return advice_for(self.effect, self.severity)
        except ValueError:
            return None


class DiaryPreference(models.Model):
    """A patient's choices about their diary (one row per patient, made when first set)."""

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, related_name="diary_preference"
    )
    tracks_cycle = models.BooleanField(
        default=False, help_text="Record period days (to see the link with the cycle)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.patient_id} diary preferences"
