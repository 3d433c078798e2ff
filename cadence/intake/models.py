from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class RequestStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    BOOKED = "booked", "Consultation booked"
    CONVERTED = "converted", "Converted: consultation attended"
    CLOSED = "closed", "Closed"


#: The order a request moves through; it may skip ahead but never go back. It follows the
#: patient (issue 19): converting the request to a patient record makes it at least
#: contacted, booking the patient's consultation makes it booked, and the consultation
#: attended makes it converted.
STATUS_ORDER = (
    RequestStatus.NEW,
    RequestStatus.CONTACTED,
    RequestStatus.BOOKED,
    RequestStatus.CONVERTED,
    RequestStatus.CLOSED,
)


class PreferredContact(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"


class ConsultationRequest(models.Model):
    """A visitor asking for a consultation, from the public form or the API."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField()
    phone = models.CharField(max_length=32, help_text="E.164, e.g. +12025550143")
    date_of_birth = models.DateField(null=True, blank=True)
    preferred_contact = models.CharField(max_length=8, choices=PreferredContact.choices)
    message = models.TextField(blank=True)
    self_check_summary = models.TextField(blank=True)
    consent_to_contact = models.BooleanField(default=False)
    status = models.CharField(
        max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    closed_reason = models.TextField(blank=True)
    patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_requests",
    )
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                name="consultation_request_consent_given",
                condition=models.Q(consent_to_contact=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.get_status_display()})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class RequestNote(models.Model):
    """A staff note on a consultation request (call attempts, what was agreed)."""

    consultation_request = models.ForeignKey(
        ConsultationRequest, on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note on request {self.consultation_request_id}"


class RateLimitHit(models.Model):
    """One public submission from an address, kept for the rate-limit window only (a
    database table, so the limit holds across worker processes)."""

    scope = models.CharField(max_length=32)
    address = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "address", "created_at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.address} {self.created_at}"
