"""Migraine surgery (clinic-reference.md section 8): diagnostic targets of targeted
plans, nerve blocks, the surgical work-up answers (PAINS), the operation.

The clinical rules (trigger sites, site-level response, PAINS, MHI) live in
``cadence.rules.surgery``; these models store only what was recorded.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from cadence.rules.surgery import TRIGGER_SITES, Answer

TRIGGER_SITE_CHOICES = [(code.value, spec.label) for code, spec in TRIGGER_SITES.items()]
ANSWER_CHOICES = [(a.value, a.value.capitalize()) for a in Answer]


class BlockSide(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BOTH = "both", "Both sides"


class NoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"
    VOIDED = "voided", "Voided"


class DiagnosticTarget(models.Model):
    """A targeted treatment plan marked diagnostic for a trigger site: the response of
    the headaches that start at the site, before and after the session, is what counts."""

    plan = models.ForeignKey(
        "treatments.TreatmentPlan", on_delete=models.PROTECT, related_name="diagnostic_targets"
    )
    trigger_site = models.CharField(max_length=20, choices=TRIGGER_SITE_CHOICES)
    side = models.CharField(max_length=5, choices=BlockSide.choices, default=BlockSide.BOTH)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "trigger_site", "side"], name="diagnostic_target_once"
            )
        ]

    def __str__(self) -> str:
        return f"Plan {self.plan_id}: {self.get_trigger_site_display()} ({self.side})"


class NerveBlock(models.Model):
    """A nerve block: local anaesthetic (no toxin, no vial) at one trigger site's nerve,
    with the same note, signing and audit as a Botox session. A signed note is never
    changed in place: ``signed_note`` keeps it, later changes are amendments."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="nerve_blocks"
    )
    performed_on = models.DateField()
    trigger_site = models.CharField(max_length=20, choices=TRIGGER_SITE_CHOICES)
    nerve = models.CharField(max_length=80, help_text="The nerve blocked (from the site's nerves).")
    side = models.CharField(max_length=5, choices=BlockSide.choices)
    agent = models.CharField(max_length=120, help_text="The local anaesthetic, e.g. lidocaine 1%.")
    volume_ml = models.DecimalField(max_digits=5, decimal_places=2)
    dose_mg = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    diagnostic = models.BooleanField(default=True)
    consent_obtained = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    billing = models.JSONField(
        default=list, blank=True, help_text="Billing lines from the configured code table."
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=8, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_note = models.JSONField(null=True, blank=True, editable=False)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient_id", "performed_on", "id"]
        indexes = [models.Index(fields=["patient", "performed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(volume_ml__gt=0, volume_ml__lte=Decimal("999.99")),
                name="nerve_block_volume_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(dose_mg__isnull=True)
                | models.Q(dose_mg__gte=0, dose_mg__lte=Decimal("9999.99")),
                name="nerve_block_dose_stored",
            ),
        ]

    def __str__(self) -> str:
        return f"Nerve block {self.pk} on {self.performed_on}"

    @property
    def is_signed(self) -> bool:
        return self.status == NoteStatus.SIGNED


class NerveBlockAmendment(models.Model):
    """A change to a signed nerve-block note: who, when, why, each field's before/after."""

    nerve_block = models.ForeignKey(NerveBlock, on_delete=models.PROTECT, related_name="amendments")
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["nerve_block_id", "amended_at", "id"]

    def __str__(self) -> str:
        return f"Amendment {self.pk} of nerve block {self.nerve_block_id}"


class SurgicalWorkup(models.Model):
    """The work-up answers PAINS needs that the diary cannot give: can the patient show
    the pain with one finger (and where), are the symptoms appropriate for the site, and
    where an attack starts. The latest entry counts; earlier ones stay."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="surgical_workups"
    )
    recorded_on = models.DateField(default=timezone.localdate)
    trigger_site = models.CharField(
        max_length=20,
        choices=TRIGGER_SITE_CHOICES,
        blank=True,
        help_text="The site under evaluation (where the pain point and attacks start).",
    )
    pain_point = models.CharField(
        max_length=8,
        choices=ANSWER_CHOICES,
        default=Answer.unknown,
        help_text="Can the patient show the pain with one finger at this site?",
    )
    appropriate_symptoms = models.CharField(
        max_length=8,
        choices=ANSWER_CHOICES,
        default=Answer.unknown,
        help_text="Are the symptoms those of this site?",
    )
    symptoms = models.TextField(blank=True, help_text="The symptoms, in the patient's words.")
    attack_start = models.CharField(
        max_length=200, blank=True, help_text="Where an attack starts, as the patient shows it."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient_id", "-recorded_on", "-id"]

    def __str__(self) -> str:
        return f"Surgical work-up {self.pk} ({self.recorded_on})"


class SurgicalOperation(models.Model):
    """Migraine surgery: the trigger sites deactivated. Outcomes follow from the diary."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="surgical_operations"
    )
    performed_on = models.DateField()
    surgeon = models.CharField(max_length=120)
    sites = models.JSONField(
        default=list, help_text='Trigger sites deactivated: [{"trigger_site", "side"}].'
    )
    technique = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient_id", "-performed_on", "-id"]

    def __str__(self) -> str:
        return f"Operation {self.pk} on {self.performed_on}"
