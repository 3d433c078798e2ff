"""Urgent side effects reach a person (issue 15; contract 1.1 "Urgent alerts by e-mail"):
an e-mail to each on-call address through Django's own SMTP backend, received here by a
real SMTP server (aiosmtpd) started by the test, and a text through the SMS backend; sent
again once, and marked escalated, when nobody acknowledges within 30 minutes."""

from __future__ import annotations

import email
import socket
from datetime import timedelta
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cadence.audit.models import AuditEvent
from cadence.diary.models import SideEffectReport
from cadence.diary.services import side_effect_acknowledge, side_effect_report
from cadence.rules.side_effects import URGENT_ADVICE, URGENT_ADVICE_LINES
from cadence.scheduling import sms
from cadence.scheduling.models import OnCallAlert, OnCallAlertRound, ReminderStatus
from cadence.scheduling.tasks import enqueue_on_call_alerts

pytestmark = pytest.mark.django_db

ON_CALL = ["oncall.one@clinic.invalid", "oncall.two@clinic.invalid"]
ON_CALL_PHONE = "+1 201 555 0199"
SITE = "https://cadence.example.test"
FIRST, LAST = "Zelda", "Quennell"


class Inbox:
    """aiosmtpd handler: every message the server accepts, as (recipients, message)."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.original_content, policy=default_policy)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def texts(self) -> list[str]:
        return [
            f"{message['Subject']}\n{message.get_body(('plain',)).get_content()}"
            for _, message in self.received
        ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port():
    return _free_port()


@pytest.fixture
def smtp_server(smtp_port):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def on_call(smtp_port):
    """Django's SMTP backend pointed at the test's server, two on-call addresses, a phone."""
    sms.outbox.clear()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_port,
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=5,
        CADENCE_URGENT_ALERT_EMAILS=ON_CALL,
        CADENCE_ON_CALL_PHONE=ON_CALL_PHONE,
        CADENCE_SITE_URL=SITE,
        CADENCE_URGENT_ALERT_ESCALATE_MINUTES=30,
        CADENCE_SMS_BACKEND="cadence.scheduling.sms.LocmemSmsBackend",
    ):
        yield
    sms.outbox.clear()


@pytest.fixture
def named_patient(make_patient):
    return make_patient(first_name=FIRST, last_name=LAST, phone="(201) 555-0142")


@pytest.fixture
def named_patient_user(make_user, named_patient):
    return make_user("zelda", role="patient", patient=named_patient)


def _report(patient, effect="difficulty_breathing", severity="moderate", actor=None):
    return side_effect_report(
        patient=patient,
        effect=effect,
        severity=severity,
        onset_on=timezone.localdate(),
        actor=actor,
    )


def _assert_no_name(text: str) -> None:
    assert FIRST.lower() not in text.lower()
    assert LAST.lower() not in text.lower()


def test_an_urgent_report_through_the_api_is_mailed_once_to_each_address_and_texted(
    api_for,
    named_patient,
    named_patient_user,
    smtp_server,
    on_call,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(named_patient_user).post(
            f"/patients/{named_patient.pk}/side-effects",
            {
                "effect": "difficulty_breathing",
                "severity": "mild",
                "onset_on": str(timezone.localdate()),
            },
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["urgent"] is True and body["advice"] == URGENT_ADVICE
    report = SideEffectReport.objects.get()
    link = f"{SITE}/diary/alerts/{report.pk}/"

    assert sorted(rcpt for rcpts, _ in smtp_server.received for rcpt in rcpts) == sorted(ON_CALL)
    assert len(smtp_server.received) == len(ON_CALL)  # exactly once per address
    for text in smtp_server.texts():
        _assert_no_name(text)
        assert link in text
        assert f"record {named_patient.pk}" in text.lower()
        for line in URGENT_ADVICE_LINES:  # what the patient was told, the one wording
            assert line in text

    assert [m.to for m in sms.outbox] == [ON_CALL_PHONE]
    _assert_no_name(sms.outbox[0].body)
    assert link in sms.outbox[0].body
    assert set(OnCallAlert.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}


@pytest.mark.parametrize(
    ("effect", "severity", "alerted"),
    [
        pytest.param("eyelid_ptosis", "severe", True, id="common-effect-reported-severe"),
        pytest.param("allergic_reaction", "mild", True, id="new-urgent-code-even-mild"),
        pytest.param("eyelid_ptosis", "moderate", False, id="common-moderate"),
    ],
)
def test_what_is_urgent_is_what_is_sent(
    named_patient,
    smtp_server,
    on_call,
    django_capture_on_commit_callbacks,
    effect,
    severity,
    alerted,
):
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(named_patient, effect, severity)
    assert report.urgent is alerted
    assert len(smtp_server.received) == (len(ON_CALL) if alerted else 0)
    assert len(sms.outbox) == (1 if alerted else 0)


def test_nothing_is_sent_before_the_report_is_committed(
    named_patient, smtp_server, on_call, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _report(named_patient)
    assert smtp_server.received == [] and sms.outbox == []
    assert len(callbacks) == 1


def test_unacknowledged_after_30_minutes_is_sent_again_once_and_marked_escalated(
    client, clinician, named_patient, smtp_server, on_call, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(named_patient)
    assert len(smtp_server.received) == 2 and len(sms.outbox) == 1
    made = report.created_at

    assert enqueue_on_call_alerts(now=made + timedelta(minutes=29, seconds=59))["escalated"] == 0
    assert len(smtp_server.received) == 2 and len(sms.outbox) == 1

    counts = enqueue_on_call_alerts(now=made + timedelta(minutes=30))
    assert counts["escalated"] == 1
    report.refresh_from_db()
    assert report.escalated_at == made + timedelta(minutes=30)
    assert len(smtp_server.received) == 4 and len(sms.outbox) == 2
    again = smtp_server.texts()[2:]
    assert all("STILL UNACKNOWLEDGED" in text for text in again)
    for text in again:
        _assert_no_name(text)
        assert f"{SITE}/diary/alerts/{report.pk}/" in text
    assert "STILL UNACKNOWLEDGED" in sms.outbox[1].body
    assert AuditEvent.objects.filter(summary__startswith="Side-effect alert escalated").count() == 1

    # once only
    enqueue_on_call_alerts(now=made + timedelta(hours=2))
    assert len(smtp_server.received) == 4 and len(sms.outbox) == 2

    client.force_login(clinician)
    dashboard = client.get(reverse("outcomes:dashboard")).content.decode()
    assert 'data-testid="escalated"' in dashboard


def test_an_acknowledged_report_is_not_escalated(
    clinician, named_patient, smtp_server, on_call, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(named_patient)
    side_effect_acknowledge(report=report, actor=clinician, note="Called; advised A&E.")
    assert enqueue_on_call_alerts(now=report.created_at + timedelta(hours=1))["escalated"] == 0
    assert len(smtp_server.received) == 2 and len(sms.outbox) == 1
    report.refresh_from_db()
    assert report.escalated_at is None


def test_a_refused_send_is_retried_by_the_sweep_and_then_received_once(
    named_patient, smtp_port, on_call, django_capture_on_commit_callbacks
):
    """No SMTP server listening yet: the e-mails wait as pending; the next sweep sends them."""
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(named_patient)
    emails = OnCallAlert.objects.filter(report=report, channel="email")
    assert set(emails.values_list("status", flat=True)) == {ReminderStatus.PENDING}
    assert all(alert.attempts == 1 and alert.last_error for alert in emails)
    assert len(sms.outbox) == 1  # the text went out regardless

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert enqueue_on_call_alerts(now=report.created_at + timedelta(minutes=1))["enqueued"] == 2
        enqueue_on_call_alerts(now=report.created_at + timedelta(minutes=2))
    finally:
        controller.stop()
    assert sorted(r for rcpts, _ in inbox.received for r in rcpts) == sorted(ON_CALL)
    assert set(emails.values_list("status", flat=True)) == {ReminderStatus.SENT}
    assert len(sms.outbox) == 1


def test_a_missed_signal_is_caught_by_the_sweep(named_patient, smtp_server, on_call):
    """The report committed but its first alert never went out (e.g. the process died)."""
    report = _report(named_patient)  # on_commit callbacks not run: the signal is missed
    assert not OnCallAlert.objects.exists()
    enqueue_on_call_alerts(now=report.created_at + timedelta(minutes=1))
    assert len(smtp_server.received) == 2 and len(sms.outbox) == 1
    assert set(OnCallAlert.objects.values_list("round", flat=True)) == {OnCallAlertRound.FIRST}


def test_no_on_call_setting_sends_nothing_and_keeps_the_report(
    named_patient, smtp_server, django_capture_on_commit_callbacks
):
    with (
        override_settings(CADENCE_URGENT_ALERT_EMAILS=[], CADENCE_ON_CALL_PHONE=""),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = _report(named_patient)
    assert report.urgent and smtp_server.received == []
    assert SideEffectReport.objects.filter(pk=report.pk).exists()
