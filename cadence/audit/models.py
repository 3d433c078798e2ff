from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Sign-in failed"
    LOGOUT = "logout", "Signed out"
    SECURITY = "security", "Security event"


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """One entry of the append-only audit trail.

    Entries are chained: `entry_hash` is an HMAC-SHA256 (key: settings.CADENCE_AUDIT_KEY,
    which is not stored in the database) over this entry's fields and the previous entry's
    hash, so editing or deleting any entry breaks the chain (`manage.py verify_audit`).
    Database triggers refuse UPDATE and DELETE on this table (migration 0003).
    """

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # DO_NOTHING: the entry keeps the id of a user who is later removed (the chain
        # covers actor_id, and entries are never updated).
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=16, blank=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    patient_id_ref = models.BigIntegerField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=200)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["patient_id_ref", "-occurred_at"], name="audit_patient_time")
        ]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.summary}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are append-only.")

    def canonical(self) -> str:
        return json.dumps(
            [
                self.occurred_at.isoformat(),
                self.actor_id,
                self.actor_username,
                self.actor_role,
                self.action,
                self.patient_id_ref,
                self.object_type,
                self.object_id,
                self.summary,
                self.details,
                self.ip_address,
                self.prev_hash,
            ],
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )

    def compute_hash(self) -> str:
        key = str(settings.CADENCE_AUDIT_KEY).encode()
        return hmac.new(key, self.canonical().encode(), hashlib.sha256).hexdigest()


class AuditChainHead(models.Model):
    """A single row holding the hash of the newest entry; locking it serialises appends."""

    last_hash = models.CharField(max_length=64)
    entry_count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit chain head: {self.entry_count} entries, last {self.last_hash[:12]}"
