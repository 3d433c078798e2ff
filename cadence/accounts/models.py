from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from cadence.accounts.roles import CLINICAL_ROLES, STAFF_ROLES, Role


class User(AbstractUser):
    """A person who signs in: a member of staff, or a patient linked to one patient record."""

    role = models.CharField(max_length=16, choices=Role.choices)
    patient = models.OneToOneField(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
        help_text="For patient users: the one patient record this login belongs to.",
    )
    # The prescriber's signature block on letters, packets and procedure notes (issue 19).
    credentials = models.CharField(
        max_length=100,
        blank=True,
        help_text="Post-nominal letters printed after the name when signing, e.g. MD, FAAN.",
    )
    npi = models.CharField(
        "NPI",
        max_length=10,
        blank=True,
        help_text="National Provider Identifier: 10 digits, printed under the signature.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="patient_user_has_patient",
                condition=(
                    models.Q(role="patient", patient__isnull=False)
                    | (~models.Q(role="patient") & models.Q(patient__isnull=True))
                ),
            ),
            models.CheckConstraint(
                name="user_role_valid", condition=models.Q(role__in=[r.value for r in Role])
            ),
        ]

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_clinic_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_clinical(self) -> bool:
        return self.role in CLINICAL_ROLES

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def signature_name(self) -> str:
        """The name as it is signed: "Ada Lovelace, MD, FAAN"."""
        return ", ".join(part for part in (self.display_name, self.credentials.strip()) if part)


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


class TokenScope(models.TextChoices):
    """What an API token may do (cadence.accounts.tokens.scope_allows)."""

    FULL = "full", "Full access (everything the user's role may do)"
    READ = "read", "Read only (no changes)"
    DIARY = "diary", "Diary app (diary days, questionnaires, side effects)"
    EXPORT = "export", "Export (FHIR reads and Bulk Data export)"


def default_token_expiry():
    return timezone.now() + timedelta(days=settings.CADENCE_API_TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(
            revoked_at__isnull=True, user__is_active=True, expires_at__gt=timezone.now()
        )


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 hash is stored."""

    PREFIX = "cad_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(
        max_length=12, help_text="First characters, to tell tokens apart."
    )
    scope = models.CharField(
        max_length=8,
        choices=TokenScope.choices,
        default=TokenScope.FULL,
        help_text="What the token may do: full, read only, the diary app, or exports.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(
        default=default_token_expiry,
        help_text="The token stops working at this time (CADENCE_API_TOKEN_DAYS after issue).",
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.token_prefix}… ({self.user})"

    @classmethod
    def issue(
        cls, user: User, *, name: str = "", scope: str = TokenScope.FULL, days: int | None = None
    ) -> tuple[ApiToken, str]:
        """A new token (the raw value is returned once, only its hash is kept). Checks of
        who may issue it (MFA) are the service's: `accounts.services.api_token_issue`."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        days = settings.CADENCE_API_TOKEN_DAYS if days is None else days
        now = timezone.now()
        token = cls.objects.create(
            user=user,
            name=name,
            scope=scope,
            token_hash=hash_token(raw),
            token_prefix=raw[:12],
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        return token, raw

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.is_expired else "active"

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
