from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone


class ProcedureStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class Procedure(models.Model):
    """One treatment session: the toxin actually injected on a date. Procedure dates anchor
    the outcome periods and the 12-week rhythm."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="procedures")
    performed_on = models.DateField()
    performed_at = models.DateTimeField(null=True, blank=True)
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    total_units = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("0"))
    wasted_units = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal("0"))
    status = models.CharField(max_length=8, choices=ProcedureStatus.choices, default=ProcedureStatus.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient_id", "performed_on", "id"]
        indexes = [models.Index(fields=["patient", "performed_on"])]

    def __str__(self) -> str:
        return f"Procedure {self.pk} on {self.performed_on}"
