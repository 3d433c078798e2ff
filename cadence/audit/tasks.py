"""Background tasks of the audit trail (django-tasks; `manage.py db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task

from cadence.audit.checkpoints import checkpoint_write


@task()
def audit_checkpoint_write() -> str:
    """Append a signed checkpoint of the trail to the checkpoint file. Enqueued on a
    schedule by `manage.py audit_checkpoint --enqueue` (cron, systemd timer, bin/serve)."""
    checkpoint = checkpoint_write()
    return str(checkpoint) if checkpoint else "no checkpoint (empty trail or no file configured)"
