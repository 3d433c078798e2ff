"""What an import keeps beyond the clinic's own records: the identifiers other systems
gave a patient (to recognise them when they are sent again), and the coded history a
referral brings (other conditions, medication history) that Cadence shows as sent."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class PatientIdentifier(models.Model):
    """An identifier another system gave the patient (FHIR Patient.identifier)."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="external_identifiers"
    )
    system = models.CharField(max_length=255)
    value = models.CharField(max_length=255)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "value"], name="external_identifier_once")
        ]

    def __str__(self) -> str:
        return f"{self.system}|{self.value}"


class CodedHistoryEntry(models.Model):
    """A condition from a referral that is not chronic migraine, kept with its coding."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="coded_history"
    )
    system = models.CharField(max_length=255, blank=True)
    code = models.CharField(max_length=64, blank=True)
    display = models.CharField(max_length=255)
    clinical_status = models.CharField(max_length=16, blank=True)
    onset_on = models.DateField(null=True, blank=True)
    abated_on = models.DateField(null=True, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient_id", "onset_on", "id"]

    def __str__(self) -> str:
        return f"{self.display} ({self.code})"


class MedicationOutcome(models.TextChoices):
    UNKNOWN = "unknown", "Unknown"
    INEFFECTIVE = "ineffective", "Ineffective"
    NOT_TOLERATED = "not_tolerated", "Not tolerated"
    CONTRAINDICATED = "contraindicated", "Contraindicated"
    EFFECTIVE = "effective", "Effective"
    ONGOING = "ongoing", "Ongoing"


class MedicationHistoryEntry(models.Model):
    """A medicine from a referral (MedicationStatement or MedicationRequest). The outcome
    is unknown unless the sender gave it."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="medication_history"
    )
    name = models.CharField(max_length=255)
    system = models.CharField(max_length=255, blank=True)
    code = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=20, blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(
        max_length=16, choices=MedicationOutcome.choices, default=MedicationOutcome.UNKNOWN
    )
    dose = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient_id", "started_on", "id"]

    def __str__(self) -> str:
        return self.name


class BulkExportStatus(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


class BulkExportJob(models.Model):
    """One FHIR Bulk Data export ($export): what was asked, by whom, and the NDJSON files
    the worker wrote (under CADENCE_BULK_EXPORT_DIR/<id>/). Its id is the status URL's."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="bulk_export_jobs"
    )
    level = models.CharField(max_length=16)  # "system", "patient" or "group"
    group_id = models.CharField(max_length=64, blank=True)
    types = models.JSONField(default=list)
    since = models.DateTimeField(null=True, blank=True)
    request_url = models.TextField()
    status = models.CharField(
        max_length=16, choices=BulkExportStatus.choices, default=BulkExportStatus.ACCEPTED
    )
    progress = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    transaction_time = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # [{"type": "Patient", "file": "Patient.ndjson", "count": 12}, ...]
    output = models.JSONField(default=list)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"$export {self.id} ({self.status})"
