from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection, models
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
        return audit_mac(self.canonical())


def audit_mac(message: str) -> str:
    """HMAC-SHA256 of `message` under settings.CADENCE_AUDIT_KEY (kept out of the database)."""
    key = str(settings.CADENCE_AUDIT_KEY).encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def head_mac(last_hash: str, entry_count: int) -> str:
    """The chain head's MAC over its hash and count. Without the audit key nobody can set
    the head to an earlier entry (after deleting the newest) or to a fresh start."""
    # The prefix keeps it apart from an entry's hash (whose message is a JSON list).
    return audit_mac(f"cadence-audit-head|v1|{int(entry_count)}|{last_hash}")


def head_mac_matches(last_hash: str, entry_count: int, mac: str) -> bool:
    return hmac.compare_digest(head_mac(last_hash, entry_count), str(mac or ""))


class AuditChainHead(models.Model):
    """A single row holding the hash of the newest entry and the number of entries, sealed
    by `mac` (see `head_mac`); locking it serialises appends."""

    last_hash = models.CharField(max_length=64)
    entry_count = models.BigIntegerField(default=0)
    mac = models.CharField(max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return f"audit chain head: {self.entry_count} entries, last {self.last_hash[:12]}"


# ------------------------------------------------------------------ start-up check
# How many of the newest entries production checks at start (cheap: one short query).
STARTUP_CHECKED_ENTRIES = 20


def newest_entries_problem(
    head: tuple[str, int, str] | None, newest: list[AuditEvent]
) -> str | None:
    """What is wrong with the chain head (last_hash, entry_count, mac) and the newest
    entries (newest first) under the current audit key, or None."""
    if head is None:
        return "the chain head is missing" if newest else None
    last_hash, entry_count, mac = head
    for event in newest:
        if event.compute_hash() != event.entry_hash:
            return f"entry {event.pk} does not match its hash"
    if not head_mac_matches(last_hash, entry_count, mac):
        return "the chain head's MAC does not verify"
    if not newest and entry_count:
        return f"the chain head counts {entry_count} entries but none are present"
    if not newest:
        return None
    if newest[0].entry_hash != last_hash:
        return "the chain head does not match the newest entry"
    for newer, older in zip(newest, newest[1:], strict=False):
        if newer.prev_hash != older.entry_hash:
            return f"entry {newer.pk}: the previous-hash link is broken"
    return None


@checks.register("audit")
def audit_key_verifies_the_newest_entries(app_configs=None, **kwargs):
    """Production refuses to start (every manage.py command, and config/wsgi.py for the
    app servers) when CADENCE_AUDIT_KEY does not verify the newest entries and the head."""
    if not settings.PRODUCTION:
        return []
    if AuditEvent._meta.db_table not in connection.introspection.table_names():
        return []  # a new database, before `migrate`
    try:
        head = AuditChainHead.objects.filter(pk=1).values_list("last_hash", "entry_count", "mac")
        head = head.first()
        newest = list(AuditEvent.objects.order_by("-id")[:STARTUP_CHECKED_ENTRIES])
    except DatabaseError as error:
        return [
            checks.Warning(
                f"The audit trail could not be checked at start ({error.__class__.__name__}).",
                hint="Run `manage.py migrate`, then `manage.py verify_audit`.",
                id="audit.W001",
            )
        ]
    problem = newest_entries_problem(head, newest)
    if problem is None:
        return []
    return [
        checks.Error(
            f"CADENCE_AUDIT_KEY does not verify the newest audit entries: {problem}. Either "
            "it is not the key the audit trail was written with, or the trail was altered.",
            hint="Set CADENCE_AUDIT_KEY to the key the trail was written with, and run "
            "`manage.py verify_audit` to see what changed (it runs without this check; other "
            "commands take --skip-checks).",
            id="audit.E001",
        )
    ]
