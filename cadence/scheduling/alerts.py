"""On-call alerts: an urgent side-effect report reaches a person (clinic-reference.md
section 7; contract 1.1 "Urgent alerts by e-mail").

Who is alerted (settings, from the environment)
- `CADENCE_URGENT_ALERT_EMAILS`: each address gets its own e-mail, through Django's own
  e-mail backend (`EMAIL_BACKEND`, `EMAIL_HOST`, ... in config/settings.py).
- `CADENCE_ON_CALL_PHONE`: a text message through the SMS backend (`scheduling.sms`).

When
- At once: the diary sends `urgent_side_effect_reported` after the report is stored;
  `tasks.on_urgent_report` creates one `OnCallAlert` per address/number and enqueues a
  task for each (the background worker, `manage.py db_worker`, sends within seconds).
- Retries and the safety net: `tasks.enqueue_on_call_alerts` (the `send_on_call_alerts` command,
  run every minute by bin/serve, cron or a systemd timer) re-enqueues what failed
  (up to `MAX_ATTEMPTS`), sends the first alert of an urgent report whose signal was
  missed, and escalates.
- Escalation: an urgent report still unacknowledged `CADENCE_URGENT_ALERT_ESCALATE_MINUTES`
  (30) after it was made is sent again, once, and marked escalated (the dashboard and
  the Alerts page show it).

What the message says: "urgent side-effect report", the record number, when, and a link
to the staff alert (`CADENCE_SITE_URL` + the alert's path). Never the patient's name,
and not the symptom either (e-mail and text are not private channels; the link behind a
sign-in shows the rest).

Sending each message once: `send_on_call_alert` moves the row pending -> sending with a
conditional UPDATE (only one worker wins), calls the backend, then marks it sent. A
backend error returns it to pending (retried by the sweep). A row left in "sending" by a
worker that died is sent again after `SENDING_LEASE`: for an urgent clinical alert Cadence
chooses at-least-once over at-most-once (a duplicate is better than silence), unlike the
patients' reminders.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cadence.diary.models import SideEffectReport
from cadence.diary.services import side_effect_alert_escalate
from cadence.rules.side_effects import URGENT_ADVICE_LINES
from cadence.scheduling.models import (
    OnCallAlert,
    OnCallAlertRound,
    ReminderChannel,
    ReminderStatus,
)
from cadence.scheduling.sms import get_sms_backend

logger = logging.getLogger(__name__)

#: Backend failures before a message is given up (the sweep retries every minute).
MAX_ATTEMPTS = 10
#: A message "sending" for longer than this belongs to a worker that died: send again.
SENDING_LEASE = timedelta(minutes=2)
#: Cadence default (the issue): re-send an unacknowledged urgent alert after 30 minutes.
DEFAULT_ESCALATE_MINUTES = 30


def escalate_after() -> timedelta:
    return timedelta(
        minutes=getattr(settings, "CADENCE_URGENT_ALERT_ESCALATE_MINUTES", DEFAULT_ESCALATE_MINUTES)
    )


def on_call_recipients() -> list[tuple[str, str]]:
    """(channel, to) for every configured on-call address and number."""
    recipients = [
        (ReminderChannel.EMAIL.value, address)
        for address in getattr(settings, "CADENCE_URGENT_ALERT_EMAILS", [])
        if address
    ]
    phone = getattr(settings, "CADENCE_ON_CALL_PHONE", "")
    if phone:
        recipients.append((ReminderChannel.SMS.value, phone))
    return recipients


def alert_link(report_id: int) -> str:
    """The absolute address of the staff alert (sign-in needed to see anything)."""
    base = getattr(settings, "CADENCE_SITE_URL", "").rstrip("/")
    return base + reverse("diary:alert-detail", kwargs={"report_id": report_id})


def alert_message(report: SideEffectReport, round: str) -> tuple[str, str, str]:
    """(e-mail subject, e-mail body, text message) about ``report``: the record number and a
    link, never the patient's name."""
    link = alert_link(report.pk)
    record = report.patient_id
    when = timezone.localtime(report.created_at)
    clinic = settings.CLINIC_NAME
    if round == OnCallAlertRound.ESCALATION:
        minutes = int(escalate_after().total_seconds() // 60)
        subject = f"STILL UNACKNOWLEDGED: urgent side-effect report, record {record}"
        opening = f"Nobody has acknowledged this urgent side-effect report for {minutes} minutes."
        text = (
            f"{clinic}: STILL UNACKNOWLEDGED after {minutes} min: urgent side-effect report, "
            f"record {record}. {link}"
        )
    else:
        subject = f"URGENT side-effect report, record {record}"
        opening = "A patient has reported an urgent side effect after a Botox session."
        text = f"{clinic}: URGENT side-effect report, record {record}, {when:%H:%M}. {link}"
    body = (
        f"{opening}\n\n"
        f"Record number: {record}\n"
        f"Reported: {when:%Y-%m-%d %H:%M}\n\n"
        f"Open the alert (sign-in needed), call the patient and acknowledge it:\n{link}\n\n"
        "What the patient was told:\n"
        + "".join(f"- {line}\n" for line in URGENT_ADVICE_LINES)
        + "\nThis message names no patient on purpose: e-mail is not a private channel.\n"
        f"{clinic}"
    )
    return subject, body, text


def plan_on_call_alerts(*, report_id: int, round: str) -> list[int]:
    """Create the round's messages for ``report_id`` (idempotent: the unique constraint
    ignores a second call). Returns the ids of the round's messages still pending."""
    OnCallAlert.objects.bulk_create(
        [
            OnCallAlert(report_id=report_id, round=round, channel=channel, to=to)
            for channel, to in on_call_recipients()
        ],
        ignore_conflicts=True,
    )
    if not on_call_recipients():
        logger.warning(
            "Urgent side-effect report %s: no CADENCE_URGENT_ALERT_EMAILS or "
            "CADENCE_ON_CALL_PHONE set, so only the dashboard shows it.",
            report_id,
        )
    return list(
        OnCallAlert.objects.filter(
            report_id=report_id, round=round, status=ReminderStatus.PENDING
        ).values_list("pk", flat=True)
    )


def send_on_call_alert(alert_id: int, *, now: datetime | None = None) -> str:
    """Send one message if this worker wins it. Returns what happened."""
    now = now or timezone.now()
    with transaction.atomic():
        started = (
            OnCallAlert.objects.filter(
                pk=alert_id, status=ReminderStatus.PENDING, attempts__lt=MAX_ATTEMPTS
            )
            .exclude(round=OnCallAlertRound.ESCALATION, report__acknowledged_at__isnull=False)
            .update(status=ReminderStatus.SENDING, send_started_at=now, attempts=F("attempts") + 1)
        )
    if not started:
        return "not claimed"
    alert = OnCallAlert.objects.select_related("report").get(pk=alert_id)
    subject, body, text = alert_message(alert.report, alert.round)
    mine = OnCallAlert.objects.filter(pk=alert_id, status=ReminderStatus.SENDING)
    try:
        if alert.channel == ReminderChannel.EMAIL:
            with get_connection() as connection:
                EmailMessage(subject, body, None, [alert.to], connection=connection).send()
        else:
            get_sms_backend().send(to=alert.to, body=text)
    except Exception as exc:  # noqa: BLE001 - the backend refused: nothing went out
        failed = alert.attempts >= MAX_ATTEMPTS
        mine.update(
            status=ReminderStatus.FAILED if failed else ReminderStatus.PENDING,
            last_error=f"{type(exc).__name__}: {exc}"[:300],
        )
        logger.error("On-call alert %s to %s failed: %s", alert_id, alert.to, exc)
        return "failed"
    mine.update(status=ReminderStatus.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def plan_due_on_call_alerts(*, now: datetime) -> dict[str, int]:
    """The periodic planning: first alerts that were missed, escalations after 30 minutes,
    messages stuck in "sending". Returns counts; `tasks.enqueue_on_call_alerts` then
    enqueues every pending message (the retries)."""
    waiting = SideEffectReport.objects.filter(urgent=True, acknowledged_at__isnull=True)
    missed = list(
        waiting.filter(on_call_alerts__isnull=True, escalated_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    for report_id in missed:
        plan_on_call_alerts(report_id=report_id, round=OnCallAlertRound.FIRST)
    escalated = 0
    due = waiting.filter(escalated_at__isnull=True, created_at__lte=now - escalate_after())
    for report_id in list(due.values_list("pk", flat=True)):
        if side_effect_alert_escalate(report_id=report_id, now=now):
            plan_on_call_alerts(report_id=report_id, round=OnCallAlertRound.ESCALATION)
            escalated += 1
    OnCallAlert.objects.filter(
        status=ReminderStatus.SENDING, send_started_at__lt=now - SENDING_LEASE
    ).update(status=ReminderStatus.PENDING, last_error="The worker stopped while sending.")
    return {"missed": len(missed), "escalated": escalated}


def pending_on_call_alerts() -> list[int]:
    """Messages to (re)send: pending, under `MAX_ATTEMPTS`."""
    return list(
        OnCallAlert.objects.filter(status=ReminderStatus.PENDING, attempts__lt=MAX_ATTEMPTS)
        .order_by("id")
        .values_list("pk", flat=True)
    )
