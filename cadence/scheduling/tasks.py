"""Background tasks of the scheduling app (django-tasks; `manage.py db_worker` runs them),
and the periodic step that enqueues them (`send_due_reminders`). What is due and how one
reminder is sent live in `cadence.scheduling.reminders`; this module calls it, never the
other way round."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from cadence.scheduling.alerts import (
    pending_on_call_alerts,
    plan_due_on_call_alerts,
    plan_on_call_alerts,
    send_on_call_alert,
)
from cadence.scheduling.models import OnCallAlertRound, Reminder, ReminderStatus
from cadence.scheduling.reminders import CLAIM_LEASE, plan_due_reminders, send_reminder


@task()
def send_reminder_task(reminder_id: int) -> str:
    """Send one reminder (claimed atomically, so a duplicate task sends nothing)."""
    return send_reminder(reminder_id)


def enqueue_due_reminders(*, today: date | None = None, now: datetime | None = None) -> int:
    """The periodic entry point: plan what is due, flag hand-overs that never finished,
    enqueue a task per reminder that still needs sending. Returns how many were enqueued."""
    now = now or timezone.now()
    plan_due_reminders(today=today, now=now)
    stale = now - CLAIM_LEASE
    Reminder.objects.filter(status=ReminderStatus.SENDING, send_started_at__lt=stale).update(
        status=ReminderStatus.UNCONFIRMED,
        last_error="The worker stopped while handing the message over; not re-sent.",
    )
    to_send = list(
        Reminder.objects.filter(
            Q(status=ReminderStatus.PENDING)
            | Q(status=ReminderStatus.CLAIMED, claimed_at__lt=stale)
        )
        .order_by("id")
        .values_list("pk", flat=True)
    )
    for reminder_id in to_send:
        send_reminder_task.enqueue(reminder_id)
    return len(to_send)


@task()
def send_on_call_alert_task(alert_id: int) -> str:
    """Send one on-call alert about an urgent side effect (won atomically: a duplicate task
    sends nothing; a failure goes back to pending for the next sweep)."""
    return send_on_call_alert(alert_id)


def on_urgent_report(sender, report_id: int, **kwargs) -> int:
    """Receiver of the diary's `urgent_side_effect_reported` (connected in
    `SchedulingConfig.ready()`): the first alert of the report, enqueued now."""
    to_send = plan_on_call_alerts(report_id=report_id, round=OnCallAlertRound.FIRST)
    for alert_id in to_send:
        send_on_call_alert_task.enqueue(alert_id)
    return len(to_send)


def enqueue_on_call_alerts(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic entry point (every minute): missed first alerts, escalation of what is
    unacknowledged after 30 minutes, then a task per message still to send (the retries)."""
    now = now or timezone.now()
    counts = plan_due_on_call_alerts(now=now)
    to_send = pending_on_call_alerts()
    for alert_id in to_send:
        send_on_call_alert_task.enqueue(alert_id)
    return {**counts, "enqueued": len(to_send)}
