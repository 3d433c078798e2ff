"""Background tasks of the scheduling app (django-tasks; `manage.py db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task

from cadence.scheduling.reminders import send_reminder


@task()
def send_reminder_task(reminder_id: int) -> str:
    """Send one reminder (claimed atomically, so a duplicate task sends nothing)."""
    return send_reminder(reminder_id)
